package dev.sandq.cli;

import dev.sandq.deps.DependencyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of {@code sandq deps install}: which files, which tools, which package sources. */
public final class DepsOptions {

    @Mixin
    PackagesDirOption packages = new PackagesDirOption();

    @Option(names = "--python-requirements", paramLabel = "FILE",
            description = "pip requirements of the Python jobs (default: dependencies/python-requirements.txt).")
    Path pythonRequirements;

    @Option(names = "--node-packages", paramLabel = "FILE",
            description = "A package.json-like file whose \"dependencies\" npm installs for the Node.js jobs "
                    + "(default: dependencies/nodejs-packages.json).")
    Path nodePackages;

    @Option(names = "--python", paramLabel = "PATH",
            description = "The interpreter pip runs with; the one jobs use (default: /usr/bin/python3).")
    Path python;

    @Option(names = "--npm", paramLabel = "COMMAND", description = "The npm command (default: npm on PATH).")
    String npm;

    @Option(names = "--find-links", paramLabel = "DIR", split = ",",
            description = "A local directory of wheels for pip. Repeatable.")
    List<Path> findLinks = new ArrayList<>();

    @Option(names = "--no-index", description = "pip installs only from --find-links, never from an index.")
    boolean noIndex;

    @Option(names = "--allow-build-scripts",
            description = "Let pip build source distributions and npm run install scripts. They run on this host, "
                    + "unsandboxed, so the default is wheels only and --ignore-scripts.")
    boolean allowBuildScripts;

    @Option(names = "--install-timeout", paramLabel = "DURATION",
            description = "The most one pip or npm run may take (ISO-8601, default PT10M).")
    Duration installTimeout;

    /** The configuration these flags describe. */
    DependencyConfig toConfig() {
        DependencyConfig.Builder b = DependencyConfig.builder().packagesRoot(packages.root())
                .findLinks(findLinks.stream().map(Path::toAbsolutePath).toList())
                .noIndex(noIndex).allowBuildScripts(allowBuildScripts);
        if (pythonRequirements != null) {
            b.pythonRequirements(pythonRequirements);
        }
        if (nodePackages != null) {
            b.nodePackages(nodePackages);
        }
        if (python != null) {
            b.python(python);
        }
        if (npm != null) {
            b.npm(npm);
        }
        if (installTimeout != null) {
            b.installTimeout(installTimeout);
        }
        return b.build();
    }

    /** Like {@link #toConfig()}, with a bad value reported as a usage error of {@code cmd}. */
    DependencyConfig toConfig(picocli.CommandLine cmd) {
        try {
            return toConfig();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cmd, e.getMessage(), e);
        }
    }
}
