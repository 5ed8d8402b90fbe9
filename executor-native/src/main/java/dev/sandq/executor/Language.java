package dev.sandq.executor;

import java.util.Arrays;
import java.util.Optional;

/** The languages a job can be written in, with their wire names. */
public enum Language {
    PYTHON3("python3"),
    NODEJS("nodejs");

    private final String wireName;

    Language(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in job documents, policy files and the CLI. */
    public String wireName() {
        return wireName;
    }

    public static Optional<Language> fromWireName(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName.equals(name)).findFirst();
    }
}
