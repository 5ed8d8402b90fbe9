package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.OutputFile;
import dev.sandq.executor.OutputFiles;
import dev.sandq.executor.seccomp.SeccompPolicies;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's collector (outputs.c) on its own, with what a job of sandq's cannot make: the
 * operator's policy here adds mknod, so the job leaves a FIFO in its output directory. The
 * collector must neither block on it nor return it, and flag it.
 */
@Slow
@Timeout(60)
class OutputCollectorTest {
    private static final String LAUNCHER = System.getProperty("sandq.launcher");

    @TempDir
    Path dir;

    private Process launch(Path filesOut, String code) throws IOException {
        Path bpf = dir.resolve("policy.bpf");
        Files.write(bpf, SeccompPolicies.load(Language.PYTHON3, false, List.of("mknod", "mknodat")).compileBpf());
        List<String> argv = new ArrayList<>(List.of(LAUNCHER, "--status-file", dir.resolve("status.json").toString(),
                "--seccomp-file", bpf.toString(), "--uid", "61000", "--gid", "61000", "--wall-ms", "5000",
                "--cgroup", "auto", "--ro-bind", "/usr:/usr", "--symlink", "usr/lib:/lib", "--symlink", "usr/lib64:/lib64",
                "--output-dir", "/tmp/output", "--files-out", filesOut.toString(), "--output-max-files", "8",
                "--output-max-bytes", "1000", "--", "/usr/bin/python3", "-c", code));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    @Test
    void aFifoLeftInTheOutputDirectoryNeitherBlocksTheCollectorNorComesBack() throws Exception {
        Path filesOut = dir.resolve("files.out");
        Process p = launch(filesOut, String.join("\n",
                "import os",
                "os.mkfifo('/tmp/output/pipe')",
                "os.mkdir('/tmp/output/sub')",
                "os.mkfifo('/tmp/output/sub/pipe2')",
                "open('/tmp/output/sub/real.txt', 'w').write('real')",
                "print(sorted(os.listdir('/tmp/output')))"));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher ended");
        assertEquals("['pipe', 'sub']\n", output, "the job made its FIFOs");
        OutputFiles files = OutputArchive.read(filesOut);
        assertEquals(List.of("sub/real.txt"), files.files().stream().map(OutputFile::path).toList());
        assertTrue(files.truncated(), "the FIFOs are left out, and flagged");
    }

    @Test
    void theCountAndTheBytesBoundWhatIsCopied() throws Exception {
        Path filesOut = dir.resolve("files.out");
        Process p = launch(filesOut, String.join("\n",
                "for i in range(12):",
                "    open('/tmp/output/f%02d' % i, 'w').write('x' * 100)"));
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher ended");
        OutputFiles files = OutputArchive.read(filesOut);
        assertEquals(List.of("f00", "f01", "f02", "f03", "f04", "f05", "f06", "f07"),
                files.files().stream().map(OutputFile::path).toList(), "8 files, 800 bytes");
        assertTrue(files.truncated());
    }
}
