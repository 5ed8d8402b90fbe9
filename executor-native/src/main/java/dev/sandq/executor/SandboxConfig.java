package dev.sandq.executor;

import dev.sandq.executor.egress.EgressPolicy;
import dev.sandq.executor.egress.UpstreamProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the sandbox is set up on this worker. Immutable, validated when built; every failure message
 * contains the bad value. Build it with {@link #builder()}.
 *
 * @param slots              jobs at once (default: one per core)
 * @param privilegeMode      root (one uid per sandbox slot) or user namespaces
 * @param firstSlotUid       uid (and gid) of sandbox slot 0 in root mode; sandbox slot i uses
 *                           firstSlotUid + i, for i below {@link #sandboxSlots()}
 * @param launcher           the launcher binary; empty = the one packaged in the jar
 * @param interpreters       interpreter path per language (default /usr/bin/python3, /usr/bin/node)
 * @param extraSyscalls      syscalls the operator adds to a language's allowlist (never replaces it)
 * @param defaults           limits of a job that asks for nothing
 * @param ceilings           the most a job may ask for
 * @param networkAllowed     whether jobs with enable_network may run at all (otherwise they are rejected)
 * @param cgroupMode         auto, v1, v2 or none (passed to the launcher)
 * @param cgroupParent       the cgroup, in each hierarchy, under which the jobs' cgroups are made
 *                           (default "sandq"); a single path component
 * @param egress             where jobs with the network may connect, through the worker's egress proxy
 * @param egressProxy        the operator's HTTP proxy the egress proxy goes out through (after its own
 *                           checks); empty = it connects to destinations directly
 * @param packagesRoot       the operator's installed packages ({@link PackagesLayout}), mounted
 *                           read-only into every sandbox; empty = none
 * @param prestart           whether each idle sandbox slot keeps a sandbox started for its next job,
 *                           its interpreter already running (with the network for a job with the
 *                           network): a job's start-up then happens before it arrives
 * @param pythonZygote       whether Python's prestarted sandboxes may start their interpreter as a
 *                           fork of a warm one (a zygote; root mode only; executor-native/ZYGOTE.md)
 *                           instead of an execve: most of its start-up's CPU is saved
 * @param launchPaths        the launch path pinned for a language; a language without one gets the
 *                           cheapest of those allowed (by {@code prestart} and {@code pythonZygote}),
 *                           measured on this host when the sandbox starts
 * @param files              the most input files a job may bring and output files it gets back
 * @param precompiledPython  Python programs many jobs run as their whole code (the worker's harness of
 *                           function and template jobs): each Python zygote compiles them once when
 *                           it starts, and a job whose code is exactly one of them runs that compiled
 *                           code instead of compiling it (about 2 ms for a 10 KB program). Fixed when
 *                           the sandbox is made: nothing a job sends is compiled ahead for a later job
 */
public record SandboxConfig(
        int slots,
        PrivilegeMode privilegeMode,
        int firstSlotUid,
        Optional<Path> launcher,
        Map<Language, Path> interpreters,
        Map<Language, List<String>> extraSyscalls,
        SandboxLimits defaults,
        SandboxLimits ceilings,
        boolean networkAllowed,
        String cgroupMode,
        String cgroupParent,
        EgressPolicy egress,
        Optional<UpstreamProxy> egressProxy,
        Optional<Path> packagesRoot,
        boolean prestart,
        boolean pythonZygote,
        Map<Language, LaunchPath> launchPaths,
        FileLimits files,
        List<String> precompiledPython) {

    public static final int DEFAULT_FIRST_SLOT_UID = 61000;
    public static final String DEFAULT_CGROUP_PARENT = "sandq";
    public static final int MAX_PRECOMPILED_PROGRAM_BYTES = 64 * 1024;
    public static final int MAX_PRECOMPILED_TOTAL_BYTES = 512 * 1024;

    public SandboxConfig {
        if (slots < 1 || slots > 1024) {
            throw new IllegalArgumentException("slots must be between 1 and 1024, got " + slots);
        }
        requireGiven("privilegeMode", privilegeMode);
        if (firstSlotUid < 1000) {
            throw new IllegalArgumentException("firstSlotUid must be >= 1000, got " + firstSlotUid);
        }
        requireGiven("launcher", launcher);
        requireGiven("interpreters", interpreters);
        interpreters.forEach((language, path) -> requireGiven("the " + language.wireName() + " interpreter", path));
        interpreters = Map.copyOf(interpreters);
        requireGiven("extraSyscalls", extraSyscalls);
        extraSyscalls = Map.copyOf(extraSyscalls);
        requireGiven("defaults", defaults);
        requireGiven("ceilings", ceilings);
        requireNotAbove("wall time (ms)", defaults.wallTimeMs(), ceilings.wallTimeMs());
        requireNotAbove("CPU time (ms)", defaults.cpuTimeMs(), ceilings.cpuTimeMs());
        requireNotAbove("memory (bytes)", defaults.memoryBytes(), ceilings.memoryBytes());
        requireNotAbove("output (bytes)", defaults.maxOutputBytes(), ceilings.maxOutputBytes());
        requireNotAbove("processes", defaults.maxProcesses(), ceilings.maxProcesses());
        requireNotAbove("file size (bytes)", defaults.maxFileBytes(), ceilings.maxFileBytes());
        if (!List.of("auto", "v1", "v2", "none").contains(cgroupMode)) {
            throw new IllegalArgumentException("cgroupMode must be auto, v1, v2 or none, got " + cgroupMode);
        }
        if (cgroupParent == null || !cgroupParent.matches("[A-Za-z0-9_.-]+") || cgroupParent.equals(".")
                || cgroupParent.equals("..")) {
            throw new IllegalArgumentException("cgroupParent must be one path component of letters, digits, '_', '.'"
                    + " and '-', got '" + cgroupParent + "'");
        }
        requireGiven("egress", egress);
        requireGiven("egressProxy", egressProxy);
        requireGiven("packagesRoot", packagesRoot);
        packagesRoot.ifPresent(PackagesLayout::validateRoot);
        requireGiven("files", files);
        long tmpSize = Math.min(defaults.tmpSizeBytes(), ceilings.tmpSizeBytes());
        if (files.maxInputBytes() + files.maxOutputBytes() > tmpSize) {
            throw new IllegalArgumentException("the input files' " + files.maxInputBytes() + " bytes and the output"
                    + " files' " + files.maxOutputBytes() + " bytes must fit together in the job's /tmp of "
                    + tmpSize + " bytes");
        }
        requireGiven("launchPaths", launchPaths);
        launchPaths = Map.copyOf(launchPaths);
        requireGiven("precompiledPython", precompiledPython);
        precompiledPython = List.copyOf(precompiledPython);
        // Each reaches the zygote as one argument of execve: at most 128 KiB each (MAX_ARG_STRLEN), and
        // all of them with the rest of its command line at most a quarter of the stack limit.
        long totalBytes = 0;
        for (String program : precompiledPython) {
            int bytes = program.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_PRECOMPILED_PROGRAM_BYTES) {
                throw new IllegalArgumentException("a precompiled Python program must be at most "
                        + MAX_PRECOMPILED_PROGRAM_BYTES + " bytes, got one of " + bytes + " bytes");
            }
            totalBytes += bytes;
        }
        if (totalBytes > MAX_PRECOMPILED_TOTAL_BYTES) {
            throw new IllegalArgumentException("the precompiled Python programs must be at most "
                    + MAX_PRECOMPILED_TOTAL_BYTES + " bytes together, got " + totalBytes + " bytes");
        }
        launchPaths.forEach((language, path) -> {
            if (path != LaunchPath.FRESH && !prestart) {
                throw new IllegalArgumentException("launch path " + language.wireName() + ":" + path.wireName()
                        + " needs prestarting, which is off");
            }
            if (path == LaunchPath.ZYGOTE && (language != Language.PYTHON3 || !pythonZygote)) {
                throw new IllegalArgumentException("launch path " + language.wireName() + ":zygote: "
                        + (language != Language.PYTHON3 ? "only Python jobs can be forked from a zygote"
                        : "the Python zygote is off"));
            }
        });
    }

    /** The launch paths this configuration allows for {@code language}, the pinned one alone when there is one. */
    public Set<LaunchPath> allowedLaunchPaths(Language language) {
        LaunchPath pinned = launchPaths.get(language);
        if (pinned != null) {
            return EnumSet.of(pinned);
        }
        Set<LaunchPath> allowed = EnumSet.of(LaunchPath.FRESH);
        if (prestart) {
            allowed.add(LaunchPath.PRESTARTED);
            if (language == Language.PYTHON3 && pythonZygote) {
                allowed.add(LaunchPath.ZYGOTE);
            }
        }
        return allowed;
    }

    private static void requireNotAbove(String what, long defaultValue, long ceiling) {
        if (defaultValue > ceiling) {
            throw new IllegalArgumentException("the default " + what + " " + defaultValue + " is above its ceiling "
                    + ceiling);
        }
    }

    private static void requireGiven(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be given, got null");
        }
    }

    /**
     * How many sandbox slots the worker keeps, each with its own uid and directory, never two
     * jobs at once: {@code slots}, and twice as many with prestarting, so that while a job runs in
     * one, the sandbox of the job after it is built in another.
     */
    public int sandboxSlots() {
        return prestart ? 2 * slots : slots;
    }

    /** A builder with this host's defaults: one slot per core, auto privilege mode, the packaged launcher. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.slots = slots;
        b.privilegeMode = privilegeMode;
        b.firstSlotUid = firstSlotUid;
        b.launcher = launcher;
        b.interpreters = new EnumMap<>(Language.class);
        b.interpreters.putAll(interpreters);
        b.extraSyscalls = extraSyscalls;
        b.defaults = defaults;
        b.ceilings = ceilings;
        b.networkAllowed = networkAllowed;
        b.cgroupMode = cgroupMode;
        b.cgroupParent = cgroupParent;
        b.egress = egress;
        b.egressProxy = egressProxy;
        b.packagesRoot = packagesRoot;
        b.prestart = prestart;
        b.pythonZygote = pythonZygote;
        b.launchPaths = new EnumMap<>(Language.class);
        b.launchPaths.putAll(launchPaths);
        b.files = files;
        b.precompiledPython = precompiledPython;
        return b;
    }

    /**
     * Defaults: one slot per core, privilege mode auto, slot uids from 61000, the packaged
     * launcher, /usr/bin/python3 and /usr/bin/node, no extra syscalls, the default limits and
     * ceilings ({@link SandboxLimits#DEFAULTS}, {@link SandboxLimits#CEILINGS}), no network,
     * cgroup mode auto under "sandq", the standard egress policy and no upstream proxy, the
     * default packages root ({@link PackagesLayout#DEFAULT_ROOT}), prestarting and the Python
     * zygote on, no program precompiled.
     */
    public static final class Builder {
        private int slots = Runtime.getRuntime().availableProcessors();
        private PrivilegeMode privilegeMode = PrivilegeMode.AUTO;
        private int firstSlotUid = DEFAULT_FIRST_SLOT_UID;
        private Optional<Path> launcher = Optional.empty();
        private Map<Language, Path> interpreters = new EnumMap<>(Map.of(
                Language.PYTHON3, Path.of("/usr/bin/python3"), Language.NODEJS, Path.of("/usr/bin/node")));
        private Map<Language, List<String>> extraSyscalls = Map.of();
        private SandboxLimits defaults = SandboxLimits.DEFAULTS;
        private SandboxLimits ceilings = SandboxLimits.CEILINGS;
        private boolean networkAllowed;
        private String cgroupMode = "auto";
        private String cgroupParent = DEFAULT_CGROUP_PARENT;
        private EgressPolicy egress = EgressPolicy.standard();
        private Optional<UpstreamProxy> egressProxy = Optional.empty();
        private Optional<Path> packagesRoot = Optional.of(PackagesLayout.DEFAULT_ROOT);
        private boolean prestart = true;
        private boolean pythonZygote = true;
        private Map<Language, LaunchPath> launchPaths = new EnumMap<>(Language.class);
        private FileLimits files = FileLimits.DEFAULTS;
        private List<String> precompiledPython = List.of();

        private Builder() {
        }

        /** Jobs at once. */
        public Builder slots(int n) {
            this.slots = n;
            return this;
        }

        public Builder privilegeMode(PrivilegeMode mode) {
            this.privilegeMode = mode;
            return this;
        }

        /** Slot i runs as uid and gid {@code uid} + i (root mode). */
        public Builder firstSlotUid(int uid) {
            this.firstSlotUid = uid;
            return this;
        }

        /** The launcher binary, instead of the one packaged in the jar. */
        public Builder launcher(Path path) {
            if (path == null) {
                throw new IllegalArgumentException("launcher must be a path, got null");
            }
            this.launcher = Optional.of(path);
            return this;
        }

        /** The interpreter of {@code language}; the other language's stays. */
        public Builder interpreter(Language language, Path path) {
            if (language == null || path == null) {
                throw new IllegalArgumentException("an interpreter needs a language and a path, got " + language
                        + " and " + path);
            }
            this.interpreters.put(language, path);
            return this;
        }

        /** Syscalls added to each language's allowlist (never replacing it). */
        public Builder extraSyscalls(Map<Language, List<String>> extra) {
            this.extraSyscalls = extra;
            return this;
        }

        /** The limits of a job that asks for nothing. */
        public Builder defaults(SandboxLimits limits) {
            this.defaults = limits;
            return this;
        }

        /** The most a job may ask for. */
        public Builder ceilings(SandboxLimits limits) {
            this.ceilings = limits;
            return this;
        }

        /** Whether jobs with enable_network may run (through the egress proxy); otherwise they are rejected. */
        public Builder networkAllowed(boolean allowed) {
            this.networkAllowed = allowed;
            return this;
        }

        /** auto, v1, v2 or none. */
        public Builder cgroupMode(String mode) {
            this.cgroupMode = mode;
            return this;
        }

        /** Jobs' cgroups are made under {@code parent} instead of "sandq" (two sandboxes on one host keep apart). */
        public Builder cgroupParent(String parent) {
            this.cgroupParent = parent;
            return this;
        }

        /** Where jobs with the network may connect. */
        public Builder egress(EgressPolicy policy) {
            this.egress = policy;
            return this;
        }

        /** The egress proxy goes out through {@code proxy} instead of connecting to destinations itself. */
        public Builder egressProxy(UpstreamProxy proxy) {
            if (proxy == null) {
                throw new IllegalArgumentException("egressProxy must be a proxy, got null");
            }
            this.egressProxy = Optional.of(proxy);
            return this;
        }

        /** Packages installed under {@code root} (see {@link PackagesLayout}) become importable in every job. */
        public Builder packagesRoot(Path root) {
            if (root == null) {
                throw new IllegalArgumentException("packagesRoot must be a path, got null");
            }
            this.packagesRoot = Optional.of(root);
            return this;
        }

        /** With {@code enabled} false every job's sandbox is built when the job arrives. */
        public Builder prestart(boolean enabled) {
            this.prestart = enabled;
            return this;
        }

        /** Whether Python's prestarted sandboxes fork their interpreter from a zygote (executor-native/ZYGOTE.md). */
        public Builder pythonZygote(boolean enabled) {
            this.pythonZygote = enabled;
            return this;
        }

        /** Pins {@code language}'s launch path instead of measuring which is cheapest on this host. */
        public Builder launchPath(Language language, LaunchPath path) {
            requireGiven("the launch path of " + language.wireName(), path);
            this.launchPaths.put(language, path);
            return this;
        }

        /** The most input files a job may bring, and output files it gets back. */
        public Builder files(FileLimits limits) {
            this.files = limits;
            return this;
        }

        /**
         * Python programs many jobs run as their whole code, compiled once by each Python zygote
         * (see {@link SandboxConfig#precompiledPython()}).
         */
        public Builder precompiledPython(List<String> sources) {
            this.precompiledPython = sources;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public SandboxConfig build() {
            return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls, defaults,
                    ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart,
                    pythonZygote, launchPaths, files, precompiledPython);
        }
    }
}
