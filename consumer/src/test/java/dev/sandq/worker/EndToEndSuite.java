package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.Status;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * End to end: a real broker, the real worker, the real sandbox running real interpreters. The
 * same tests run against each broker a subclass brings: the in-process KRaft broker
 * ({@link InProcessBrokerEndToEndTest}) and Testcontainers' Kafka ({@link ContainerKafkaEndToEndTest},
 * only where a Docker engine is present).
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndSuite {
    private KafkaTestKit kit;
    private Sandbox sandbox;

    /** Where the broker of this variant listens; called once, before the tests. */
    abstract String bootstrapServers();

    @BeforeAll
    void start() throws Exception {
        kit = new KafkaTestKit(2, bootstrapServers());
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(2).build());
        kit.startWorker(kit.config().slots(2).build(), sandbox);
    }

    @AfterAll
    void stop() throws Exception {
        if (kit != null) {
            kit.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static ProducerRecord<byte[], byte[]> correlated(ProducerRecord<byte[], byte[]> r, byte[] id) {
        r.headers().add(WireHeaders.CORRELATION_ID, id);
        return r;
    }

    @Test
    void pythonAndNodeJobsAreAnsweredWithTheirCorrelationIdsByteForByte() throws Exception {
        byte[] pyId = {(byte) 0xde, (byte) 0xad, 0x00, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        byte[] nodeId = "node-req-1".getBytes(StandardCharsets.UTF_8);
        kit.sendAll(List.of(
                correlated(kit.job(KafkaTestKit.job("python3", "import json\nprint(json.dumps({'a': 6 * 7}))")), pyId),
                correlated(kit.job(KafkaTestKit.job("nodejs", "console.log(JSON.stringify({b: 2 ** 10}))")), nodeId)));
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        for (var r : kit.awaitReplies(2, Duration.ofSeconds(60))) {
            byKey.put(new String(r.key(), StandardCharsets.ISO_8859_1), r);
        }
        ConsumerRecord<byte[], byte[]> py = byKey.get(new String(pyId, StandardCharsets.ISO_8859_1));
        assertArrayEquals(pyId, py.key());
        assertArrayEquals(pyId, py.headers().lastHeader(WireHeaders.CORRELATION_ID).value());
        JobReply pyReply = KafkaTestKit.reply(py);
        assertEquals(Status.OK, pyReply.status(), pyReply.toString());
        assertEquals("{\"a\": 42}\n", pyReply.stdout());
        JobReply nodeReply = KafkaTestKit.reply(byKey.get("node-req-1"));
        assertEquals(Status.OK, nodeReply.status(), nodeReply.toString());
        assertEquals("{\"b\":1024}\n", nodeReply.stdout());
    }

    @Test
    void functionModeReturnsMainsValueAsResult() throws Exception {
        kit.sendAll(List.of(
                kit.job("{\"id\":\"py-fn\",\"language\":\"python3\",\"mode\":\"function\","
                        + "\"code\":\"def main(a, b):\\n    print('side')\\n    return {'sum': a + b}\",\"inputs\":{\"a\":1,\"b\":2}}"),
                kit.job("{\"id\":\"js-fn\",\"language\":\"nodejs\",\"mode\":\"function\","
                        + "\"code\":\"async function main({a, b}) { return {sum: a + b}; }\",\"inputs\":{\"a\":3,\"b\":4}}")));
        Map<String, JobReply> byId = new HashMap<>();
        for (var r : kit.awaitReplies(2, Duration.ofSeconds(60))) {
            JobReply reply = KafkaTestKit.reply(r);
            byId.put(reply.id(), reply);
        }
        assertEquals(Status.OK, byId.get("py-fn").status(), byId.get("py-fn").toString());
        assertEquals(3, byId.get("py-fn").result().get("sum").asInt());
        assertEquals("side\n", byId.get("py-fn").stdout());
        assertEquals(7, byId.get("js-fn").result().get("sum").asInt(), byId.get("js-fn").toString());
    }

    @Test
    void failingCodeIsAnErrorNotAnInfrastructureFailure() throws Exception {
        kit.send(kit.job("{\"id\":\"boom\",\"language\":\"python3\",\"code\":\"raise ValueError('boom')\"}"));
        JobReply r = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
        assertEquals(Status.ERROR, r.status());
        assertTrue(r.stderr().contains("ValueError: boom"), r.stderr());
    }
}
