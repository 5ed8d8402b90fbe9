package dev.sandq.wire;

import java.util.Objects;

/** What {@link JobParser} made of a record's value: a job, or the reason it is not one. */
public sealed interface JobParseOutcome {

    record Valid(JobRequest job) implements JobParseOutcome {
        public Valid {
            Objects.requireNonNull(job, "job");
        }
    }

    /**
     * @param reason  one sentence naming the problem, for the result's {@code error}
     * @param jobId   the document's {@code id} when it could be read, else null
     */
    record Invalid(String reason, String jobId) implements JobParseOutcome {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
