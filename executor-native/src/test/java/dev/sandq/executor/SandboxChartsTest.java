package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charts end to end: matplotlib (installed by ops/install-deps) draws in the sandbox with the Agg
 * backend, its fonts found and its cache in the job's /tmp, with no syscall denied; the PNG it
 * saves is byte-identical to the same script's run bare (the same interpreter and settings,
 * outside any sandbox), and so is the SVG (fixed hash salt, no date).
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxChartsTest {
    static final String CHART = """
            import os
            import matplotlib.pyplot as plt
            plt.rcParams['svg.hashsalt'] = 'sandq'
            fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
            ax.plot([1, 2, 3, 4], [3, 1, 4, 1], marker='o', label='series')
            ax.set_title('Quarterly figures'); ax.set_xlabel('quarter'); ax.legend()
            out = os.environ['SANDQ_OUTPUT_DIR']
            fig.savefig(out + '/chart.png')
            fig.savefig(out + '/chart.svg', metadata={'Date': None})
            import matplotlib.font_manager as fm
            print(os.path.basename(fm.findfont(fm.FontProperties(family='DejaVu Sans'), fallback_to_default=False)))
            """;

    private static Sandbox sandbox;

    @TempDir
    Path bare;

    @BeforeAll
    static void start() throws Exception {
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(false).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aMatplotlibChartComesBackAsPngAndSvgIdenticalToABareRun() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, CHART).withLimits(JobLimits.DEFAULTS.withWallTimeMs(30_000)));
        assertEquals(Status.OK, r.status(), () -> r.error() + "\n" + r.stdout() + "\n" + r.stderr());
        assertEquals("DejaVuSans.ttf\n", r.stdout(), "the font is found");
        Map<String, OutputFile> files = r.outputs().files().stream()
                .collect(Collectors.toMap(OutputFile::path, f -> f));
        assertEquals("image/png", files.get("chart.png").mediaType());
        assertEquals("image/svg+xml", files.get("chart.svg").mediaType());

        Path script = Files.writeString(bare.resolve("chart.py"), CHART);
        Path out = Files.createDirectory(bare.resolve("output"));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-B", script.toString()).directory(bare.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("MPLBACKEND", "Agg", "MPLCONFIGDIR", bare.resolve("mpl").toString(),
                "SANDQ_OUTPUT_DIR", out.toString(), "LANG", "C.UTF-8", "HOME", bare.toString(), "TZ", "UTC",
                "PATH", "/usr/bin"));
        Process p = pb.redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        assertArrayEquals(Files.readAllBytes(out.resolve("chart.png")), files.get("chart.png").content(),
                "the PNG, byte for byte");
        assertEquals(Files.readString(out.resolve("chart.svg")),
                new String(files.get("chart.svg").content(), StandardCharsets.UTF_8), "the SVG");
    }

    @Test
    void aPillowImageComesBackAsJpeg() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, """
                import os
                from PIL import Image
                Image.new('RGB', (32, 16), (200, 30, 30)).save(os.environ['SANDQ_OUTPUT_DIR'] + '/red.jpg')
                """));
        assertEquals(Status.OK, r.status(), () -> r.error() + "\n" + r.stdout() + "\n" + r.stderr());
        assertEquals("image/jpeg", r.outputs().files().get(0).mediaType());
    }
}
