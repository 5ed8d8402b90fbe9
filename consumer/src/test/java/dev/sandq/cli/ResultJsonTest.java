package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultJsonTest {

    private static final Instant START = Instant.parse("2026-01-02T03:04:05.100Z");
    private static final Instant END = Instant.parse("2026-01-02T03:04:05.150Z");

    private static JsonNode parse(String line) throws Exception {
        return new ObjectMapper().readTree(line);
    }

    @Test
    void hasExactlyTheResultFieldsOfTheWireContractInOrder() throws Exception {
        Result result = new Result(Status.OK, 0, null, "out", "err", false, true, null, new Usage(25, 12, 9120));
        JsonNode json = parse(ResultJson.toLine(result, START, END));

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("status", "exit_code", "signal", "stdout", "stderr", "stdout_truncated",
                "stderr_truncated", "error", "usage", "started_at", "finished_at"), names);
        List<String> usage = new ArrayList<>();
        json.get("usage").fieldNames().forEachRemaining(usage::add);
        assertEquals(List.of("wall_time_ms", "cpu_time_ms", "max_rss_kb"), usage);

        assertEquals("ok", json.get("status").asText());
        assertEquals(0, json.get("exit_code").asInt());
        assertTrue(json.get("signal").isNull());
        assertTrue(json.get("error").isNull());
        assertTrue(json.get("stderr_truncated").asBoolean());
        assertEquals(9120, json.at("/usage/max_rss_kb").asLong());
        assertEquals("2026-01-02T03:04:05.100Z", json.get("started_at").asText());
        assertEquals("2026-01-02T03:04:05.150Z", json.get("finished_at").asText());
    }

    @Test
    void everyStatusUsesItsWireName() throws Exception {
        for (Status status : Status.values()) {
            JsonNode json = parse(ResultJson.toLine(Result.notRun(status, "x"), START, END));
            assertEquals(status.wireName(), json.get("status").asText());
        }
    }

    @Test
    void outputWithNewlinesControlCharactersAndReplacementCharactersStaysOneValidUtf8Line() throws Exception {
        String binaryOutput = new String(new byte[] {'a', (byte) 0xff, 0, '\n', (byte) 0xc3}, StandardCharsets.UTF_8);
        String brokenPair = "x\uD83D" + "y\uDE00";
        Result result = new Result(Status.ERROR, 1, null, binaryOutput, brokenPair, false, false,
                "The program exited with code 1.", Usage.NONE);

        String line = ResultJson.toLine(result, START, END);

        assertFalse(line.contains("\n"));
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        // strict decoding fails on anything that is not valid UTF-8
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes));
        JsonNode json = parse(line);
        assertEquals(binaryOutput, json.get("stdout").asText());
        assertEquals("x\uFFFDy\uFFFD", json.get("stderr").asText());
    }

    @Test
    void wellFormedKeepsValidSurrogatePairs() {
        assertEquals("a\uD83D\uDE00b", ResultJson.wellFormed("a\uD83D\uDE00b"));
        assertEquals("\uFFFD", ResultJson.wellFormed("\uDE00"));
    }
}
