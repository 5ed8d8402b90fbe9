package dev.sandq.worker;

/**
 * Why a job was dead-lettered after its delivery count reached the limit: the exception class
 * its dead letter names in {@code kafka_dlt-exception-fqcn}. Never thrown.
 */
final class PoisonJobException extends Exception {
    PoisonJobException(String message) {
        super(message, null, false, false);
    }
}
