package dev.sandq.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import dev.sandq.testing.Fast;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

@Fast
class WireCodecTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");

    @Test
    void replyDocumentHasEverySnakeCaseFieldAndPassesTheSchema() throws Exception {
        Result r = new Result(Status.OK, 0, null, "2\n", "", false, false, null, new Usage(5, 4, 900));
        JobReply reply = JobReply.of("j", "c", r, null, "w1", 1, T0, T0.plusMillis(5));
        var tree = new ObjectMapper().readTree(JobReplyCodec.toJson(reply));
        assertEquals(List.of(), WireSchemas.get().validateResult(tree));
        assertEquals("ok", tree.get("status").asText());
        assertEquals(900, tree.get("usage").get("max_rss_kb").asInt());
        assertEquals("2026-01-01T10:00:00.128Z", tree.get("finished_at").asText());
        assertEquals(reply, JobReplyCodec.fromJson(JobReplyCodec.toJson(reply)));
    }

    @Test
    void binaryCorrelationIdIsKeptAsKeyAndShownAsBase64() {
        byte[] id = {0, 1, 2, (byte) 0xff, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) 0x80};
        RecordHeaders h = new RecordHeaders();
        h.add(WireHeaders.CORRELATION_ID, id);
        ReplyRoute route = assertInstanceOf(RouteOutcome.Routable.class,
                RequestHeaders.route(h, "res", "jobs", 0, 7)).route();
        assertArrayEquals(id, route.key());
        assertArrayEquals(id, route.correlationId());
        assertEquals("base64:AAEC/wQFBgcICQoLDA0OgA==", CorrelationIds.toText(id));
        assertEquals("abc", CorrelationIds.toText("abc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withoutCorrelationIdTheKeyIsTheJobIdElseTopicPartitionOffset() {
        ReplyRoute route = ((RouteOutcome.Routable) RequestHeaders.route(new RecordHeaders(), "res", "jobs", 3, 42)).route();
        assertEquals("jobs-3-42", new String(route.key(), StandardCharsets.UTF_8));
        assertEquals("res", route.topic());
        assertNull(route.partition());
        assertEquals("id-9", new String(route.withJobIdKey("id-9").key(), StandardCharsets.UTF_8));
    }

    @Test
    void replyTopicAndPartitionHeadersAreHonoured() {
        RecordHeaders h = new RecordHeaders();
        h.add(WireHeaders.REPLY_TOPIC, "my.replies".getBytes(StandardCharsets.UTF_8));
        h.add(WireHeaders.REPLY_PARTITION, ByteBuffer.allocate(4).putInt(2).array());
        ReplyRoute route = ((RouteOutcome.Routable) RequestHeaders.route(h, "res", "jobs", 0, 0)).route();
        assertEquals("my.replies", route.topic());
        assertEquals(2, route.partition());
    }

    @Test
    void malformedRoutingHeadersAreUnroutable() {
        RecordHeaders badPartition = new RecordHeaders();
        badPartition.add(WireHeaders.REPLY_PARTITION, new byte[] {1, 2});
        assertInstanceOf(RouteOutcome.Unroutable.class, RequestHeaders.route(badPartition, "res", "j", 0, 0));
        RecordHeaders badTopic = new RecordHeaders();
        badTopic.add(WireHeaders.REPLY_TOPIC, new byte[] {(byte) 0xC3, 0x28});
        assertInstanceOf(RouteOutcome.Unroutable.class, RequestHeaders.route(badTopic, "res", "j", 0, 0));
        RecordHeaders illegalName = new RecordHeaders();
        illegalName.add(WireHeaders.REPLY_TOPIC, "no spaces/allowed".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(RouteOutcome.Unroutable.class, RequestHeaders.route(illegalName, "res", "j", 0, 0));
    }

    @Test
    void cuttingOutputMarksItTruncatedAndSaysWhy() {
        JobReply reply = JobReply.of("j", null,
                new Result(Status.OK, 0, null, "abcdef", "xy", false, false, null, Usage.NONE),
                null, "w", 1, T0, T0);
        JobReply cut = reply.withOutputCut(3, "Shortened.");
        assertEquals("abc", cut.stdout());
        assertEquals("xy", cut.stderr());
        assertEquals(true, cut.stdoutTruncated());
        assertEquals(false, cut.stderrTruncated());
        assertEquals("Shortened.", cut.error());
    }
}
