package dev.sandq.batch;

/** One entry of a batch's input: a job to send, or an entry that is not one (with why). */
public sealed interface BatchItem {
    /** Where in the input it is: "line 17" or the program's relative path. */
    String where();

    /** A valid job document, whose {@code id} is {@code id}. */
    record JobItem(String id, String where, byte[] document) implements BatchItem {
    }

    /** An entry that is not a valid job: reported, never sent. */
    record Invalid(String where, String reason) implements BatchItem {
    }
}
