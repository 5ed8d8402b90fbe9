package dev.sandq.client;

import java.util.Optional;

/**
 * What became of one job of {@link SandqClient#submitAll}: its result, or why there is none
 * ({@link java.util.concurrent.TimeoutException} after the timeout, {@link JobTooLargeException},
 * or the producer's exception). Exactly one of {@code result} and {@code failure} is non-null.
 */
public record Outcome(Job job, Result result, Throwable failure) {
    public Outcome {
        if ((result == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of result and failure, got " + result + " and " + failure);
        }
    }

    /** Whether a worker answered (whatever the status). */
    public boolean answered() {
        return result != null;
    }

    public Optional<Result> resultIfAnswered() {
        return Optional.ofNullable(result);
    }
}
