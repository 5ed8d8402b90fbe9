package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Status;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.WireHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every bad input of the contract, in one partition between good jobs: each gets its defined
 * outcome, the good ones keep flowing, the partition's committed offset reaches the end.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BadInputTest {

    private static ProducerRecord<byte[], byte[]> withCorrelation(ProducerRecord<byte[], byte[]> r, String id) {
        r.headers().add(WireHeaders.CORRELATION_ID, id.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void everyBadInputGetsItsOutcomeWhileGoodJobsKeepFlowing() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            kit.startWorker(kit.config().maxCodeBytes(1000).maxReplyBytes(20_000).build(), new FakeSandbox(2));
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            records.add(withCorrelation(kit.job(KafkaTestKit.job("python3", "good-1")), "good-1"));
            records.add(withCorrelation(kit.job("print('not json')"), "not-json"));
            records.add(withCorrelation(kit.job("[1,2,3]"), "not-object"));
            records.add(withCorrelation(kit.job("{\"code\":\"x\"}"), "missing-language"));
            records.add(withCorrelation(kit.job("{\"language\":\"python3\",\"code\":7}"), "mistyped-code"));
            records.add(withCorrelation(kit.job("{\"language\":\"cobol\",\"code\":\"x\"}"), "unknown-language"));
            records.add(withCorrelation(kit.job(KafkaTestKit.job("python3", "y".repeat(1001))), "code-too-big"));
            ProducerRecord<byte[], byte[]> badUtf8 = kit.job(null);
            badUtf8 = new ProducerRecord<>(badUtf8.topic(), (Integer) null, (byte[]) null,
                    new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, badUtf8.headers());
            records.add(withCorrelation(badUtf8, "bad-utf8"));
            records.add(withCorrelation(kit.job(null), "tombstone"));
            records.add(withCorrelation(kit.job(KafkaTestKit.job("python3", "big 60000")), "reply-too-large"));
            ProducerRecord<byte[], byte[]> noSuchTopic = withCorrelation(kit.job(KafkaTestKit.job("python3", "z")), "no-topic");
            noSuchTopic.headers().add(WireHeaders.REPLY_TOPIC, "sandq.no.such.topic".getBytes(StandardCharsets.UTF_8));
            records.add(noSuchTopic);
            ProducerRecord<byte[], byte[]> badPartition = withCorrelation(kit.job(KafkaTestKit.job("python3", "z")), "bad-partition");
            badPartition.headers().add(WireHeaders.REPLY_PARTITION, ByteBuffer.allocate(4).putInt(99).array());
            records.add(badPartition);
            records.add(withCorrelation(kit.job(KafkaTestKit.job("nodejs", "good-2")), "good-2"));
            kit.sendAll(records);

            Map<String, JobReply> replies = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : kit.awaitReplies(11, Duration.ofSeconds(60))) {
                replies.put(new String(r.key(), StandardCharsets.UTF_8), KafkaTestKit.reply(r));
            }
            assertEquals(Status.OK, replies.get("good-1").status());
            assertEquals(Status.OK, replies.get("good-2").status());
            assertEquals("good-2\n", replies.get("good-2").stdout());
            assertRejected(replies, "not-json", "not valid JSON");
            assertRejected(replies, "not-object", "must be a JSON object, got an array");
            assertRejected(replies, "missing-language", "language");
            assertRejected(replies, "mistyped-code", "/code");
            assertRejected(replies, "unknown-language", "Unknown language 'cobol'");
            assertRejected(replies, "code-too-big", "over the limit of 1000 bytes");
            assertRejected(replies, "bad-utf8", "not valid UTF-8");
            assertRejected(replies, "tombstone", "no value");
            JobReply big = replies.get("reply-too-large");
            assertEquals(Status.OK, big.status());
            assertTrue(big.stdoutTruncated());
            assertTrue(big.stdout().length() < 20_000);
            assertTrue(big.error().contains("too large"), big.error());

            List<ConsumerRecord<byte[], byte[]>> dead = kit.awaitDeadLetters(2, Duration.ofSeconds(30));
            Map<String, ConsumerRecord<byte[], byte[]>> byId = new HashMap<>();
            for (var d : dead) {
                byId.put(new String(d.headers().lastHeader(WireHeaders.CORRELATION_ID).value(), StandardCharsets.UTF_8), d);
            }
            ConsumerRecord<byte[], byte[]> noTopic = byId.get("no-topic");
            assertNotNull(noTopic);
            assertEquals(KafkaTestKit.job("python3", "z"), new String(noTopic.value(), StandardCharsets.UTF_8));
            assertEquals(kit.topics.jobs(), header(noTopic, WireHeaders.DLT_ORIGINAL_TOPIC));
            assertEquals(0, ByteBuffer.wrap(noTopic.headers().lastHeader(WireHeaders.DLT_ORIGINAL_PARTITION).value()).getInt());
            assertEquals(10L, ByteBuffer.wrap(noTopic.headers().lastHeader(WireHeaders.DLT_ORIGINAL_OFFSET).value()).getLong());
            assertEquals(kit.group, header(noTopic, WireHeaders.DLT_ORIGINAL_CONSUMER_GROUP));
            assertEquals("dev.sandq.wire.UnroutableJobException", header(noTopic, WireHeaders.DLT_EXCEPTION_FQCN));
            assertTrue(header(noTopic, WireHeaders.DLT_EXCEPTION_MESSAGE).contains("sandq.no.such.topic"));
            assertTrue(header(byId.get("bad-partition"), WireHeaders.DLT_EXCEPTION_MESSAGE).contains("partition 99"));

            Await.until(Duration.ofSeconds(30), () -> committedQuietly(kit) == records.size(),
                    () -> "the committed offset at the end of the partition, " + records.size() + ", is "
                            + committedQuietly(kit));
        }
    }

    private static long committedQuietly(KafkaTestKit kit) {
        try {
            return kit.committed(0);
        } catch (Exception e) {
            return -1;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void assertRejected(Map<String, JobReply> replies, String key, String reasonPart) {
        JobReply r = replies.get(key);
        assertNotNull(r, "no reply for " + key);
        assertEquals(Status.REJECTED, r.status(), key);
        assertTrue(r.error().contains(reasonPart), key + ": " + r.error());
    }
}
