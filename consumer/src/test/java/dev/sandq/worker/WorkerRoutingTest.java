package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sandq.executor.Status;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.WireHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Request-reply routing against the real in-process broker (fast stand-in sandbox). */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerRoutingTest {
    private KafkaTestKit kit;
    private FakeSandbox sandbox;

    @BeforeAll
    void startWorker() throws Exception {
        kit = new KafkaTestKit(2);
        sandbox = new FakeSandbox(2);
        kit.startWorker(kit.config().build(), sandbox);
    }

    @AfterAll
    void stop() throws Exception {
        kit.close();
    }

    @Test
    void binaryCorrelationIdComesBackByteForByteAsKeyAndHeader() throws Exception {
        byte[] springId = {(byte) 0x9c, 0x1f, 0x00, (byte) 0xff, 0x10, 0x22, 0x33, 0x44,
            (byte) 0x80, 0x01, 0x02, 0x03, (byte) 0xfe, 0x7f, 0x00, 0x01};
        var job = kit.job("{\"id\":\"b-1\",\"language\":\"python3\",\"code\":\"hello\"}");
        job.headers().add(WireHeaders.CORRELATION_ID, springId);
        kit.send(job);
        ConsumerRecord<byte[], byte[]> r = kit.awaitReplies(1, Duration.ofSeconds(30)).get(0);
        assertArrayEquals(springId, r.key());
        assertArrayEquals(springId, r.headers().lastHeader(WireHeaders.CORRELATION_ID).value());
        JobReply reply = KafkaTestKit.reply(r);
        assertEquals(Status.OK, reply.status());
        assertEquals("hello\n", reply.stdout());
        assertEquals("b-1", reply.id());
        assertEquals("base64:nB8A/xAiM0SAAQID/n8AAQ==", reply.correlationId());
    }

    @Test
    void withoutCorrelationIdTheReplyIsKeyedByJobIdElseByTopicPartitionOffset() throws Exception {
        kit.send(kit.job("{\"id\":\"job-7\",\"language\":\"nodejs\",\"code\":\"a\"}"));
        ConsumerRecord<byte[], byte[]> byId = kit.awaitReplies(1, Duration.ofSeconds(30)).get(0);
        assertEquals("job-7", new String(byId.key(), StandardCharsets.UTF_8));
        assertNull(byId.headers().lastHeader(WireHeaders.CORRELATION_ID));

        var sent = kit.send(kit.job(KafkaTestKit.job("python3", "b")));
        ConsumerRecord<byte[], byte[]> byOffset = kit.awaitReplies(1, Duration.ofSeconds(30)).get(0);
        assertEquals(kit.topics.jobs() + "-" + sent.partition() + "-" + sent.offset(),
                new String(byOffset.key(), StandardCharsets.UTF_8));
    }

    @Test
    void replyTopicAndReplyPartitionHeadersAreHonoured() throws Exception {
        String custom = kit.topics.jobs() + ".custom-replies";
        kit.admin().createTopics(List.of(new NewTopic(custom, 3, (short) 1))).all().get();
        var job = kit.job(KafkaTestKit.job("python3", "routed"));
        job.headers().add(WireHeaders.CORRELATION_ID, "c-1".getBytes(StandardCharsets.UTF_8));
        job.headers().add(WireHeaders.REPLY_TOPIC, custom.getBytes(StandardCharsets.UTF_8));
        job.headers().add(WireHeaders.REPLY_PARTITION, ByteBuffer.allocate(4).putInt(2).array());
        kit.send(job);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(java.util.Map.of("bootstrap.servers", kit.bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition p2 = new TopicPartition(custom, 2);
            c.assign(List.of(p2));
            c.seekToBeginning(List.of(p2));
            List<ConsumerRecord<byte[], byte[]>> got = new java.util.ArrayList<>();
            Await.until(Duration.ofSeconds(30), () -> {
                c.poll(Duration.ofMillis(100)).forEach(got::add);
                return !got.isEmpty();
            }, () -> "a reply on partition 2 of " + custom);
            assertEquals("c-1", new String(got.get(0).key(), StandardCharsets.UTF_8));
            assertEquals("routed\n", KafkaTestKit.reply(got.get(0)).stdout());
        }
    }

    @Test
    void jobPastItsDeadlineIsAnsweredExpiredWithoutRunning() throws Exception {
        int before = sandbox.runs.get();
        kit.send(kit.job("{\"id\":\"late\",\"language\":\"python3\",\"code\":\"x\",\"deadline\":\"2001-01-01T00:00:00Z\"}"));
        JobReply reply = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(30)).get(0));
        assertEquals(Status.EXPIRED, reply.status());
        assertEquals("late", reply.id());
        assertEquals(before, sandbox.runs.get());
    }
}
