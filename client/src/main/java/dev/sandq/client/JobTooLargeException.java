package dev.sandq.client;

/** A job larger than one record of the jobs topic may hold: it was not sent. */
public final class JobTooLargeException extends RuntimeException {
    private final long jobBytes;
    private final long maxBytes;

    public JobTooLargeException(long jobBytes, long maxBytes, String topic) {
        super("the job is " + jobBytes + " bytes, over the " + maxBytes + " bytes one record of the jobs topic "
                + topic + " holds (its max.message.bytes, which `sandq topics apply` sets, and the producer's "
                + "max.request.size)");
        this.jobBytes = jobBytes;
        this.maxBytes = maxBytes;
    }

    public long jobBytes() {
        return jobBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
