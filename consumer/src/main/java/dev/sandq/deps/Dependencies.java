package dev.sandq.deps;

import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The operator's extra packages: installs them from the dependency files into the packages root
 * that every sandbox mounts read-only ({@link PackagesLayout}), and says what is installed.
 * Installing never disturbs running jobs: a new tree is installed beside the current one and
 * switched in atomically; a failed install leaves the current tree as it was.
 *
 * <p>Thread-safe; installs are serialised, also across processes sharing the root.
 */
public final class Dependencies {
    private final DependencyConfig config;
    private final Map<Language, Installer> installers = new EnumMap<>(Language.class);
    private final Map<Language, GenerationStore> stores = new EnumMap<>(Language.class);
    private final Consumer<String> output;

    /**
     * @param output where pip's and npm's output lines go (stderr in the CLI)
     */
    public Dependencies(DependencyConfig config, Clock clock, Consumer<String> output) {
        this.config = Objects.requireNonNull(config, "config");
        this.output = Objects.requireNonNull(output, "output");
        installers.put(Language.PYTHON3, new PipInstaller(config));
        installers.put(Language.NODEJS, new NpmInstaller(config));
        for (Language language : Language.values()) {
            stores.put(language, new GenerationStore(
                    PackagesLayout.languageDir(config.packagesRoot(), language), clock));
        }
    }

    /** Reads (and installs) with the default files, under {@code root}; tool output to stderr. */
    public static Dependencies forRoot(Path root) {
        return new Dependencies(DependencyConfig.builder().packagesRoot(root).build(), Clock.systemUTC(),
                System.err::println);
    }

    public DependencyConfig config() {
        return config;
    }

    /** What a job in {@code language} can import beyond the system's packages; empty when nothing is installed. */
    public List<InstalledPackage> list(Language language) {
        try {
            Optional<Path> tree = stores.get(language).currentTree();
            return tree.isEmpty() ? List.of() : installers.get(language).list(tree.get());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the installed " + language.wireName() + " packages under "
                    + config.packagesRoot(), e);
        }
    }

    /** {@link #list(Language)} of every language. */
    public Map<Language, List<InstalledPackage>> listAll() {
        Map<Language, List<InstalledPackage>> all = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            all.put(language, list(language));
        }
        return all;
    }

    /**
     * Installs what the language's file lists into a fresh tree and makes it the one new jobs use.
     *
     * @return what is installed now
     * @throws DependencyFileException    the file is missing or invalid; nothing changed
     * @throws DependencyInstallException pip or npm failed; nothing changed
     */
    public List<InstalledPackage> install(Language language) throws DependencyInstallException, InterruptedException {
        Path source = config.sourceFile(language);
        if (!Files.isRegularFile(source)) {
            throw new DependencyFileException("the " + language.wireName() + " dependency file " + source.toAbsolutePath()
                    + " does not exist");
        }
        GenerationStore store = stores.get(language);
        Installer installer = installers.get(language);
        try {
            return store.locked(() -> {
                Path tree = store.create();
                try {
                    installer.install(source, tree, output);
                    GenerationStore.makeReadable(tree);
                    List<InstalledPackage> installed = installer.list(tree);
                    store.activate(tree);
                    return installed;
                } catch (DependencyInstallException | IOException | InterruptedException | RuntimeException e) {
                    GenerationStore.deleteTree(tree);
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new DependencyInstallException("installing the " + language.wireName() + " packages under "
                    + config.packagesRoot() + " failed: " + e, e);
        }
    }

    /**
     * Installs again, from the files as they are now, every language whose file exists (DifySandbox's
     * dependency refresh); a language without a file keeps what it has.
     *
     * @return what is installed now, per language
     */
    public Map<Language, List<InstalledPackage>> refresh() throws DependencyInstallException, InterruptedException {
        Map<Language, List<InstalledPackage>> all = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            all.put(language, Files.isRegularFile(config.sourceFile(language)) ? install(language) : list(language));
        }
        return all;
    }

    /** One line for logs, never throws: {@code python3: a 1.0, b 2.0; nodejs: none (under /var/lib/sandq/packages)}. */
    public String summary() {
        Map<Language, List<InstalledPackage>> all;
        try {
            all = listAll();
        } catch (UncheckedIOException e) {
            return "unreadable: " + e.getMessage() + ": " + e.getCause();
        }
        return all.entrySet().stream()
                .map(e -> e.getKey().wireName() + ": " + (e.getValue().isEmpty() ? "none"
                        : e.getValue().stream().map(p -> p.name() + " " + p.version()).collect(Collectors.joining(", "))))
                .collect(Collectors.joining("; ")) + " (under " + config.packagesRoot() + ")";
    }
}
