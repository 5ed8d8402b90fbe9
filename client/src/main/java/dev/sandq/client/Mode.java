package dev.sandq.client;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the worker runs a job's code: the job document's {@code mode}. */
public enum Mode {
    /** Run the code as a program (the default). */
    SCRIPT("script"),
    /** The code defines {@code main}, called with the inputs; its JSON return value is the result's {@code result}. */
    FUNCTION("function"),
    /** The code is a Jinja2 template (python3), rendered with the inputs. */
    TEMPLATE("template");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
