package dev.sandq.worker;

/** What processing one job record led to. */
sealed interface ProcessOutcome {
    /** Produce this to answer the job. */
    record Answer(Delivery delivery) implements ProcessOutcome {
    }

    /** The sandbox could not take it now (circuit open, infrastructure failure): run it again later. */
    /** @param countsAsAttempt false when the job was not even tried (circuit open) */
    record TryAgain(String reason, boolean countsAsAttempt) implements ProcessOutcome {
    }
}
