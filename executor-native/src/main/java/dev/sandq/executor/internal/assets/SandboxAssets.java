package dev.sandq.executor.internal.assets;

import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.internal.slots.SlotUids;
import dev.sandq.executor.internal.slots.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files every sandbox of this worker is built from, prepared once in its workspace: per
 * language, the profile, its shared-library view and its compiled seccomp programs (without the
 * network, and with it when jobs may have it); per slot, the few /etc files a job sees; and the
 * prestart bootstraps.
 */
public final class SandboxAssets {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxAssets.class);

    private final Optional<Path> packagesRoot;
    private final Map<Language, LanguageProfile> profiles = new EnumMap<>(Language.class);
    private final Map<Language, LibraryView> libraryViews = new EnumMap<>(Language.class);
    private final Map<Language, Path> seccompOff = new EnumMap<>(Language.class);
    private final Map<Language, Path> seccompOn = new EnumMap<>(Language.class);
    private final Map<Integer, Map<String, Path>> etcFiles = new HashMap<>();
    private final Path bootstrapDir;

    private SandboxAssets(Optional<Path> packagesRoot, Path bootstrapDir) {
        this.packagesRoot = packagesRoot;
        this.bootstrapDir = bootstrapDir;
    }

    /**
     * Lays out every language's and every slot's files in {@code workspace}.
     *
     * @throws SandboxUnavailableException when an interpreter is missing
     * @throws IOException                 when the shared libraries cannot be laid out
     */
    public static SandboxAssets prepare(SandboxConfig config, SlotUids uids, Workspace workspace,
                                        SeccompProgramSource seccomp) throws SandboxUnavailableException, IOException {
        SandboxAssets assets = new SandboxAssets(config.packagesRoot(), workspace.file("prestart"));
        Optional<LdCache> ldCache = LdCache.load(LdCache.DEFAULT);
        for (Language language : Language.values()) {
            Path interpreter = config.interpreters().get(language);
            if (interpreter == null || !Files.isExecutable(interpreter)) {
                throw new SandboxUnavailableException("the " + language.wireName() + " interpreter "
                        + interpreter + " does not exist or is not executable");
            }
            LanguageProfile profile = LanguageProfile.forLanguage(language, interpreter, config.packagesRoot());
            LibraryView libraries = LibraryView.forProfile(profile, ldCache,
                    workspace.file("libraries-" + language.wireName()));
            LOG.debug("{} libraries: {}", language.wireName(), libraries.summary());
            assets.libraryViews.put(language, libraries);
            assets.profiles.put(language, profile.withLibraries(libraries.mounts()));
            assets.seccompOff.put(language, writeProgram(workspace, language, false, seccomp));
            if (config.networkAllowed()) {
                assets.seccompOn.put(language, writeProgram(workspace, language, true, seccomp));
            }
        }
        for (int slot = 0; slot < config.sandboxSlots(); slot++) {
            assets.etcFiles.put(slot, writeEtcFiles(workspace.slotDir(slot), slot, uids.of(slot)));
        }
        PrestartBootstrap.writeFiles(assets.bootstrapDir);
        return assets;
    }

    private static Path writeProgram(Workspace workspace, Language language, boolean network,
                                     SeccompProgramSource seccomp) {
        Path file = workspace.file("seccomp-" + language.wireName() + (network ? "-network" : "") + ".bpf");
        try {
            Files.write(file, seccomp.program(language, network));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
        return file;
    }

    /**
     * The few /etc files a job sees, written once per slot: its account (so that getpass and
     * os.path.expanduser work), and name resolution that finds localhost without any network.
     */
    private static Map<String, Path> writeEtcFiles(Path dir, int slot, int uid) {
        Map<String, String> files = Map.of(
                "/etc/passwd", "sandbox:x:" + uid + ":" + uid + ":sandbox:/tmp:/nonexistent\n",
                "/etc/group", "sandbox:x:" + uid + ":\n",
                "/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
                "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        Map<String, Path> onHost = new TreeMap<>();
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path host = dir.resolve(file.getKey().substring("/etc/".length()));
                Files.writeString(host, file.getValue());
                onHost.put(file.getKey(), host);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the /etc files of slot " + slot, e);
        }
        return Map.copyOf(onHost);
    }

    /** The language's profile, its shared libraries included. */
    public LanguageProfile profile(Language language) {
        return profiles.get(language);
    }

    /**
     * The language's profile with the operator's packages bound from {@code packagesTree} (see
     * {@link #packagesTree}) rather than through the {@code current} symlink, so that a later
     * switch of generation cannot reach a sandbox built now unseen; the profile as it is when
     * {@code packagesTree} is empty.
     */
    public LanguageProfile profile(Language language, String packagesTree) {
        LanguageProfile profile = profiles.get(language);
        return packagesTree.isEmpty() ? profile
                : profile.withMountSource(PackagesLayout.inside(language), packagesTree);
    }

    /** The compiled seccomp program of {@code language}, for a job with or without the network. */
    public Path seccompProgram(Language language, boolean network) {
        return (network ? seccompOn : seccompOff).get(language);
    }

    /** The /etc files of {@code slot}'s jobs: path inside -> host file. */
    public Map<String, Path> etcFiles(int slot) {
        return etcFiles.get(slot);
    }

    /** The prestart bootstraps ({@link PrestartBootstrap}), bound into every prestarted sandbox. */
    public Path bootstrapDir() {
        return bootstrapDir;
    }

    /**
     * The generation of the operator's packages a sandbox built now would bind for {@code language}
     * (the real path behind the {@code current} symlink), or "" when there is none.
     */
    public String packagesTree(Language language) {
        if (packagesRoot.isEmpty()) {
            return "";
        }
        Path installed = PackagesLayout.importRoot(PackagesLayout.hostRoot(packagesRoot.get()), language);
        try {
            return installed.toRealPath().toString();
        } catch (IOException notInstalled) {
            return "";
        }
    }

    /** What the shared-library view of a language holds and what building it cost, in one line. */
    public String librarySummary(Language language) {
        return libraryViews.get(language).summary();
    }
}
