package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.internal.assets.LanguageProfile;
import dev.sandq.executor.internal.assets.MountEntry;
import dev.sandq.executor.internal.assets.PrestartBootstrap;
import dev.sandq.testing.Fast;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Fast
class LaunchTest {
    private static final LanguageProfile NODE = new LanguageProfile(Language.NODEJS, Path.of("/usr/bin/node"),
            "/sandbox/main.js", List.of("/usr/bin/node"), List.of(), Map.of("PATH", "/usr/bin"), List.of(), List.of());

    private static LaunchSettings settings(LanguageProfile profile) {
        return new LaunchSettings(Path.of("/l"), PrivilegeMode.ROOT, 61000, "auto", "sandq", profile,
                SandboxLimits.DEFAULTS, Path.of("/s.bpf"), Path.of("/status"), Map.of());
    }

    private static List<String> argv(Optional<Path> egressSocket) {
        return new FreshLaunch(settings(NODE), Path.of("/code"), egressSocket).argv();
    }

    @Test
    void aJobWithTheNetworkGetsTheEgressSocketAndTheProxyVariables() {
        List<String> argv = argv(Optional.of(Path.of("/w/egress.sock")));
        assertTrue(Collections.indexOfSubList(argv, List.of("--egress-socket", "/w/egress.sock")) >= 0, argv::toString);
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            assertTrue(argv.contains(name + "=http://127.0.0.1:3128"), argv::toString);
        }
        assertTrue(argv.contains("NODE_USE_ENV_PROXY=1"), argv::toString);
        assertFalse(argv.stream().anyMatch(a -> a.startsWith("NO_PROXY") || a.startsWith("no_proxy")), argv::toString);
    }

    @Test
    void aJobWithoutTheNetworkGetsNeitherAndNeverTheHostsNetwork() {
        List<String> argv = argv(Optional.empty());
        assertFalse(argv.contains("--egress-socket"), argv::toString);
        assertFalse(argv.contains("--network"), argv::toString);
        assertFalse(argv.stream().anyMatch(a -> a.toLowerCase().contains("proxy")), argv::toString);
    }

    @Test
    void aPrestartedSandboxBindsTheCodeDirectoryAndRunsTheBootstrapOnTheCodePath() {
        LanguageProfile python = LanguageProfile.python3(Path.of("/usr/bin/python3"));
        List<String> argv = new PrestartedLaunch(settings(python), Path.of("/slot/code/main.py"), Path.of("/w/prestart"), Optional.empty())
                .argv();
        assertTrue(argv.contains("--prestart"), argv::toString);
        assertTrue(Collections.indexOfSubList(argv, List.of("--ro-bind", "/slot/code:/sandbox")) >= 0, argv::toString);
        assertTrue(Collections.indexOfSubList(argv, List.of("--ro-bind", "/w/prestart:/usr/lib/sandq/prestart")) >= 0,
                argv::toString);
        assertFalse(argv.stream().anyMatch(a -> a.endsWith(":/sandbox/main.py")), "no code is copied in: " + argv);
        List<String> program = argv.subList(argv.indexOf("--") + 1, argv.size());
        assertEquals(List.of("/usr/bin/python3", "-B", "-c"), program.subList(0, 3));
        assertTrue(program.get(3).contains("os.write(3, b\"s\")"), "the bootstrap: " + program.get(3));
        assertEquals("/sandbox/main.py", program.get(4));
    }

    @Test
    void aPrestartedSandboxsCodeFileMustCarryTheCodePathsName() {
        LanguageProfile python = LanguageProfile.python3(Path.of("/usr/bin/python3"));
        assertThrows(IllegalArgumentException.class, () -> new PrestartedLaunch(settings(python),
                Path.of("/slot/code/other.py"), Path.of("/w/prestart"), Optional.empty()));
    }

    @Test
    void aPrestartedNodeSandboxPreloadsTheBootstrapAndRunsTheCodeFile() {
        List<String> argv = new PrestartedLaunch(settings(NODE), Path.of("/slot/code/main.js"), Path.of("/w/prestart"), Optional.empty())
                .argv();
        assertEquals(List.of("/usr/bin/node", "-r", "/usr/lib/sandq/prestart/nodejs.js", "/sandbox/main.js"),
                argv.subList(argv.indexOf("--") + 1, argv.size()));
    }

    // The launcher's whole command line for each kind of launch, pinned option by option: what
    // the launcher gets must not change when the Java side that builds it does.

    private static final SandboxLimits LIMITS = new SandboxLimits(1_001, 1_002, 1_003, 1_004, 1_005, 1_006, 1_007, 1_008);
    private static final List<MountEntry> MOUNTS = List.of(
            MountEntry.readOnly("/usr/lib/x86_64-linux-gnu"), MountEntry.readOnlyIfPresent("/etc/ssl/certs"),
            MountEntry.symlink("usr/lib", "/lib"), MountEntry.device("/dev/null"));
    private static final Map<String, Path> ETC = Map.of("/etc/passwd", Path.of("/w/slot-3/passwd"),
            "/etc/hosts", Path.of("/w/slot-3/hosts"));
    private static final LanguageProfile PINNED_PYTHON = new LanguageProfile(Language.PYTHON3, Path.of("/usr/bin/python3"),
            "/sandbox/main.py", List.of("/usr/bin/python3", "-B"), MOUNTS, Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8"),
            List.of(), List.of());
    private static final LanguageProfile PINNED_NODE = new LanguageProfile(Language.NODEJS, Path.of("/usr/bin/node"),
            "/sandbox/main.js", List.of("/usr/bin/node"), MOUNTS,
            Map.of("PATH", "/usr/bin", "NODE_PATH", "/usr/lib/node_modules"), List.of(), List.of());

    private static final List<String> HEAD = List.of("/w/sandq-launcher");
    private static final List<String> STATUS_AND_SECCOMP = List.of(
            "--status-file", "/w/slot-3/status-7.json", "--seccomp-file", "/w/seccomp.bpf");
    private static final List<String> PRESTART_BINDS = List.of("--prestart",
            "--ro-bind", "/w/slot-3/prestarted-code:/sandbox", "--ro-bind", "/w/prestart:/usr/lib/sandq/prestart");
    private static final List<String> ETC_COPIES = List.of(
            "--copy-in", "/w/slot-3/hosts:/etc/hosts", "--copy-in", "/w/slot-3/passwd:/etc/passwd");
    private static final List<String> ROOT_IDS = List.of("--uid", "61003", "--gid", "61003");
    private static final List<String> USERNS = List.of("--userns");
    private static final List<String> CGROUP_AND_LIMITS = List.of("--cgroup", "v1", "--cgroup-parent", "sandq-test",
            "--wall-ms", "1001", "--cpu-ms", "1002", "--memory-bytes", "1003", "--processes", "1005",
            "--file-bytes", "1006", "--open-files", "1007", "--tmp-size", "1008",
            "--output-dir", "/tmp/output");
    private static final List<String> EGRESS = List.of("--egress-socket", "/w/egress.sock");
    private static final List<String> MOUNT_OPTIONS = List.of(
            "--ro-bind", "/usr/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu",
            "--ro-bind-try", "/etc/ssl/certs:/etc/ssl/certs",
            "--symlink", "usr/lib:/lib",
            "--dev-bind", "/dev/null:/dev/null");
    private static final List<String> PYTHON_ENV = List.of("--env", "LANG=C.UTF-8", "--env", "PATH=/usr/bin");
    private static final List<String> PYTHON_PRESTART_PROGRAM = List.of("--", "/usr/bin/python3", "-B", "-c",
            PrestartBootstrap.source(Language.PYTHON3), "/sandbox/main.py");

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static LaunchSettings pinned(PrivilegeMode mode, LanguageProfile profile) {
        return new LaunchSettings(Path.of("/w/sandq-launcher"), mode, 61003, "v1", "sandq-test", profile, LIMITS,
                Path.of("/w/seccomp.bpf"), Path.of("/w/slot-3/status-7.json"), ETC);
    }

    private static PrestartedLaunch pinnedPrestartedPython() {
        return new PrestartedLaunch(pinned(PrivilegeMode.ROOT, PINNED_PYTHON),
                Path.of("/w/slot-3/prestarted-code/main.py"),
                Path.of("/w/prestart"), Optional.empty());
    }

    @Test
    void aFreshLaunchsArgvIsPinned() {
        assertEquals(concat(HEAD, STATUS_AND_SECCOMP, List.of("--copy-in", "/w/slot-3/code:/sandbox/main.py"), ETC_COPIES,
                        ROOT_IDS, CGROUP_AND_LIMITS, MOUNT_OPTIONS, PYTHON_ENV,
                        List.of("--", "/usr/bin/python3", "-B", "/sandbox/main.py")),
                new FreshLaunch(pinned(PrivilegeMode.ROOT, PINNED_PYTHON), Path.of("/w/slot-3/code"), Optional.empty())
                        .argv());
    }

    @Test
    void aFreshLaunchWithTheNetworksArgvIsPinned() {
        assertEquals(concat(HEAD, STATUS_AND_SECCOMP, List.of("--copy-in", "/w/slot-3/code:/sandbox/main.js"), ETC_COPIES,
                        ROOT_IDS, CGROUP_AND_LIMITS, EGRESS, MOUNT_OPTIONS,
                        List.of("--env", "HTTPS_PROXY=http://127.0.0.1:3128", "--env", "HTTP_PROXY=http://127.0.0.1:3128",
                                "--env", "NODE_PATH=/usr/lib/node_modules", "--env", "NODE_USE_ENV_PROXY=1",
                                "--env", "PATH=/usr/bin", "--env", "http_proxy=http://127.0.0.1:3128",
                                "--env", "https_proxy=http://127.0.0.1:3128"),
                        List.of("--", "/usr/bin/node", "/sandbox/main.js")),
                new FreshLaunch(pinned(PrivilegeMode.ROOT, PINNED_NODE), Path.of("/w/slot-3/code"),
                        Optional.of(Path.of("/w/egress.sock"))).argv());
        assertEquals(concat(HEAD, STATUS_AND_SECCOMP, List.of("--copy-in", "/w/slot-3/code:/sandbox/main.py"), ETC_COPIES,
                        USERNS, CGROUP_AND_LIMITS, EGRESS, MOUNT_OPTIONS,
                        List.of("--env", "HTTPS_PROXY=http://127.0.0.1:3128", "--env", "HTTP_PROXY=http://127.0.0.1:3128",
                                "--env", "LANG=C.UTF-8", "--env", "PATH=/usr/bin",
                                "--env", "http_proxy=http://127.0.0.1:3128", "--env", "https_proxy=http://127.0.0.1:3128"),
                        List.of("--", "/usr/bin/python3", "-B", "/sandbox/main.py")),
                new FreshLaunch(pinned(PrivilegeMode.USERNS, PINNED_PYTHON), Path.of("/w/slot-3/code"),
                        Optional.of(Path.of("/w/egress.sock"))).argv());
    }

    @Test
    void aPrestartedLaunchsArgvIsPinned() {
        assertEquals(concat(HEAD, STATUS_AND_SECCOMP, PRESTART_BINDS, ETC_COPIES, ROOT_IDS, CGROUP_AND_LIMITS,
                        MOUNT_OPTIONS, PYTHON_ENV, PYTHON_PRESTART_PROGRAM),
                pinnedPrestartedPython().argv());
        assertEquals(concat(HEAD, STATUS_AND_SECCOMP, PRESTART_BINDS, ETC_COPIES, USERNS, CGROUP_AND_LIMITS,
                        MOUNT_OPTIONS, List.of("--env", "NODE_PATH=/usr/lib/node_modules", "--env", "PATH=/usr/bin"),
                        List.of("--", "/usr/bin/node", "-r", "/usr/lib/sandq/prestart/nodejs.js", "/sandbox/main.js")),
                new PrestartedLaunch(pinned(PrivilegeMode.USERNS, PINNED_NODE),
                        Path.of("/w/slot-3/prestarted-code/main.js"), Path.of("/w/prestart"), Optional.empty()).argv());
    }

    @Test
    void aZygoteLaunchsArgvIsPinned() {
        assertEquals(concat(HEAD, List.of("--zygote", "/w/zygotes/zygote-1.sock"), STATUS_AND_SECCOMP, PRESTART_BINDS,
                        ETC_COPIES, ROOT_IDS, CGROUP_AND_LIMITS, MOUNT_OPTIONS, PYTHON_ENV, PYTHON_PRESTART_PROGRAM),
                pinnedPrestartedPython().viaZygote(Path.of("/w/zygotes/zygote-1.sock")).argv());
    }

    @Test
    void theZygotesOwnArgvIsPinned() {
        assertEquals(concat(HEAD, List.of("--zygote-serve", "/w/zygotes/zygote-1.sock"),
                        List.of("--status-file", "/w/zygotes/zygote-1.status", "--seccomp-file", "/w/seccomp.bpf"),
                        PRESTART_BINDS, ETC_COPIES, ROOT_IDS, CGROUP_AND_LIMITS, MOUNT_OPTIONS, PYTHON_ENV,
                        List.of("--ro-bind", "/w/libsandq-launcher.so:/run/sandq/libsandq-launcher.so",
                                "--", "/usr/bin/python3", "-B", "-c", "ZYGOTE SOURCE", "/run/sandq/libsandq-launcher.so",
                                // the modules it preloads
                                "base64,json",
                                // the launches' program, for the zygote to compile once, and their code path
                                PrestartBootstrap.source(Language.PYTHON3), "/sandbox/main.py",
                                // the programs compiled as the bootstrap would compile a job's code
                                "print(1)", "print(2)")),
                pinnedPrestartedPython().zygoteServerArgv(Path.of("/w/zygotes/zygote-1.status"),
                        Path.of("/w/zygotes/zygote-1.sock"), Path.of("/w/libsandq-launcher.so"), "ZYGOTE SOURCE",
                        List.of("base64", "json"), List.of("print(1)", "print(2)")));
    }

    @Test
    void onlyPythonsInterpreterIsForkedByAZygote() {
        PrestartedLaunch node = new PrestartedLaunch(pinned(PrivilegeMode.ROOT, PINNED_NODE),
                Path.of("/w/slot-3/prestarted-code/main.js"), Path.of("/w/prestart"), Optional.empty());
        assertThrows(IllegalStateException.class, () -> node.zygoteServerArgv(Path.of("/w/zygotes/zygote-1.status"),
                Path.of("/w/zygotes/zygote-1.sock"), Path.of("/w/libsandq-launcher.so"), "ZYGOTE SOURCE",
                        List.of("base64", "json"), List.of()));
    }

    @Test
    void aPrestartedSandboxWithTheNetworkGetsTheEgressSocketAndItsZygoteTheNetworksEnvironmentOnly() {
        LanguageProfile python = LanguageProfile.python3(Path.of("/usr/bin/python3"));
        PrestartedLaunch launch = new PrestartedLaunch(settings(python), Path.of("/slot/code/main.py"),
                Path.of("/w/prestart"), Optional.of(Path.of("/w/egress.sock")));
        List<String> argv = launch.argv();
        assertTrue(Collections.indexOfSubList(argv, List.of("--egress-socket", "/w/egress.sock")) >= 0, argv::toString);
        assertTrue(argv.contains("HTTP_PROXY=http://127.0.0.1:3128"), argv::toString);
        assertTrue(argv.contains("--prestart"), argv::toString);
        List<String> viaZygote = launch.viaZygote(Path.of("/w/zygotes/zygote-1.sock")).argv();
        assertTrue(Collections.indexOfSubList(viaZygote, List.of("--egress-socket", "/w/egress.sock")) >= 0,
                "the launch the zygote makes has its own egress socket: " + viaZygote);
        List<String> server = launch.zygoteServerArgv(Path.of("/w/zygotes/zygote-1.status"),
                Path.of("/w/zygotes/zygote-1.sock"), Path.of("/w/libsandq-launcher.so"), "ZYGOTE SOURCE",
                List.of("base64", "json"), List.of());
        assertTrue(server.contains("HTTP_PROXY=http://127.0.0.1:3128"), "the zygote starts with the launches' environment: "
                + server);
        assertFalse(server.contains("--egress-socket"), "the zygote itself never has the network: " + server);
        assertEquals(argv.stream().filter(a -> a.contains("=")).filter(a -> a.matches("[A-Za-z_]+=.*")).toList(),
                server.stream().filter(a -> a.matches("[A-Za-z_]+=.*")).toList(), "the same environment");
    }

    @Test
    void aLaunchWhoseOutputFilesAreCollectedNamesItsFilesOutFileAndLimits() {
        LaunchSettings collected = new LaunchSettings(Path.of("/w/sandq-launcher"), PrivilegeMode.ROOT, 61003, "v1",
                "sandq-test", PINNED_PYTHON, LIMITS, Path.of("/w/seccomp.bpf"),
                Path.of("/w/slot-3/status-7.json"), ETC,
                Optional.of(new LaunchSettings.FilesOut(Path.of("/w/slot-3/files-7.out"), 12, 3456)));
        List<String> argv = new FreshLaunch(collected, Path.of("/w/slot-3/code"), Optional.empty()).argv();
        int at = argv.indexOf("--files-out");
        assertEquals(List.of("--files-out", "/w/slot-3/files-7.out", "--output-max-files", "12", "--output-max-bytes",
                "3456"), argv.subList(at, at + 6));
        assertEquals("/tmp/output", argv.get(argv.indexOf("--output-dir") + 1));
    }
}
