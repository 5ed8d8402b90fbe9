package dev.sandq.devkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The bench tests' fixture files (src/test/resources/dev/sandq/devkit/bench/), copied from real hosts or made alike. */
final class BenchFixtures {
    private BenchFixtures() {
    }

    static String read(String name) {
        try (InputStream in = BenchFixtures.class.getResourceAsStream("bench/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture bench/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
