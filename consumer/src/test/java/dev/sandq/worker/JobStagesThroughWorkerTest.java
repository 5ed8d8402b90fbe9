package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.Status;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobStage;
import dev.sandq.wire.StagesHeader;
import dev.sandq.wire.WireHeaders;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Through a real worker and sandbox, in each delivery mode: a reply carries the stages its job
 * passed before it was produced ({@code sandq_stages}), in order, and the worker times every
 * stage, offset committed included, in {@code sandq.job.stage}.
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JobStagesThroughWorkerTest {
    private static final List<String> BEFORE_PRODUCED = List.of("polled", "parsed", "slot_acquired",
            "sandbox_ready", "started", "exited", "result_read");
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(1).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Map<String, Long> stages(ConsumerRecord<byte[], byte[]> reply) {
        Header header = reply.headers().lastHeader(WireHeaders.STAGES);
        assertNotNull(header, "no " + WireHeaders.STAGES + " header on " + new String(reply.value(), StandardCharsets.UTF_8));
        return StagesHeader.parse(header.value());
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void aReplyCarriesItsStagesInOrderAndEveryStageIsTimed(DeliveryMode mode) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            kit.startWorker(kit.config().slots(1).deliveryMode(mode).build(), sandbox, registry);
            List<ProducerRecord<byte[], byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ProducerRecord<byte[], byte[]> job = kit.job(KafkaTestKit.job("python3", "import time\ntime.sleep(0.05)"));
                job.headers().add(WireHeaders.CORRELATION_ID, ("stages-" + i).getBytes(StandardCharsets.UTF_8));
                jobs.add(job);
            }
            kit.sendAll(jobs);
            for (ConsumerRecord<byte[], byte[]> reply : kit.awaitReplies(3, Duration.ofSeconds(60))) {
                assertEquals(Status.OK, KafkaTestKit.reply(reply).status());
                Map<String, Long> stages = stages(reply);
                assertEquals(BEFORE_PRODUCED, List.copyOf(stages.keySet()), stages.toString());
                assertEquals(0L, stages.get("polled"));
                long previous = 0;
                for (long micros : stages.values()) {
                    assertTrue(micros >= previous, "in order: " + stages);
                    previous = micros;
                }
                // The launcher takes each instant when it wakes up: a busy host may make started late.
                assertTrue(stages.get("exited") - stages.get("started") >= 25_000, "the job slept 50 ms: " + stages);
            }
            Await.until(Duration.ofSeconds(30),
                    () -> Arrays.stream(JobStage.values()).skip(1).allMatch(s -> timer(registry, s).count() >= 3),
                    () -> "every stage timed, offset committed too");
            assertEquals(0, registry.find("sandq.job.stage").tag("stage", "polled").timers().size(),
                    "polled is where the others count from");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = "AT_LEAST_ONCE")
    void aRejectedJobsReplyCarriesOnlyTheStagesItReached(DeliveryMode mode) throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            kit.startWorker(kit.config().slots(1).deliveryMode(mode).build(), sandbox);
            ProducerRecord<byte[], byte[]> job = kit.job("{\"language\":\"cobol\",\"code\":\"x\"}");
            job.headers().add(WireHeaders.CORRELATION_ID, "rejected".getBytes(StandardCharsets.UTF_8));
            kit.send(job);
            ConsumerRecord<byte[], byte[]> reply = kit.awaitReplies(1, Duration.ofSeconds(60)).get(0);
            assertEquals(Status.REJECTED, KafkaTestKit.reply(reply).status());
            assertEquals(List.of("polled", "parsed"), List.copyOf(stages(reply).keySet()));
        }
    }

    private static Timer timer(SimpleMeterRegistry registry, JobStage stage) {
        return registry.get("sandq.job.stage").tag("stage", stage.wireName()).timer();
    }
}
