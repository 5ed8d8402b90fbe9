package dev.sandq.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Language;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists the packages installed under a packages directory (default /var/lib/sandq/packages):
 * Python distributions as {@code python/**}{@code /NAME-VERSION.dist-info} (a pip --target or a
 * site-packages tree, up to five levels down), Node packages as
 * {@code nodejs/node_modules/[@scope/]NAME/package.json}. A missing directory lists nothing.
 */
public final class PackagesDirectoryLister implements DependencyLister {
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/lib/sandq/packages");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path root;

    public PackagesDirectoryLister(Path root) {
        this.root = root;
    }

    @Override
    public List<InstalledPackage> list(Language language) throws IOException {
        List<InstalledPackage> found = switch (language) {
            case PYTHON3 -> python(root.resolve("python"));
            case NODEJS -> node(root.resolve("nodejs").resolve("node_modules"));
        };
        found.sort(Comparator.comparing(InstalledPackage::name, String.CASE_INSENSITIVE_ORDER));
        return found;
    }

    private static List<InstalledPackage> python(Path dir) throws IOException {
        List<InstalledPackage> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> paths = Files.walk(dir, 5)) {
            for (Path p : paths.filter(Files::isDirectory).toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".dist-info")) {
                    found.add(fromMetadata(p.resolve("METADATA"), name.substring(0, name.length() - ".dist-info".length())));
                }
            }
        }
        return found;
    }

    /** Name and Version from the METADATA headers; the directory name NAME-VERSION when they are absent. */
    private static InstalledPackage fromMetadata(Path metadata, String dirStem) throws IOException {
        String name = null;
        String version = null;
        if (Files.isRegularFile(metadata)) {
            for (String line : Files.readAllLines(metadata, StandardCharsets.UTF_8)) {
                if (line.isEmpty()) {
                    break;
                }
                if (line.startsWith("Name: ")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("Version: ")) {
                    version = line.substring(9).strip();
                }
            }
        }
        int dash = dirStem.indexOf('-');
        if (name == null) {
            name = dash < 0 ? dirStem : dirStem.substring(0, dash);
        }
        if (version == null) {
            version = dash < 0 ? "" : dirStem.substring(dash + 1);
        }
        return new InstalledPackage(name, version);
    }

    private static List<InstalledPackage> node(Path modules) throws IOException {
        List<InstalledPackage> found = new ArrayList<>();
        if (!Files.isDirectory(modules)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(modules)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (name.startsWith("@") && Files.isDirectory(p)) {
                    try (Stream<Path> scoped = Files.list(p)) {
                        for (Path s : scoped.sorted().toList()) {
                            addNode(found, s);
                        }
                    }
                } else {
                    addNode(found, p);
                }
            }
        }
        return found;
    }

    private static void addNode(List<InstalledPackage> found, Path dir) throws IOException {
        Path manifest = dir.resolve("package.json");
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        JsonNode doc = MAPPER.readTree(manifest.toFile());
        found.add(new InstalledPackage(doc.path("name").asText(dir.getFileName().toString()),
                doc.path("version").asText("")));
    }
}
