package dev.sandq.client;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** The interpreter of a job: the job document's {@code language}. */
public enum Language {
    PYTHON3("python3"),
    NODEJS("nodejs");

    private final String wireName;

    Language(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The language of a program file by its extension (.py; .js, .mjs, .cjs), empty for any other. */
    public static Optional<Language> ofFileName(String fileName) {
        if (fileName.endsWith(".py")) {
            return Optional.of(PYTHON3);
        }
        if (fileName.endsWith(".js") || fileName.endsWith(".mjs") || fileName.endsWith(".cjs")) {
            return Optional.of(NODEJS);
        }
        return Optional.empty();
    }

    /** {@code python3} or {@code nodejs}; empty for any other name. */
    public static Optional<Language> ofWireName(String name) {
        for (Language l : values()) {
            if (l.wireName.equals(name)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
