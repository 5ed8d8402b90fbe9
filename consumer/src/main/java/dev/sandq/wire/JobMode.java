package dev.sandq.wire;

import java.util.Arrays;
import java.util.Optional;

/** How a job's code is used (DifySandbox's modes). */
public enum JobMode {
    /** Run the code as a program. */
    SCRIPT("script"),
    /** The code defines main(...); its return value becomes the result. */
    FUNCTION("function"),
    /** The code is a Jinja2 template rendered with the inputs (python3 only). */
    TEMPLATE("template");

    private final String wireName;

    JobMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<JobMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }
}
