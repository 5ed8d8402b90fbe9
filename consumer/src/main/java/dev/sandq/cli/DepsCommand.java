package dev.sandq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.deps.Dependencies;
import dev.sandq.deps.DependencyConfig;
import dev.sandq.deps.DependencyFileException;
import dev.sandq.deps.DependencyInstallException;
import dev.sandq.deps.InstalledPackage;
import dev.sandq.executor.Language;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sandq deps}: the extra packages jobs can import. */
@Command(
        name = "deps",
        mixinStandardHelpOptions = true,
        description = "Installs and lists the extra packages jobs can import (mounted read-only into every sandbox).",
        subcommands = {DepsCommand.Install.class, DepsCommand.ListCommand.class})
final class DepsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** {@code sandq deps install}: pip and npm into a fresh tree, switched in atomically. */
    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = {
                "Installs the packages the dependency files list into a fresh tree under the packages directory "
                        + "and switches new jobs to it atomically; running jobs keep the tree they started with. "
                        + "A failed install changes nothing.",
                "Without --lang, each language whose file exists; with it, that language's file must exist."},
            footer = "Exit codes: 0 installed, 1 pip or npm failed, 2 bad usage or a missing/invalid dependency file.")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DepsOptions options = new DepsOptions();

        @Option(names = "--lang", paramLabel = "LANGUAGE", converter = Languages.Converter.class,
                description = "Only this language: python3 or nodejs.")
        Language language;

        @Option(names = "--json", description = "Print what is installed as JSON.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            DependencyConfig config = options.toConfig(spec.commandLine());
            PrintWriter err = spec.commandLine().getErr();
            Dependencies deps = new Dependencies(config, java.time.Clock.systemUTC(), line -> {
                err.println(line);
                err.flush();
            });
            List<Language> languages = language != null ? List.of(language) : List.of(Language.values());
            List<Language> present = new ArrayList<>();
            for (Language l : languages) {
                if (Files.isRegularFile(config.sourceFile(l))) {
                    present.add(l);
                } else if (language != null) {
                    return fail(ExitCodes.USAGE, "the " + l.wireName() + " dependency file "
                            + config.sourceFile(l).toAbsolutePath() + " does not exist");
                } else {
                    err.println("sandq deps: no " + config.sourceFile(l) + ": " + l.wireName() + " left as it is");
                }
            }
            if (present.isEmpty()) {
                return fail(ExitCodes.USAGE, "nothing to install: neither " + config.pythonRequirements()
                        + " nor " + config.nodePackages() + " exists");
            }
            for (Language l : present) {
                err.println("sandq deps: installing " + l.wireName() + " packages from " + config.sourceFile(l)
                        + " under " + config.packagesRoot());
                err.flush();
                try {
                    deps.install(l);
                } catch (DependencyFileException e) {
                    return fail(ExitCodes.USAGE, e.getMessage());
                } catch (DependencyInstallException e) {
                    return fail(ExitCodes.SOFTWARE, l.wireName() + " packages not installed: " + e.getMessage());
                }
            }
            Renderer.print(spec.commandLine().getOut(), deps.listAll(), json);
            return ExitCodes.OK;
        }

        private int fail(int code, String message) {
            spec.commandLine().getErr().println("sandq deps install: " + message);
            spec.commandLine().getErr().flush();
            return code;
        }
    }

    /** {@code sandq deps list}: name and version of every package jobs can import, per language. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the installed packages jobs can import: name and version, per language.",
            footer = "Exit codes: 0 listed, 1 the packages directory cannot be read, 2 bad usage.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PackagesDirOption packages = new PackagesDirOption();

        @Option(names = "--lang", paramLabel = "LANGUAGE", converter = Languages.Converter.class,
                description = "Only this language: python3 or nodejs.")
        Language language;

        @Option(names = "--json", description = "Print JSON: {\"python3\": [{\"name\": ..., \"version\": ...}], ...}.")
        boolean json;

        @Override
        public Integer call() {
            Dependencies deps;
            try {
                deps = Dependencies.forRoot(packages.root());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            Map<Language, List<InstalledPackage>> installed = new EnumMap<>(Language.class);
            try {
                for (Language l : language != null ? List.of(language) : List.of(Language.values())) {
                    installed.put(l, deps.list(l));
                }
            } catch (java.io.UncheckedIOException e) {
                spec.commandLine().getErr().println("sandq deps list: " + e.getMessage() + ": " + e.getCause());
                spec.commandLine().getErr().flush();
                return ExitCodes.SOFTWARE;
            }
            Renderer.print(spec.commandLine().getOut(), installed, json);
            return ExitCodes.OK;
        }
    }

    /** Text (a heading per language, a line per package) or one JSON object. */
    static final class Renderer {
        private static final ObjectMapper JSON = new ObjectMapper();

        private Renderer() {
        }

        static void print(PrintWriter out, Map<Language, List<InstalledPackage>> installed, boolean json) {
            if (json) {
                ObjectNode root = JSON.createObjectNode();
                installed.forEach((language, list) -> {
                    ArrayNode array = root.putArray(language.wireName());
                    list.forEach(p -> array.addObject().put("name", p.name()).put("version", p.version()));
                });
                try {
                    out.println(JSON.writeValueAsString(root));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                installed.forEach((language, list) -> {
                    out.println(language.wireName() + ":" + (list.isEmpty() ? " none" : ""));
                    list.forEach(p -> out.println("  " + p.name() + " " + p.version()));
                });
            }
            out.flush();
        }
    }
}
