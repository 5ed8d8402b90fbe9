package dev.sandq.wire;

/** Names the reason of a dead letter whose reply does not fit in one record even when shortened. */
public final class ReplyTooLargeException extends Exception {
    public ReplyTooLargeException(String message) {
        super(message);
    }
}
