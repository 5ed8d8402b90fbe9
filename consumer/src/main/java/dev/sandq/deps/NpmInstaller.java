package dev.sandq.deps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code npm install} of the "dependencies" of the operator's package.json-like file, in the new
 * tree. Install scripts are ignored unless allowed (they run on this host, unsandboxed).
 * Relative {@code file:} specs are resolved against the operator's file, as npm would there.
 */
final class NpmInstaller implements Installer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DependencyConfig config;

    NpmInstaller(DependencyConfig config) {
        this.config = config;
    }

    @Override
    public void install(Path packagesFile, Path tree, Consumer<String> output)
            throws DependencyInstallException, IOException, InterruptedException {
        ObjectNode dependencies = dependencies(packagesFile);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("name", "sandq-packages");
        manifest.put("private", true);
        manifest.set("dependencies", dependencies);
        Files.writeString(tree.resolve("package.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        if (dependencies.isEmpty()) {
            output.accept(packagesFile + " lists no dependency: the Node.js tree is empty");
            return;
        }
        ToolRun.run(argv(), tree, Map.of(), config.installTimeout(), output);
    }

    List<String> argv() {
        List<String> argv = new ArrayList<>(List.of(config.npm(), "install", "--omit=dev", "--no-audit", "--no-fund",
                "--no-update-notifier", "--loglevel=warn"));
        if (!config.allowBuildScripts()) {
            argv.add("--ignore-scripts");
        }
        return argv;
    }

    /** The file's "dependencies" object (name → version spec), validated. */
    static ObjectNode dependencies(Path packagesFile) throws IOException, DependencyFileException {
        JsonNode root;
        try {
            root = JSON.readTree(packagesFile.toFile());
        } catch (JsonProcessingException e) {
            throw new DependencyFileException(packagesFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new DependencyFileException(packagesFile + " must hold a JSON object like "
                    + "{\"dependencies\": {\"is-number\": \"7.0.0\"}}");
        }
        JsonNode deps = root.path("dependencies");
        if (deps.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!deps.isObject()) {
            throw new DependencyFileException(packagesFile + ": \"dependencies\" must be an object of name: version, got "
                    + deps);
        }
        ObjectNode resolved = JSON.createObjectNode();
        Path base = PipInstaller.parentOf(packagesFile);
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new DependencyFileException(packagesFile + ": the version of \"" + e.getKey()
                        + "\" must be a string, got " + e.getValue());
            }
            String spec = e.getValue().asText();
            if (spec.startsWith("file:") && !Path.of(spec.substring("file:".length())).isAbsolute()) {
                spec = "file:" + base.resolve(spec.substring("file:".length())).normalize();
            }
            resolved.put(e.getKey(), spec);
        }
        return resolved;
    }

    @Override
    public List<InstalledPackage> list(Path tree) throws IOException {
        return NodeModules.list(tree.resolve("node_modules"));
    }
}
