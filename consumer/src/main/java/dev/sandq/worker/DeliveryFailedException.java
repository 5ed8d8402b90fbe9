package dev.sandq.worker;

/**
 * The delivery mode cannot go on (its transactional producer was fenced, or is not authorised):
 * the worker must stop without committing anything more. The cause is what the worker reports.
 */
final class DeliveryFailedException extends Exception {
    DeliveryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
