package dev.sandq.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's request-reply against an in-process broker and a stand-in worker that answers by the wire contract. */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SandqClientTest {
    private static EmbeddedKafkaBroker broker;
    private String jobs;
    private String results;
    private StandInWorker worker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(Files.createTempDirectory("sandq-client-kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void topicsAndWorker() throws Exception {
        String prefix = "c-" + UUID.randomUUID().toString().substring(0, 8);
        jobs = prefix + ".jobs";
        results = prefix + ".results";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(jobs, 2, (short) 1)
                            .configs(Map.of("max.message.bytes", String.valueOf(64 * 1024))),
                    new NewTopic(results, 2, (short) 1))).all().get();
        }
        worker = new StandInWorker(broker.bootstrapServers(), jobs);
    }

    @AfterEach
    void stopWorker() throws Exception {
        worker.close();
    }

    private SandqClient.Builder client() {
        return SandqClient.builder(broker.bootstrapServers()).jobsTopic(jobs).resultsTopic(results);
    }

    @Test
    void aJobSentGetsItsOwnReplyWithTheRequestReplyHeaders() throws Exception {
        try (SandqClient client = client().build()) {
            Result r = client.submit(Job.python("print(6*7)").withId("j-1")).get(60, TimeUnit.SECONDS);
            assertEquals(Status.OK, r.status());
            assertEquals("print(6*7)", r.stdout());
            assertEquals("j-1", r.id());
            var sent = worker.jobs.peek();
            assertEquals(r.correlationId(), new String(sent.headers().lastHeader("kafka_correlationId").value()));
            assertEquals(results, new String(sent.headers().lastHeader("kafka_replyTopic").value()));
            assertEquals(null, sent.headers().lastHeader("kafka_replyPartition"));
        }
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnResult() throws Exception {
        try (SandqClient client = client().build()) {
            var futures = IntStream.range(0, 50).mapToObj(i -> client.submit(Job.python("job " + i))).toList();
            for (int i = 0; i < futures.size(); i++) {
                assertEquals("job " + i, futures.get(i).get(60, TimeUnit.SECONDS).stdout());
            }
            assertEquals(0, client.waiting());
        }
    }

    @Test
    void submitAllKeepsAtMostTheWindowInFlightAndAnswersEveryJob() throws Exception {
        worker.hold = true;
        try (SandqClient client = client().build()) {
            Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Thread reader = new Thread(() -> client.submitAll(IntStream.range(0, 20).mapToObj(i -> Job.python("n" + i)), 3)
                    .forEach(o -> got.add(o.result().stdout())));
            reader.start();
            Await.until(Duration.ofSeconds(30), () -> worker.received.get() == 3, () -> "3 jobs at the worker, got "
                    + worker.received.get());
            // Long enough for a 4th job to have arrived had it been sent: the first 3 took a fraction of it.
            Await.nothingFor(Duration.ofSeconds(1), Duration.ofMillis(20), () -> worker.received.get() > 3,
                    () -> "more than the window of 3 sent: " + worker.received.get());
            worker.hold = false;
            reader.join(60_000);
            assertEquals(20, got.size(), got.toString());
            assertEquals(20, worker.received.get());
        }
    }

    @Test
    void submitAllGivesAFailedOutcomeForAJobThatTimesOutAndGoesOn() throws Exception {
        try (SandqClient client = client().timeout(Duration.ofSeconds(2)).build()) {
            List<Outcome> outcomes = client.submitAll(
                    List.of(Job.python("a"), Job.python("hang"), Job.python("b")).stream()).toList();
            assertEquals(3, outcomes.size());
            assertEquals(Set.of("a", "b"), outcomes.stream().filter(Outcome::answered)
                    .map(o -> o.result().stdout()).collect(Collectors.toSet()));
            Outcome hung = outcomes.stream().filter(o -> !o.answered()).findFirst().orElseThrow();
            assertEquals("hang", hung.job().code());
            assertInstanceOf(TimeoutException.class, hung.failure());
        }
    }

    @Test
    void aJobTooLargeForTheTopicFailsAtOnceAndIsNotSent() throws Exception {
        try (SandqClient client = client().build()) {
            assertTrue(client.maxJobBytes() < 64 * 1024, "max " + client.maxJobBytes());
            var e = assertThrows(ExecutionException.class,
                    () -> client.submit(Job.python("x".repeat(70 * 1024))).get(10, TimeUnit.SECONDS));
            JobTooLargeException tooLarge = assertInstanceOf(JobTooLargeException.class, e.getCause());
            assertTrue(tooLarge.getMessage().contains(jobs), tooLarge.getMessage());
            assertEquals("ok", client.submit(Job.python("small")).get(60, TimeUnit.SECONDS).status().wireName());
            assertEquals(1, worker.received.get());
        }
    }

    @Test
    void aChosenReplyPartitionIsAskedForAndTheOnlyOneRead() throws Exception {
        try (SandqClient client = client().replyPartition(1).build()) {
            Result r = client.submit(Job.python("p1")).get(60, TimeUnit.SECONDS);
            assertEquals("p1", r.stdout());
            byte[] header = worker.jobs.peek().headers().lastHeader("kafka_replyPartition").value();
            assertEquals(1, ByteBuffer.wrap(header).getInt());
        }
    }

    @Test
    void sendOnlyGivesTheCorrelationIdOnceTheBrokerHasTheJob() throws Exception {
        try (SandqClient client = client().build()) {
            String correlationId = client.sendOnly(WireJson.toJson(Job.python("fire"))).get(60, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(30), () -> worker.received.get() == 1, () -> "the job at the worker");
            assertEquals(correlationId, new String(worker.jobs.peek().headers().lastHeader("kafka_correlationId").value()));
        }
    }

    @Test
    void buildsFromPropertiesPassedThroughUnchanged() throws Exception {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("client.id", "from-properties");
        try (SandqClient client = SandqClient.builder(p).jobsTopic(jobs).resultsTopic(results).build()) {
            assertEquals("x", client.run(Job.python("x")).stdout());
        }
    }

    @Test
    void aMissingTopicIsNamedAtBuild() {
        var e = assertThrows(MissingTopicsException.class, () -> client().resultsTopic("no.such.topic").build());
        assertTrue(e.getMessage().contains("no.such.topic") && e.getMessage().contains("sandq topics apply"),
                e.getMessage());
    }

    @Test
    void closingFailsTheJobsStillWaiting() throws Exception {
        SandqClient client = client().build();
        var waiting = client.submit(Job.python("hang"));
        Await.until(Duration.ofSeconds(30), () -> worker.received.get() == 1, () -> "the job at the worker");
        client.close();
        var e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
