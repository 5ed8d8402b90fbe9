package dev.sandq.deps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The distributions in a pip --target tree, from each {@code *.dist-info/METADATA}'s Name and Version. */
final class PythonDistributions {
    private PythonDistributions() {
    }

    static List<InstalledPackage> list(Path tree) throws IOException {
        List<InstalledPackage> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(tree)) {
            for (Path info : (Iterable<Path>) entries::iterator) {
                Path metadata = info.resolve("METADATA");
                if (info.getFileName().toString().endsWith(".dist-info") && Files.isRegularFile(metadata)) {
                    found.add(read(metadata));
                }
            }
        }
        found.sort(Comparator.comparing((InstalledPackage p) -> p.name().toLowerCase(java.util.Locale.ROOT)));
        return List.copyOf(found);
    }

    /** The core metadata headers end at the first blank line (PEP 566). */
    private static InstalledPackage read(Path metadata) throws IOException {
        String name = null;
        String version = null;
        for (String line : Files.readAllLines(metadata, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                break;
            }
            if (name == null && line.startsWith("Name:")) {
                name = line.substring("Name:".length()).strip();
            } else if (version == null && line.startsWith("Version:")) {
                version = line.substring("Version:".length()).strip();
            }
        }
        if (name == null || version == null) {
            throw new IOException(metadata + " has no Name or no Version header");
        }
        return new InstalledPackage(name, version);
    }
}
