package dev.sandq.executor.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.testing.UnprivilegedJvm;
import dev.sandq.testing.Slow;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole security corpus again, in the other privilege mode: {@link CorpusTest} run by
 * {@link CorpusRunner} in a JVM of its own as an unprivileged uid, so every sandbox is built with user
 * namespaces, without root and without cgroups (memory falls back to RLIMIT_DATA). Every program
 * must get the status its header names, exactly as under root. This JVM, as root, owns the host
 * UNIX socket that no job may reach (that uid cannot create it under /run) and counts connections.
 */
@Slow
@Timeout(value = 12, unit = TimeUnit.MINUTES) // above the runner's own 600 s, which shows what it printed
class CorpusAsUnprivilegedUserTest {
    private static final Pattern SUMMARY = Pattern.compile("corpus: (\\d+) cases, (\\d+) succeeded, (\\d+) failed, (\\d+) aborted");

    @Test
    void everyCorpusProgramGetsItsStatusInPrivilegeModeUserns() throws Exception {
        try (HostProbeSocket probe = HostProbeSocket.open();
             UnprivilegedJvm jvm = UnprivilegedJvm.prepare()) {
            UnprivilegedJvm.Output run = jvm.run(CorpusRunner.class,
                    List.of("-D" + CorpusTest.UNPRIVILEGED_PROPERTY + "=true"), 600);
            Matcher m = SUMMARY.matcher(run.stdout());
            if (!m.find()) {
                throw new AssertionError("the corpus runner printed no summary:\n" + run.stdout());
            }
            int cases = CorpusCase.all().toList().size();
            assertEquals(cases, Integer.parseInt(m.group(1)), run.stdout());
            assertEquals(0, Integer.parseInt(m.group(3)), "failed unprivileged:\n" + run.stdout());
            assertEquals(0, Integer.parseInt(m.group(4)), "aborted (skipped) unprivileged:\n" + run.stdout());
            assertEquals(cases, Integer.parseInt(m.group(2)), run.stdout());
            assertEquals(0, run.exitCode(), run.stdout());
            assertEquals(0, probe.connections(), "a job reached the host's unix socket " + HostProbeSocket.PATH);
        }
    }
}
