package dev.sandq.executor;

import dev.sandq.executor.local.LocalSandbox;

/**
 * Runs a few jobs in privilege mode userns and prints one line per job: "name status stdout".
 * Started by {@link UnprivilegedModeTest} as an unprivileged user in its own JVM.
 */
public final class UnprivilegedRunner {
    private UnprivilegedRunner() {
    }

    public static void main(String[] args) throws Exception {
        SandboxConfig config = SandboxConfig.builder().slots(1).privilegeMode(PrivilegeMode.USERNS).build();
        try (Sandbox sandbox = LocalSandbox.create(config)) {
            report("python-ok", sandbox.run(Job.of(Language.PYTHON3, "import os, json\nprint(os.getuid(), json.dumps([1]))\n")));
            report("node-ok", sandbox.run(Job.of(Language.NODEJS, "console.log(process.getuid(), JSON.stringify([1]))")));
            report("timeout", sandbox.run(Job.of(Language.PYTHON3, "while True:\n    pass\n")
                    .withLimits(JobLimits.DEFAULTS.withWallTimeMs(300))));
            report("memory", sandbox.run(Job.of(Language.PYTHON3, "x = bytearray(1 << 30)\n")
                    .withLimits(JobLimits.DEFAULTS.withMemoryMb(64))));
            report("ptrace", sandbox.run(Job.of(Language.PYTHON3,
                    "import ctypes\nctypes.CDLL(None).syscall(101, 0, 0, 0, 0)\n")));
            report("shadow", sandbox.run(Job.of(Language.PYTHON3, "print(open('/etc/shadow').read())\n")));
            report("fork-bomb", sandbox.run(Job.of(Language.PYTHON3,
                    "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")
                    .withLimits(JobLimits.DEFAULTS.withWallTimeMs(1000))));
        }
    }

    private static void report(String name, Result r) {
        System.out.println(name + " " + r.status().wireName() + " " + r.stdout().strip().replace('\n', ' '));
    }
}
