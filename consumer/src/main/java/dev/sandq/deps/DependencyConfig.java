package dev.sandq.deps;

import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the operator's dependency files are, where packages are installed, and how. Immutable;
 * validated when built ({@link #builder()}); every failure message contains the bad value.
 *
 * @param packagesRoot       the packages root ({@link PackagesLayout}); sandboxes mount it read-only
 * @param pythonRequirements a pip requirements file (default dependencies/python-requirements.txt)
 * @param nodePackages       a package.json-like file whose "dependencies" npm installs
 *                           (default dependencies/nodejs-packages.json)
 * @param python             the interpreter pip runs with: the one jobs use, so wheels match it
 * @param npm                the npm command (a path, or a name looked up on PATH)
 * @param findLinks          local wheel directories for pip (--find-links)
 * @param noIndex            pip uses only findLinks, never an index (--no-index)
 * @param allowBuildScripts  let pip build source distributions and npm run install scripts;
 *                           off by default because they run unsandboxed on this host
 * @param installTimeout     the most one pip or npm run may take
 */
public record DependencyConfig(
        Path packagesRoot,
        Path pythonRequirements,
        Path nodePackages,
        Path python,
        String npm,
        List<Path> findLinks,
        boolean noIndex,
        boolean allowBuildScripts,
        Duration installTimeout) {

    public static final Path DEFAULT_PYTHON_REQUIREMENTS = Path.of("dependencies/python-requirements.txt");
    public static final Path DEFAULT_NODE_PACKAGES = Path.of("dependencies/nodejs-packages.json");
    public static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofMinutes(10);

    public DependencyConfig {
        requireGiven("packagesRoot", packagesRoot);
        PackagesLayout.validateRoot(packagesRoot);
        requireGiven("pythonRequirements", pythonRequirements);
        requireGiven("nodePackages", nodePackages);
        requireGiven("python", python);
        requireGiven("npm", npm);
        if (npm.isBlank()) {
            throw new IllegalArgumentException("the npm command must not be blank, got '" + npm + "'");
        }
        findLinks = List.copyOf(findLinks);
        requireGiven("installTimeout", installTimeout);
        if (installTimeout.isNegative() || installTimeout.isZero()) {
            throw new IllegalArgumentException("installTimeout must be positive, got " + installTimeout);
        }
    }

    private static void requireGiven(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be given, got null");
        }
    }

    /** The file listing a language's packages. */
    public Path sourceFile(Language language) {
        return language == Language.PYTHON3 ? pythonRequirements : nodePackages;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the default root and files, /usr/bin/python3, npm on PATH, any index, no build scripts. */
    public static final class Builder {
        private Path packagesRoot = PackagesLayout.DEFAULT_ROOT;
        private Path pythonRequirements = DEFAULT_PYTHON_REQUIREMENTS;
        private Path nodePackages = DEFAULT_NODE_PACKAGES;
        private Path python = Path.of("/usr/bin/python3");
        private String npm = "npm";
        private final List<Path> findLinks = new ArrayList<>();
        private boolean noIndex;
        private boolean allowBuildScripts;
        private Duration installTimeout = DEFAULT_INSTALL_TIMEOUT;

        public Builder packagesRoot(Path root) {
            this.packagesRoot = root;
            return this;
        }

        public Builder pythonRequirements(Path file) {
            this.pythonRequirements = file;
            return this;
        }

        public Builder nodePackages(Path file) {
            this.nodePackages = file;
            return this;
        }

        public Builder python(Path interpreter) {
            this.python = interpreter;
            return this;
        }

        public Builder npm(String command) {
            this.npm = command;
            return this;
        }

        public Builder findLinks(List<Path> dirs) {
            this.findLinks.addAll(dirs);
            return this;
        }

        public Builder noIndex(boolean on) {
            this.noIndex = on;
            return this;
        }

        public Builder allowBuildScripts(boolean on) {
            this.allowBuildScripts = on;
            return this;
        }

        public Builder installTimeout(Duration timeout) {
            this.installTimeout = timeout;
            return this;
        }

        public DependencyConfig build() {
            return new DependencyConfig(packagesRoot, pythonRequirements, nodePackages, python, npm, findLinks,
                    noIndex, allowBuildScripts, installTimeout);
        }
    }
}
