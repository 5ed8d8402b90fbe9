package dev.sandq.deps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code python -m pip install --target TREE -r REQUIREMENTS}, with the interpreter jobs use so
 * the wheels match it. Wheels only unless build scripts are allowed (a source build runs
 * setup.py on this host, unsandboxed); --find-links and --no-index for local wheel directories.
 */
final class PipInstaller implements Installer {
    private final DependencyConfig config;

    PipInstaller(DependencyConfig config) {
        this.config = config;
    }

    @Override
    public void install(Path requirements, Path tree, Consumer<String> output)
            throws DependencyInstallException, IOException, InterruptedException {
        if (!hasRequirements(requirements)) {
            output.accept(requirements + " lists no requirement: the Python tree is empty");
            return;
        }
        ToolRun.run(argv(requirements.toAbsolutePath(), tree), parentOf(requirements),
                Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1", "PYTHONNOUSERSITE", "1"),
                config.installTimeout(), output);
    }

    List<String> argv(Path requirements, Path tree) {
        List<String> argv = new ArrayList<>(List.of(config.python().toString(), "-m", "pip", "install",
                "--target", tree.toString(), "--no-input", "--no-warn-script-location", "--progress-bar", "off"));
        if (!config.allowBuildScripts()) {
            argv.addAll(List.of("--only-binary", ":all:"));
        }
        if (config.noIndex()) {
            argv.add("--no-index");
        }
        for (Path dir : config.findLinks()) {
            argv.addAll(List.of("--find-links", dir.toAbsolutePath().toString()));
        }
        argv.addAll(List.of("-r", requirements.toString()));
        return argv;
    }

    /** pip refuses a requirements file without any requirement; so does this, by not running it. */
    static boolean hasRequirements(Path requirements) throws IOException {
        return Files.readAllLines(requirements, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
    }

    static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    @Override
    public List<InstalledPackage> list(Path tree) throws IOException {
        return PythonDistributions.list(tree);
    }
}
