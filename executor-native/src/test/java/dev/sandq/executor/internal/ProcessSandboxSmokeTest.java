package dev.sandq.executor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.Job;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.Status;
import org.junit.jupiter.api.Test;

class ProcessSandboxSmokeTest {
    static final byte[] ALLOW_ALL = {0x06, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f};

    @Test
    void runsPythonAndNode() throws Exception {
        try (var sandbox = new ProcessSandbox(SandboxConfig.standard(), PrivilegeMode.ROOT, (l, n) -> ALLOW_ALL)) {
            Result r = sandbox.run(Job.of(Language.PYTHON3, "import os, numpy; print(os.getuid(), numpy.arange(4).sum())"));
            System.err.println(r);
            assertEquals(Status.OK, r.status());
            r = sandbox.run(Job.of(Language.NODEJS, "console.log(process.getuid(), require('crypto').createHash('sha256').update('x').digest('hex'))"));
            System.err.println(r);
            assertEquals(Status.OK, r.status());
            r = sandbox.run(Job.of(Language.PYTHON3, "while True: print('x' * 1000)").withLimits(JobLimits.DEFAULTS.withMaxOutputBytes(65536)));
            System.err.println(r.status() + " " + r.stdout().length() + " " + r.usage() + r.error());
            assertEquals(Status.OUTPUT_LIMIT, r.status());
            assertEquals(65536, r.stdout().length());
            r = sandbox.run(Job.of(Language.PYTHON3, "while True: pass").withLimits(JobLimits.DEFAULTS.withWallTimeMs(200)));
            System.err.println(r.status() + " " + r.usage());
            r = sandbox.run(Job.of(Language.PYTHON3, "x = bytearray(1 << 30)").withLimits(JobLimits.DEFAULTS.withMemoryMb(64)));
            System.err.println(r.status() + " " + r.usage());
        }
    }
}
