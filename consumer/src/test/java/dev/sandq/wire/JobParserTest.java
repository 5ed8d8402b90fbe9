package dev.sandq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@Fast
class JobParserTest {
    private final JobParser parser = new JobParser(64);

    private JobParseOutcome parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private String reason(JobParseOutcome outcome) {
        return assertInstanceOf(JobParseOutcome.Invalid.class, outcome).reason();
    }

    @Test
    void minimalJobGetsScriptModeAndDefaults() {
        JobRequest job = assertInstanceOf(JobParseOutcome.Valid.class,
                parse("{\"language\":\"python3\",\"code\":\"print(1)\"}")).job();
        assertEquals(Language.PYTHON3, job.language());
        assertEquals(JobMode.SCRIPT, job.mode());
        assertNull(job.id());
        assertNull(job.deadline());
        assertEquals("", job.stdin());
    }

    @Test
    void fullJobKeepsEveryField() {
        JobRequest job = assertInstanceOf(JobParseOutcome.Valid.class, parse("""
                {"id":"j1","language":"nodejs","code":"x","mode":"function","inputs":{"a":1},
                 "stdin":"in","enable_network":true,"limits":{"wall_time_ms":100,"memory_mb":64},
                 "deadline":"2030-01-01T00:00:00Z"}""")).job();
        assertEquals("j1", job.id());
        assertEquals(Language.NODEJS, job.language());
        assertEquals(JobMode.FUNCTION, job.mode());
        assertEquals(1, job.inputs().get("a").asInt());
        assertTrue(job.enableNetwork());
        assertEquals(100L, job.limits().wallTimeMs());
        assertEquals(64L, job.limits().memoryMb());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), job.deadline());
    }

    @Test
    void epochMillisDeadlineIsRead() {
        JobRequest job = assertInstanceOf(JobParseOutcome.Valid.class,
                parse("{\"language\":\"python3\",\"code\":\"\",\"deadline\":1000}")).job();
        assertEquals(Instant.ofEpochMilli(1000), job.deadline());
        assertTrue(job.expiredAt(Instant.ofEpochMilli(1000)));
    }

    @Test
    void notJsonIsRejectedNamingJson() {
        assertTrue(reason(parse("print('hello')")).startsWith("The job is not valid JSON"));
    }

    @Test
    void trailingGarbageAfterTheObjectIsRejected() {
        assertTrue(reason(parse("{\"language\":\"python3\",\"code\":\"\"} x")).startsWith("The job is not valid JSON"));
    }

    @Test
    void jsonThatIsNotAnObjectIsRejectedNamingItsType() {
        assertEquals("The job must be a JSON object, got an array.", reason(parse("[1,2]")));
        assertEquals("The job must be a JSON object, got a string.", reason(parse("\"x\"")));
    }

    @Test
    void missingFieldIsRejectedNamingTheField() {
        String r = reason(parse("{\"code\":\"print(1)\",\"id\":\"k\"}"));
        assertTrue(r.contains("language"), r);
        assertEquals("k", ((JobParseOutcome.Invalid) parse("{\"code\":\"print(1)\",\"id\":\"k\"}")).jobId());
    }

    @Test
    void mistypedFieldIsRejectedNamingTheField() {
        String r = reason(parse("{\"language\":\"python3\",\"code\":42}"));
        assertTrue(r.contains("/code"), r);
        String l = reason(parse("{\"language\":\"python3\",\"code\":\"\",\"limits\":{\"wall_time_ms\":\"5s\"}}"));
        assertTrue(l.contains("wall_time_ms"), l);
    }

    @Test
    void unknownLanguageIsRejectedNamingIt() {
        assertEquals("Unknown language 'ruby'; expected python3 or nodejs.",
                reason(parse("{\"language\":\"ruby\",\"code\":\"puts 1\"}")));
    }

    @Test
    void codeOverTheLimitIsRejectedWithItsSize() {
        String code = "x".repeat(65);
        assertEquals("The code is 65 bytes, over the limit of 64 bytes.",
                reason(parse("{\"language\":\"python3\",\"code\":\"" + code + "\"}")));
    }

    @Test
    void inputOverTheLimitIsRejectedWithItsSizeStdinAndInputsCountedTogether() {
        JobParser parser = new JobParser(1 << 20, 40);
        String fits = "{\"language\":\"python3\",\"code\":\"x\",\"stdin\":\"" + "s".repeat(20)
                + "\",\"inputs\":{\"a\":\"" + "é".repeat(6) + "\"}}"; // 20 + {"a":"éééééé"} (20 bytes)
        assertTrue(parser.parse(fits.getBytes(StandardCharsets.UTF_8)) instanceof JobParseOutcome.Valid);
        String over = fits.replace("\"stdin\":\"s", "\"stdin\":\"ss");
        JobParseOutcome outcome = parser.parse(over.getBytes(StandardCharsets.UTF_8));
        assertEquals("The input (stdin and inputs) is 41 bytes, over the limit of 40 bytes.",
                ((JobParseOutcome.Invalid) outcome).reason());
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] head = "{\"language\":\"python3\",\"code\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] broken = java.util.Arrays.copyOf(head, head.length + 4);
        broken[head.length] = (byte) 0xC3; // a lead byte followed by ASCII
        broken[head.length + 1] = '(';
        broken[head.length + 2] = '"';
        broken[head.length + 3] = '}';
        assertEquals("The job is not valid UTF-8.", reason(parser.parse(broken)));
    }

    @Test
    void tombstoneIsRejected() {
        assertTrue(reason(parser.parse(null)).contains("no value"));
    }

    @Test
    void badDeadlineIsRejected() {
        String r = reason(parse("{\"language\":\"python3\",\"code\":\"\",\"deadline\":\"tomorrow\"}"));
        assertTrue(r.contains("deadline"), r);
    }

    @Test
    void templateModeNeedsPython() {
        assertTrue(reason(parse("{\"language\":\"nodejs\",\"code\":\"\",\"mode\":\"template\"}"))
                .contains("needs language python3"));
    }

    @Test
    void unknownFieldIsRejected() {
        String r = reason(parse("{\"language\":\"python3\",\"code\":\"\",\"enable_networkk\":true}"));
        assertTrue(r.contains("enable_networkk"), r);
    }

    @Test
    void inputFilesAreDecodedFromTextOrBase64() {
        JobRequest job = assertInstanceOf(JobParseOutcome.Valid.class, parse("""
                {"language":"python3","code":"x","files":[{"path":"a.py","content":"print(1)"},
                 {"path":"d/b.bin","content":"AAEC\\n/w==","encoding":"base64","executable":true}]}""")).job();
        assertEquals(2, job.files().size());
        assertEquals("a.py", job.files().get(0).path());
        assertEquals("print(1)", new String(job.files().get(0).content(), StandardCharsets.UTF_8));
        assertEquals(false, job.files().get(0).executable());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, job.files().get(1).content());
        assertEquals(true, job.files().get(1).executable());
    }

    @Test
    void anInputFileThatIsNotBase64IsInvalidNamingIt() {
        assertEquals("The content of the input file 'x.bin' is not valid base64: Illegal base64 character 2a.",
                reason(parse("{\"language\":\"python3\",\"code\":\"x\",\"files\":[{\"path\":\"x.bin\","
                        + "\"content\":\"**\",\"encoding\":\"base64\"}]}")));
    }
}
