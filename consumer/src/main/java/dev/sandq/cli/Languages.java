package dev.sandq.cli;

import dev.sandq.executor.Language;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Language names on the command line and languages told by file names. */
public final class Languages {
    private Languages() {
    }

    /** {@code .py} → python3; {@code .js}, {@code .mjs}, {@code .cjs} → nodejs; else empty. */
    static Optional<Language> fromFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".py")) {
            return Optional.of(Language.PYTHON3);
        }
        if (name.endsWith(".js") || name.endsWith(".mjs") || name.endsWith(".cjs")) {
            return Optional.of(Language.NODEJS);
        }
        return Optional.empty();
    }

    /** Converts a wire name (python3, nodejs) to a {@link Language}. */
    public static final class Converter implements ITypeConverter<Language> {
        @Override
        public Language convert(String value) {
            return Language.fromWireName(value.trim()).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not a language (expected python3 or nodejs)"));
        }
    }

    /** Completion candidates and the help text's list. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Language.values()).map(Language::wireName).iterator();
        }
    }
}
