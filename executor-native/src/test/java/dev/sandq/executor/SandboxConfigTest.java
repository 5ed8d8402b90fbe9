package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.egress.EgressPolicy;
import dev.sandq.executor.egress.UpstreamProxy;
import dev.sandq.testing.Fast;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

@Fast
class SandboxConfigTest {

    private static String failure(Consumer<SandboxConfig.Builder> bad) {
        SandboxConfig.Builder builder = SandboxConfig.builder();
        return assertThrows(IllegalArgumentException.class, () -> {
            bad.accept(builder);
            builder.build();
        }).getMessage();
    }

    @Test
    void theDefaultsAreThisHostsAndTheSafeOnes() {
        SandboxConfig config = SandboxConfig.builder().build();
        assertEquals(Runtime.getRuntime().availableProcessors(), config.slots());
        assertEquals(PrivilegeMode.AUTO, config.privilegeMode());
        assertEquals(SandboxConfig.DEFAULT_FIRST_SLOT_UID, config.firstSlotUid());
        assertEquals(Optional.empty(), config.launcher());
        assertEquals(Map.of(Language.PYTHON3, Path.of("/usr/bin/python3"), Language.NODEJS, Path.of("/usr/bin/node")),
                config.interpreters());
        assertEquals(Map.of(), config.extraSyscalls());
        assertEquals(SandboxLimits.DEFAULTS, config.defaults());
        assertEquals(SandboxLimits.CEILINGS, config.ceilings());
        assertEquals(false, config.networkAllowed(), "no network unless asked for");
        assertEquals("auto", config.cgroupMode());
        assertEquals(SandboxConfig.DEFAULT_CGROUP_PARENT, config.cgroupParent());
        assertEquals(EgressPolicy.standard(), config.egress());
        assertEquals(Optional.empty(), config.egressProxy());
        assertEquals(Optional.of(PackagesLayout.DEFAULT_ROOT), config.packagesRoot());
        assertTrue(config.prestart());
        assertTrue(config.pythonZygote());
        assertEquals(List.of(), config.precompiledPython(), "no program compiled ahead unless given");
    }

    @Test
    void aBuilderFromAConfigurationChangesOnlyWhatItIsTold() {
        SandboxConfig config = SandboxConfig.builder().slots(3).privilegeMode(PrivilegeMode.ROOT).firstSlotUid(70000)
                .launcher(Path.of("/opt/launcher")).interpreter(Language.NODEJS, Path.of("/opt/node"))
                .extraSyscalls(Map.of(Language.PYTHON3, List.of("io_uring_setup"))).networkAllowed(true)
                .cgroupMode("v1").cgroupParent("sandq-test").egressProxy(UpstreamProxy.parse("http://proxy:3128"))
                .packagesRoot(Path.of("/srv/packages")).prestart(false).pythonZygote(false)
                .precompiledPython(List.of("print(1)")).build();
        assertEquals(config, config.toBuilder().build());
        SandboxConfig changed = config.toBuilder().slots(4).build();
        assertEquals(4, changed.slots());
        assertEquals(config, changed.toBuilder().slots(3).build());
        assertEquals(Path.of("/usr/bin/python3"), config.interpreters().get(Language.PYTHON3), "the other language's stays");
        assertEquals(Path.of("/opt/node"), config.interpreters().get(Language.NODEJS));
    }

    @Test
    void everyFailureNamesTheBadValue() {
        assertTrue(failure(b -> b.slots(0)).contains("got 0"));
        assertTrue(failure(b -> b.slots(1025)).contains("got 1025"));
        assertTrue(failure(b -> b.firstSlotUid(999)).contains("got 999"));
        assertTrue(failure(b -> b.privilegeMode(null)).contains("privilegeMode must be given, got null"));
        assertTrue(failure(b -> b.cgroupMode("v3")).contains("got v3"));
        assertTrue(failure(b -> b.cgroupParent("a/b")).contains("got 'a/b'"));
        assertTrue(failure(b -> b.cgroupParent("..")).contains("got '..'"));
        assertTrue(failure(b -> b.packagesRoot(Path.of("relative"))).contains("got relative"));
        assertTrue(failure(b -> b.defaults(null)).contains("defaults must be given, got null"));
        assertTrue(failure(b -> b.ceilings(null)).contains("ceilings must be given, got null"));
        assertTrue(failure(b -> b.defaults(new SandboxLimits(90_000, 5_000, 1, 1, 1, 1, 1, 1)))
                .contains("the default wall time (ms) 90000 is above its ceiling 60000"));
        assertTrue(failure(b -> b.ceilings(new SandboxLimits(60_000, 60_000, 1 << 20, 1 << 20, 256, 1 << 20, 1, 1)))
                .contains("the default memory (bytes) 268435456 is above its ceiling 1048576"));
        assertTrue(failure(b -> b.egress(null)).contains("egress must be given, got null"));
        assertTrue(failure(b -> b.extraSyscalls(null)).contains("extraSyscalls must be given, got null"));
        assertTrue(failure(b -> b.launcher(null)).contains("got null"));
        assertTrue(failure(b -> b.interpreter(Language.PYTHON3, null)).contains("got PYTHON3 and null"));
        assertTrue(failure(b -> b.launchPath(Language.NODEJS, LaunchPath.ZYGOTE))
                .contains("nodejs:zygote: only Python jobs can be forked from a zygote"));
        assertTrue(failure(b -> b.pythonZygote(false).launchPath(Language.PYTHON3, LaunchPath.ZYGOTE))
                .contains("python3:zygote: the Python zygote is off"));
        assertTrue(failure(b -> b.prestart(false).launchPath(Language.NODEJS, LaunchPath.PRESTARTED))
                .contains("nodejs:prestarted needs prestarting, which is off"));
        assertTrue(failure(b -> b.precompiledPython(List.of("#".repeat(64 * 1024 + 1))))
                .contains("a precompiled Python program must be at most 65536 bytes, got one of 65537 bytes"));
        assertTrue(failure(b -> b.precompiledPython(Collections.nCopies(9, "#".repeat(60_000))))
                .contains("the precompiled Python programs must be at most 524288 bytes together, got 540000 bytes"));
    }

    @Test
    void aLanguageMayTakeWhatPrestartingAndTheZygoteAllowOrThePinnedPathAlone() {
        SandboxConfig all = SandboxConfig.builder().build();
        assertEquals(Set.of(LaunchPath.FRESH, LaunchPath.PRESTARTED, LaunchPath.ZYGOTE),
                all.allowedLaunchPaths(Language.PYTHON3));
        assertEquals(Set.of(LaunchPath.FRESH, LaunchPath.PRESTARTED), all.allowedLaunchPaths(Language.NODEJS));
        SandboxConfig noZygote = all.toBuilder().pythonZygote(false).build();
        assertEquals(Set.of(LaunchPath.FRESH, LaunchPath.PRESTARTED), noZygote.allowedLaunchPaths(Language.PYTHON3));
        SandboxConfig noPrestart = all.toBuilder().prestart(false).build();
        assertEquals(Set.of(LaunchPath.FRESH), noPrestart.allowedLaunchPaths(Language.PYTHON3));
        assertEquals(Set.of(LaunchPath.FRESH), noPrestart.allowedLaunchPaths(Language.NODEJS));
        SandboxConfig pinned = all.toBuilder().launchPath(Language.PYTHON3, LaunchPath.PRESTARTED).build();
        assertEquals(Set.of(LaunchPath.PRESTARTED), pinned.allowedLaunchPaths(Language.PYTHON3));
        assertEquals(Set.of(LaunchPath.FRESH, LaunchPath.PRESTARTED), pinned.allowedLaunchPaths(Language.NODEJS));
        assertEquals(pinned, pinned.toBuilder().build(), "the pin survives toBuilder");
    }
}
