package dev.sandq.executor.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Slow;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole security corpus again in root mode, by the launch paths {@link CorpusTest} does not
 * take itself (its Python jobs come from the zygote): every job fresh, and every job prestarted
 * with an exec'ed interpreter. Each run is {@link CorpusRunner} in a JVM of its own, as root.
 * Whatever path the worker measures to be cheapest on a host, every case gets what its header says.
 */
@Slow
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CorpusOnOtherLaunchPathsTest {
    private static final Pattern SUMMARY = Pattern.compile("corpus: (\\d+) cases, (\\d+) succeeded, (\\d+) failed, (\\d+) aborted");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fresh", "prestarted"})
    void everyCorpusProgramGetsItsStatusByThisLaunchPath(String path) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsandq.launcher=" + System.getProperty("sandq.launcher"),
                "-D" + CorpusTest.LAUNCH_PATH_PROPERTY + "=" + path,
                "-cp", System.getProperty("java.class.path"), CorpusRunner.class.getName());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = SUMMARY.matcher(stdout);
        if (!m.find()) {
            throw new AssertionError("the corpus runner printed no summary:\n" + stdout);
        }
        int cases = CorpusCase.all().toList().size();
        assertEquals(cases, Integer.parseInt(m.group(1)), stdout);
        assertEquals(0, Integer.parseInt(m.group(3)), "failed by the " + path + " launch path:\n" + stdout);
        assertEquals(0, Integer.parseInt(m.group(4)), "aborted (skipped) by the " + path + " launch path:\n" + stdout);
        assertEquals(cases, Integer.parseInt(m.group(2)), stdout);
        assertEquals(0, p.exitValue(), stdout);
    }
}
