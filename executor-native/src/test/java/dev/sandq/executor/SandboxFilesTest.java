package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.internal.ProcessSandbox;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files in and out, on every launch path: input files are in the working directory before the
 * program starts (Python's through the zygote or an exec'ed prestarted interpreter, Node's
 * prestarted, and both in a sandbox built for the job); the regular files left in
 * {@code SANDQ_OUTPUT_DIR} come back with their media types, within the limits, and nothing else
 * does.
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SandboxFilesTest {
    private static ProcessSandbox prestarting;
    private static ProcessSandbox cold;

    @BeforeAll
    static void start() throws Exception {
        FileLimits small = new FileLimits(5, 1 << 20, 4, 64 * 1024);
        prestarting = (ProcessSandbox) LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(true)
                .launchPath(Language.PYTHON3, LaunchPath.ZYGOTE).launchPath(Language.NODEJS, LaunchPath.PRESTARTED)
                .files(small).build());
        cold = (ProcessSandbox) LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(false)
                .files(small).build());
    }

    @AfterAll
    static void stop() {
        prestarting.close();
        cold.close();
    }

    /** The job twice in the prestarting sandbox (the second finds a sandbox prestarted for it), once cold. */
    static Stream<String> paths() {
        return Stream.of("prestarted", "fresh");
    }

    private static Result run(String path, Job job) throws InterruptedException {
        if (path.equals("prestarted")) {
            prestarting.run(job);
            return prestarting.run(job);
        }
        return cold.run(job);
    }

    private static InputFile text(String path, String content) {
        return new InputFile(path, content.getBytes(StandardCharsets.UTF_8), false);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aPythonJobImportsTheModuleItWasGivenAndReadsItsData(String path) throws Exception {
        Job job = Job.of(Language.PYTHON3, """
                import os, stat, helper
                print(helper.greet(open('data/input.csv').read().split(',')[1].strip()))
                print(oct(stat.S_IMODE(os.stat('run.sh').st_mode)), os.stat('helper.py').st_uid == os.getuid())
                print(os.getcwd(), os.environ['SANDQ_OUTPUT_DIR'], os.path.isdir(os.environ['SANDQ_OUTPUT_DIR']))
                """).withFiles(List.of(text("helper.py", "def greet(n):\n    return 'hello ' + n\n"),
                text("data/input.csv", "name,world\n"), new InputFile("run.sh", "#!/bin/sh\n".getBytes(), true)));
        Result r = run(path, job);
        assertEquals(Status.OK, r.status(), () -> r.error() + " " + r.stderr());
        assertEquals("hello world\n0o755 True\n/tmp /tmp/output True\n", r.stdout());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aNodeJobRequiresTheLibraryItWasGiven(String path) throws Exception {
        Job job = Job.of(Language.NODEJS, "console.log(require('./lib/lib.js').twice(21))\n")
                .withFiles(List.of(text("lib/lib.js", "exports.twice = (n) => 2 * n;\n")));
        Result r = run(path, job);
        assertEquals(Status.OK, r.status(), () -> r.error() + " " + r.stderr());
        assertEquals("42\n", r.stdout());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void filesLeftInTheOutputDirectoryComeBackWithTheirMediaTypes(String path) throws Exception {
        Job job = Job.of(Language.PYTHON3, """
                import os
                out = os.environ['SANDQ_OUTPUT_DIR']
                os.makedirs(out + '/sub')
                open(out + '/chart.png', 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + bytes(range(256)))
                open(out + '/data.json', 'w').write('{"a": [1, 2]}')
                open(out + '/sub/table.csv', 'w').write('a,b\\n1,2\\n')
                open(out + '/notes', 'w').write('just text')
                """);
        Result r = run(path, job);
        assertEquals(Status.OK, r.status(), () -> r.error() + " " + r.stderr());
        Map<String, String> types = r.outputs().files().stream()
                .collect(Collectors.toMap(OutputFile::path, OutputFile::mediaType));
        assertEquals(Map.of("chart.png", "image/png", "data.json", "application/json", "sub/table.csv", "text/csv",
                "notes", "text/plain"), types);
        assertFalse(r.outputs().truncated());
        OutputFile png = r.outputs().files().get(0);
        assertEquals("chart.png", png.path(), "in path order");
        assertEquals(264, png.size());
        assertEquals(0, png.content()[8]);
    }

    @Test
    void aNodeJobWritingAPngBufferGetsItBack() throws Exception {
        Job job = Job.of(Language.NODEJS, """
                const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
                require('fs').writeFileSync(process.env.SANDQ_OUTPUT_DIR + '/out.png', png);
                """);
        Result r = run("prestarted", job);
        assertEquals(Status.OK, r.status(), () -> r.error() + " " + r.stderr());
        assertEquals(1, r.outputs().files().size());
        assertEquals("image/png", r.outputs().files().get(0).mediaType());
        assertEquals(108, r.outputs().files().get(0).size());
    }

    @Test
    void badInputPathsAreRejectedNamingThePath() throws Exception {
        for (String bad : List.of("../escape.py", "/etc/passwd", "a//b", "a/./b", "output/x", "")) {
            Result r = cold.run(Job.of(Language.PYTHON3, "print(1)").withFiles(List.of(text(bad, "x"))));
            assertAll(bad,
                    () -> assertEquals(Status.REJECTED, r.status()),
                    () -> assertTrue(r.error().contains("'" + bad + "'"), r.error()));
        }
        Result twice = cold.run(Job.of(Language.PYTHON3, "print(1)")
                .withFiles(List.of(text("a.py", "x"), text("a.py", "y"))));
        assertEquals(Status.REJECTED, twice.status());
        assertTrue(twice.error().contains("'a.py' is given twice"), twice.error());
        Result tooMany = cold.run(Job.of(Language.PYTHON3, "print(1)").withFiles(
                Stream.of("1", "2", "3", "4", "5", "6").map(n -> text(n, n)).toList()));
        assertEquals(Status.REJECTED, tooMany.status());
        assertTrue(tooMany.error().contains("6 input files, over the limit of 5"), tooMany.error());
        Result tooBig = cold.run(Job.of(Language.PYTHON3, "print(1)").withFiles(
                List.of(new InputFile("big.bin", new byte[(1 << 20) + 1], false))));
        assertEquals(Status.REJECTED, tooBig.status());
        assertTrue(tooBig.error().contains("'big.bin'"), tooBig.error());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void overTheCountOrTheBytesFilesAreLeftOutAndFlagged(String path) throws Exception {
        Job many = Job.of(Language.PYTHON3, """
                import os
                for i in range(10):
                    open(os.environ['SANDQ_OUTPUT_DIR'] + '/f%d.txt' % i, 'w').write('x')
                """);
        Result r = run(path, many);
        assertEquals(Status.OK, r.status(), () -> r.error() + " " + r.stderr());
        assertEquals(List.of("f0.txt", "f1.txt", "f2.txt", "f3.txt"),
                r.outputs().files().stream().map(OutputFile::path).toList());
        assertTrue(r.outputs().truncated());

        Job big = Job.of(Language.PYTHON3, """
                import os
                out = os.environ['SANDQ_OUTPUT_DIR']
                open(out + '/a.bin', 'wb').write(b'a' * 40000)
                open(out + '/b.bin', 'wb').write(b'b' * 40000)
                """);
        Result bigResult = run(path, big);
        assertEquals(List.of("a.bin"), bigResult.outputs().files().stream().map(OutputFile::path).toList());
        assertTrue(bigResult.outputs().truncated());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void linksInTheOutputDirectoryAreNeverFollowedNorRead(String path) throws Exception {
        Job job = Job.of(Language.PYTHON3, """
                import os
                out = os.environ['SANDQ_OUTPUT_DIR']
                os.symlink('/etc/passwd', out + '/passwd')
                os.symlink('/tmp', out + '/tmpdir')
                open(out + '/real.txt', 'w').write('real')
                """);
        Result r = run(path, job);
        assertEquals(Status.OK, r.status(), () -> r.error() + " " + r.stderr());
        assertEquals(List.of("real.txt"), r.outputs().files().stream().map(OutputFile::path).toList());
        assertTrue(r.outputs().truncated());
    }

    /** A FIFO or device node cannot even be made (mknod is not allowed); the collector would not open one either. */
    @Test
    void aFifoCannotBeLeftAsOutput() throws Exception {
        Result r = cold.run(Job.of(Language.PYTHON3,
                "import os\nopen(os.environ['SANDQ_OUTPUT_DIR'] + '/a.txt', 'w').write('a')\n"
                        + "os.mkfifo(os.environ['SANDQ_OUTPUT_DIR'] + '/fifo')\n"));
        assertEquals(Status.SYSCALL_DENIED, r.status());
        assertEquals(List.of("a.txt"), r.outputs().files().stream().map(OutputFile::path).toList());
    }

    @Test
    void aJobWithoutOutputFilesHasNone() throws Exception {
        Result r = cold.run(Job.of(Language.PYTHON3, "print('nothing')"));
        assertEquals(Status.OK, r.status());
        assertEquals(OutputFiles.NONE, r.outputs());
    }
}
