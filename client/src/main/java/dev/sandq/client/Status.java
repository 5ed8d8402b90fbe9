package dev.sandq.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonValue;

/** A result's {@code status}: how the job ended. */
public enum Status {
    OK("ok"),
    /** Non-zero exit or an uncaught exception. */
    ERROR("error"),
    TIMEOUT("timeout"),
    MEMORY_LIMIT("memory_limit"),
    OUTPUT_LIMIT("output_limit"),
    SYSCALL_DENIED("syscall_denied"),
    /** A signal other than those of the limits ended it. */
    KILLED("killed"),
    /** The job itself is invalid ({@code error} says why). */
    REJECTED("rejected"),
    /** Its deadline passed before it ran. */
    EXPIRED("expired"),
    /** The sandbox failed, not the code. */
    INTERNAL_ERROR("internal_error"),
    /** A status this client does not know (a newer worker's). */
    @JsonEnumDefaultValue
    UNKNOWN("unknown");

    private final String wireName;

    Status(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
