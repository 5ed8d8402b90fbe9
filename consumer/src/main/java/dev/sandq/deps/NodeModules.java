package dev.sandq.deps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packages a job can require from a node_modules tree: its top-level packages, scoped ones
 * included ({@code @scope/name}), from each package.json's name and version.
 */
final class NodeModules {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeModules() {
    }

    static List<InstalledPackage> list(Path nodeModules) throws IOException {
        List<InstalledPackage> found = new ArrayList<>();
        if (!Files.isDirectory(nodeModules)) {
            return List.of();
        }
        for (Path entry : children(nodeModules)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (name.startsWith("@")) {
                for (Path scoped : children(entry)) {
                    read(scoped, found);
                }
            } else {
                read(entry, found);
            }
        }
        found.sort(Comparator.comparing(InstalledPackage::name));
        return List.copyOf(found);
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    private static void read(Path packageDir, List<InstalledPackage> found) throws IOException {
        Path manifest = packageDir.resolve("package.json");
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        JsonNode json = JSON.readTree(manifest.toFile());
        String name = json.path("name").asText("");
        String version = json.path("version").asText("");
        if (name.isEmpty() || version.isEmpty()) {
            throw new IOException(manifest + " has no name or no version");
        }
        found.add(new InstalledPackage(name, version));
    }
}
