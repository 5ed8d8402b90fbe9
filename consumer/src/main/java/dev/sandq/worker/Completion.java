package dev.sandq.worker;

import java.time.Instant;

/** What a slot hands back to the poll thread about one job it took. */
sealed interface Completion {
    TakenJob job();

    /**
     * The job is answered as far as its delivery mode goes before the poll thread takes over: at-least-once, the
     * broker has acknowledged the answer and the offset may be committed; exactly-once, the
     * answer is to be produced in the poll thread's next transaction.
     *
     * @param startedAt when the slot took the job (exactly-once: the duration metric ends at the transaction's commit)
     */
    record Answered(TakenJob job, Delivery delivery, Instant startedAt) implements Completion {
    }

    /** Run it again when the sandbox admits jobs; {@code job} carries the attempt number the next run has. */
    record Deferred(TakenJob job) implements Completion {
    }

    /** Not run or not answered (lease ended, stopping, interrupted): its offset stays uncommitted. */
    record Abandoned(TakenJob job) implements Completion {
    }

    /** The answer could not be produced: the worker must stop without committing it. */
    record Failed(TakenJob job, Exception cause) implements Completion {
    }
}
