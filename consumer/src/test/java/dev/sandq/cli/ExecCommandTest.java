package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.Result;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.egress.Cidr;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.Status;
import dev.sandq.testing.Fast;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Fast
class ExecCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @ParameterizedTest
    @CsvSource({"a.py,PYTHON3", "b.js,NODEJS", "c.mjs,NODEJS", "d.cjs,NODEJS", "UPPER.PY,PYTHON3"})
    void languageComesFromTheFileExtension(String name, Language expected) throws IOException {
        CliRun run = new CliRun().execute("exec", write(name, "code").toString());
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertEquals(expected, run.onlyJob().language());
        assertEquals("code", run.onlyJob().code());
    }

    @Test
    void langFlagWinsOverTheExtension() throws IOException {
        CliRun run = new CliRun().execute("exec", "--lang", "nodejs", write("x.py", "1").toString());
        assertEquals(Language.NODEJS, run.onlyJob().language());
    }

    @Test
    void unknownExtensionWithoutLangIsAUsageError() throws IOException {
        CliRun run = new CliRun().execute("exec", write("script.rb", "puts 1").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("use --lang"), run::toString);
        assertTrue(run.jobs.isEmpty());
    }

    @Test
    void dashReadsTheProgramFromStandardInputAndNeedsLang() {
        CliRun withoutLang = new CliRun();
        withoutLang.stdin = "print(1)".getBytes(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, withoutLang.execute("exec", "-").exitCode, withoutLang::toString);

        CliRun run = new CliRun();
        run.stdin = "print(1)".getBytes(StandardCharsets.UTF_8);
        run.execute("exec", "--lang", "python3", "-");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertEquals("print(1)", run.onlyJob().code());
    }

    @Test
    void printsTheResultAsOneJsonLineAndExitsZeroWhateverTheStatus() throws IOException {
        CliRun run = new CliRun();
        run.result = new Result(Status.TIMEOUT, null, 9, "partial\nline", "", false, false,
                "The job exceeded its wall-clock limit of 200 ms.", new dev.sandq.executor.Usage(201, 199, 5000));
        run.execute("exec", write("loop.py", "while True: pass").toString());

        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertEquals(1, run.out.lines().count(), run::toString);
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertEquals("timeout", json.get("status").asText());
        assertTrue(json.get("exit_code").isNull());
        assertEquals(9, json.get("signal").asInt());
        assertEquals("partial\nline", json.get("stdout").asText());
        assertEquals(201, json.at("/usage/wall_time_ms").asLong());
        assertEquals("2026-01-02T03:04:05.678Z", json.get("started_at").asText());
    }

    @Test
    void flagsBecomeJobLimitsStdinAndNetwork() throws IOException {
        Path input = dir.resolve("in.bin");
        Files.write(input, new byte[] {1, 2, (byte) 0xff});
        CliRun run = new CliRun().execute("exec", "--timeout-ms", "200", "--memory-mb", "64", "--network",
                "--stdin", input.toString(), write("x.py", "").toString());

        Job job = run.onlyJob();
        assertEquals(200L, job.limits().wallTimeMs());
        assertEquals(64L, job.limits().memoryMb());
        assertNull(job.limits().maxOutputBytes());
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, job.stdin());
        assertTrue(job.enableNetwork());
        assertFalse(run.configs.get(0).networkAllowed(), "asking for the network does not allow it");
        assertFalse(run.configs.get(0).prestart(), "one job: no sandbox is prestarted for a next one");
    }

    @Test
    void allowNetworkAndEgressFlagsConfigureTheWorkersEgress() throws IOException {
        CliRun run = new CliRun().execute("exec", "--network", "--allow-network", "--egress-deny", "198.51.100.0/24",
                "--egress-allow", "10.1.2.3/32", write("x.py", "").toString());

        SandboxConfig config = run.configs.get(0);
        assertTrue(config.networkAllowed());
        assertTrue(config.egress().deny().contains(Cidr.parse("198.51.100.0/24")), config.egress().toString());
        assertTrue(config.egress().deny().contains(Cidr.parse("10.0.0.0/8")), "the defaults stay: " + config.egress());
        assertEquals(List.of(Cidr.parse("10.1.2.3/32")), config.egress().allow());
    }

    @Test
    void egressAllowOfLoopbackIsAUsageErrorNamingIt() throws IOException {
        CliRun run = new CliRun().execute("exec", "--allow-network", "--egress-allow", "127.0.0.1/32",
                write("x.py", "").toString());

        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("127.0.0.1/32"), run::toString);
    }

    @Test
    void withoutNetworkFlagTheJobHasNoNetwork() throws IOException {
        CliRun run = new CliRun().execute("exec", write("x.py", "").toString());
        assertFalse(run.onlyJob().enableNetwork());
        assertFalse(run.configs.get(0).networkAllowed());
    }

    @Test
    void jobDocumentGivesTheWholeJobAndFlagsOverrideIt() throws IOException {
        Path doc = write("job.json", """
                {"language": "nodejs", "code": "console.log(1)", "stdin": "abc",
                 "limits": {"wall_time_ms": 1000, "max_output_bytes": 65536}}
                """);
        CliRun run = new CliRun().execute("exec", "--job", doc.toString(), "--timeout-ms", "300");

        Job job = run.onlyJob();
        assertEquals(Language.NODEJS, job.language());
        assertEquals("console.log(1)", job.code());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), job.stdin());
        assertEquals(300L, job.limits().wallTimeMs());
        assertEquals(65536L, job.limits().maxOutputBytes());
    }

    @Test
    void invalidJobDocumentIsAUsageErrorNamingTheProblem() throws IOException {
        Path doc = write("job.json", "{\"language\": \"cobol\", \"code\": \"\"}");
        CliRun run = new CliRun().execute("exec", "--job", doc.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("cobol"), run::toString);
    }

    @Test
    void jobDocumentAndFileTogetherIsAUsageError() throws IOException {
        CliRun run = new CliRun().execute("exec", "--job", write("j.json", "{}").toString(),
                write("x.py", "").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
    }

    @Test
    void missingProgramFileIsAUsageError() {
        CliRun run = new CliRun().execute("exec", dir.resolve("absent.py").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("no such file"), run::toString);
    }

    @Test
    void programThatIsNotUtf8IsAUsageError() throws IOException {
        Path file = dir.resolve("latin1.py");
        Files.write(file, new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        CliRun run = new CliRun().execute("exec", file.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("not valid UTF-8"), run::toString);
    }

    @Test
    void nonPositiveLimitIsAUsageError() throws IOException {
        CliRun run = new CliRun().execute("exec", "--timeout-ms", "0", write("x.py", "").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
    }

    @Test
    void unavailableSandboxExitsThreeWithItsMessage() throws IOException {
        CliRun run = new CliRun();
        run.unavailable = new SandboxUnavailableException("user namespaces are disabled (kernel.unprivileged_userns_clone=0)");
        run.execute("exec", write("x.py", "").toString());
        assertEquals(ExitCodes.UNAVAILABLE, run.exitCode, run::toString);
        assertEquals("", run.out);
        assertTrue(run.err.contains("kernel.unprivileged_userns_clone=0"), run::toString);
    }

    @Test
    void environmentVariablesGiveDefaultsAndFlagsWin() throws IOException {
        Path file = write("x.py", "");
        CliRun fromEnv = new CliRun();
        fromEnv.env = Map.of("SANDQ_TIMEOUT_MS", "1500", "SANDQ_SLOTS", "3", "SANDQ_PRIVILEGE_MODE", "userns");
        fromEnv.execute("exec", file.toString());
        assertEquals(1500L, fromEnv.onlyJob().limits().wallTimeMs());
        assertEquals(3, fromEnv.configs.get(0).slots());
        assertEquals(dev.sandq.executor.PrivilegeMode.USERNS, fromEnv.configs.get(0).privilegeMode());

        CliRun flagWins = new CliRun();
        flagWins.env = Map.of("SANDQ_TIMEOUT_MS", "1500");
        flagWins.execute("exec", "--timeout-ms", "700", file.toString());
        assertEquals(700L, flagWins.onlyJob().limits().wallTimeMs());
    }

    @Test
    void fileFlagsSendFilesAndOutWritesTheReturnedOnes() throws IOException {
        Path data = write("points.csv", "1,2\n");
        Path tool = write("tool.sh", "#!/bin/sh\n");
        assertTrue(tool.toFile().setExecutable(true));
        CliRun run = new CliRun();
        run.result = new Result(Status.OK, 0, null, "", "", false, false, null, dev.sandq.executor.Usage.NONE,
                dev.sandq.executor.SandboxTimeline.NONE, new dev.sandq.executor.OutputFiles(List.of(
                        new dev.sandq.executor.OutputFile("chart.png", new byte[] {1, 2, 3}, "image/png"),
                        new dev.sandq.executor.OutputFile("sub/t.txt", "t".getBytes(StandardCharsets.UTF_8), "text/plain")),
                        false));
        Path out = dir.resolve("out");
        run.execute("exec", "--file", data.toString(), "--file", tool + "=bin/tool.sh", "--out", out.toString(),
                write("main.py", "print(1)").toString());
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        List<dev.sandq.executor.InputFile> sent = run.onlyJob().files();
        assertEquals(List.of("points.csv", "bin/tool.sh"), sent.stream().map(dev.sandq.executor.InputFile::path).toList());
        assertEquals("1,2\n", new String(sent.get(0).content(), StandardCharsets.UTF_8));
        assertFalse(sent.get(0).executable());
        assertTrue(sent.get(1).executable());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve("chart.png")));
        assertEquals("t", Files.readString(out.resolve("sub/t.txt")));
        JsonNode printed = new ObjectMapper().readTree(run.out);
        assertEquals("AQID", printed.get("files").get(0).get("content").asText());
        assertEquals("image/png", printed.get("files").get(0).get("media_type").asText());
    }

    @Test
    void aReturnedFileNamedOutsideTheOutDirectoryIsRefused() throws IOException {
        CliRun run = new CliRun();
        run.result = new Result(Status.OK, 0, null, "", "", false, false, null, dev.sandq.executor.Usage.NONE,
                dev.sandq.executor.SandboxTimeline.NONE, new dev.sandq.executor.OutputFiles(List.of(
                        new dev.sandq.executor.OutputFile("../escape.txt", new byte[] {1}, "text/plain")), false));
        run.execute("exec", "--out", dir.resolve("out").toString(), write("main.py", "print(1)").toString());
        assertFalse(Files.exists(dir.resolve("escape.txt")));
        assertTrue(run.err.contains("refusing to write the returned file '../escape.txt'"), run::toString);
    }
}
