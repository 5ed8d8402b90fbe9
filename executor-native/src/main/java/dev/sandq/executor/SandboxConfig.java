package dev.sandq.executor;

import dev.sandq.executor.egress.EgressPolicy;
import dev.sandq.executor.egress.UpstreamProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the sandbox is set up on this worker. Immutable; validated when built.
 *
 * @param slots              jobs at once (default: one per core)
 * @param privilegeMode      root (one uid per slot) or user namespaces
 * @param firstSlotUid       uid (and gid) of slot 0 in root mode; slot i uses firstSlotUid + i
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
 * @param prestart           whether each idle slot keeps a sandbox started for its next job, its
 *                           interpreter already running (languages that support it; jobs without
 *                           the network): a job's start-up then happens before it arrives
 * @param pythonZygote       whether Python's prestarted sandboxes start their interpreter as a fork
 *                           of a warm one (a zygote; root mode only; executor-native/ZYGOTE.md)
 *                           instead of an execve: most of its start-up's CPU is saved
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
        boolean pythonZygote) {

    public static final int DEFAULT_FIRST_SLOT_UID = 61000;
    public static final String DEFAULT_CGROUP_PARENT = "sandq";

    public SandboxConfig {
        if (slots < 1 || slots > 1024) {
            throw new IllegalArgumentException("slots must be between 1 and 1024, got " + slots);
        }
        Objects.requireNonNull(privilegeMode, "privilegeMode");
        if (firstSlotUid < 1000) {
            throw new IllegalArgumentException("firstSlotUid must be >= 1000, got " + firstSlotUid);
        }
        launcher = Objects.requireNonNull(launcher, "launcher");
        interpreters = Map.copyOf(interpreters);
        extraSyscalls = Map.copyOf(extraSyscalls);
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(ceilings, "ceilings");
        if (!List.of("auto", "v1", "v2", "none").contains(cgroupMode)) {
            throw new IllegalArgumentException("cgroupMode must be auto, v1, v2 or none, got " + cgroupMode);
        }
        if (!cgroupParent.matches("[A-Za-z0-9_.-]+") || cgroupParent.equals(".") || cgroupParent.equals("..")) {
            throw new IllegalArgumentException("cgroupParent must be one path component of letters, digits, '_', '.'"
                    + " and '-', got '" + cgroupParent + "'");
        }
        Objects.requireNonNull(egress, "egress");
        egressProxy = Objects.requireNonNull(egressProxy, "egressProxy");
        packagesRoot = Objects.requireNonNull(packagesRoot, "packagesRoot");
        packagesRoot.ifPresent(PackagesLayout::validateRoot);
    }

    /** Defaults for this host: one slot per core, auto privilege mode, packaged launcher. */
    public static SandboxConfig standard() {
        return new SandboxConfig(
                Runtime.getRuntime().availableProcessors(),
                PrivilegeMode.AUTO,
                DEFAULT_FIRST_SLOT_UID,
                Optional.empty(),
                Map.of(Language.PYTHON3, Path.of("/usr/bin/python3"), Language.NODEJS, Path.of("/usr/bin/node")),
                Map.of(),
                SandboxLimits.DEFAULTS,
                SandboxLimits.CEILINGS,
                false,
                "auto",
                DEFAULT_CGROUP_PARENT,
                EgressPolicy.standard(),
                Optional.empty(),
                Optional.of(PackagesLayout.DEFAULT_ROOT),
                true,
                true);
    }

    public SandboxConfig withSlots(int n) {
        return new SandboxConfig(n, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withPrivilegeMode(PrivilegeMode mode) {
        return new SandboxConfig(slots, mode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withLauncher(Path path) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, Optional.of(path), interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withExtraSyscalls(Map<Language, List<String>> extra) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extra,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withDefaults(SandboxLimits newDefaults) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                newDefaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withCeilings(SandboxLimits newCeilings) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, newCeilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withInterpreter(Language language, Path path) {
        var copy = new java.util.EnumMap<Language, Path>(Language.class);
        copy.putAll(interpreters);
        copy.put(language, path);
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, copy, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withNetworkAllowed(boolean allowed) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, allowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withCgroupMode(String mode) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, mode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    /** Jobs' cgroups are made under {@code parent} instead of "sandq" (two sandboxes on one host keep apart). */
    public SandboxConfig withCgroupParent(String parent) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, parent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    /** Slot i runs as uid and gid {@code uid} + i (root mode). */
    public SandboxConfig withFirstSlotUid(int uid) {
        return new SandboxConfig(slots, privilegeMode, uid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    public SandboxConfig withEgress(EgressPolicy policy) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, policy, egressProxy, packagesRoot, prestart, pythonZygote);
    }

    /** The egress proxy goes out through {@code proxy} instead of connecting to destinations itself. */
    public SandboxConfig withEgressProxy(UpstreamProxy proxy) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, Optional.of(proxy), packagesRoot, prestart, pythonZygote);
    }

    /** With {@code enabled} false every job's sandbox is built when the job arrives. */
    public SandboxConfig withPrestart(boolean enabled) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, enabled, pythonZygote);
    }

    public SandboxConfig withPythonZygote(boolean enabled) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, packagesRoot, prestart, enabled);
    }

    /** Packages installed under {@code root} (see {@link PackagesLayout}) become importable in every job. */
    public SandboxConfig withPackagesRoot(Path root) {
        return new SandboxConfig(slots, privilegeMode, firstSlotUid, launcher, interpreters, extraSyscalls,
                defaults, ceilings, networkAllowed, cgroupMode, cgroupParent, egress, egressProxy, Optional.of(root), prestart, pythonZygote);
    }
}
