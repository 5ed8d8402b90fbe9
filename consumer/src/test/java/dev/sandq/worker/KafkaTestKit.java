package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Sandbox;
import dev.sandq.testing.Await;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobReplyCodec;
import dev.sandq.wire.WireSchemas;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Per-test topics on the shared broker, a job producer, a reply reader, and worker factories. */
final class KafkaTestKit implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final String bootstrap;
    final TopicNames topics;
    final String group;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> replies;
    private final KafkaConsumer<byte[], byte[]> deadLetters;
    private final List<Worker> workers = new ArrayList<>();

    KafkaTestKit(int partitions) throws Exception {
        this(partitions, SharedBroker.get().bootstrapServers());
    }

    KafkaTestKit(int partitions, String bootstrap) throws Exception {
        this.bootstrap = bootstrap;
        String prefix = "t" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        topics = TopicNames.withPrefix(prefix);
        group = prefix + "-workers";
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        new TopicApplier(admin).apply(TopicCatalogue.load(topics).withPartitions(partitions));
        // Not idempotent: right after the topics are created, an idempotent producer's first batch
        // can get NOT_LEADER_OR_FOLLOWER while later ones land, and then it retries that batch with
        // OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout. One request in flight keeps order.
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", "0",
                "enable.idempotence", "false", "max.in.flight.requests.per.connection", "1"),
                new ByteArraySerializer(), new ByteArraySerializer());
        replies = reader(topics.results());
        deadLetters = reader(topics.deadLetters());
    }

    private KafkaConsumer<byte[], byte[]> reader(String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed", "enable.auto.commit", "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    Admin admin() {
        return admin;
    }

    WorkerConfig.Builder config() {
        return WorkerConfig.builder(bootstrap).topics(topics).groupId(group).slots(2)
                .drainTimeout(Duration.ofSeconds(10))
                .workerId("w" + SEQ.incrementAndGet());
    }

    Worker startWorker(WorkerConfig config, Sandbox sandbox) throws Exception {
        return startWorker(config, sandbox, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    Worker startWorker(WorkerConfig config, Sandbox sandbox, io.micrometer.core.instrument.MeterRegistry registry)
            throws Exception {
        Worker w = Worker.create(config, sandbox, Clock.systemUTC(), registry);
        workers.add(w);
        w.start();
        return w;
    }

    ProducerRecord<byte[], byte[]> job(String json) {
        byte[] value = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topics.jobs(), (Integer) null, (byte[]) null, value, new RecordHeaders());
    }

    static String job(String language, String code) {
        return "{\"language\":\"" + language + "\",\"code\":" + quote(code) + "}";
    }

    static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    org.apache.kafka.clients.producer.RecordMetadata send(ProducerRecord<byte[], byte[]> record) throws Exception {
        return producer.send(record).get();
    }

    void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        for (var r : records) {
            fs.add(producer.send(r));
        }
        for (var f : fs) {
            f.get();
        }
    }

    /** Reads replies until {@code n} arrived (each checked against the result schema), or fails after the timeout. */
    List<ConsumerRecord<byte[], byte[]>> awaitReplies(int n, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> got = collect(replies, n, timeout);
        for (var r : got) {
            try {
                assertEquals(List.of(), WireSchemas.get().validateResult(MAPPER.readTree(r.value())),
                        new String(r.value(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                fail("reply is not JSON: " + new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        return got;
    }

    List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(int n, Duration timeout) {
        return collect(deadLetters, n, timeout);
    }

    /** Whatever other replies arrive within {@code quiet}. */
    List<ConsumerRecord<byte[], byte[]>> moreReplies(Duration quiet) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        Instant end = Instant.now().plus(quiet);
        while (Instant.now().isBefore(end)) {
            replies.poll(Duration.ofMillis(100)).forEach(got::add);
        }
        return got;
    }

    /**
     * Fails as soon as another reply arrives within {@code window}; the caller states why the window
     * is long enough for the reply it rules out to have come.
     */
    void assertNoMoreReplies(Duration window, String ruledOut) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        Await.nothingFor(window, Duration.ZERO, () -> {
            replies.poll(Duration.ofMillis(100)).forEach(got::add);
            return !got.isEmpty();
        }, () -> ruledOut + ", yet came: " + got.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
    }

    private static List<ConsumerRecord<byte[], byte[]>> collect(KafkaConsumer<byte[], byte[]> c, int n,
                                                               Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        Await.until(timeout, Duration.ZERO, () -> {
            c.poll(Duration.ofMillis(100)).forEach(got::add);
            return got.size() >= n;
        }, () -> n + " records on " + c.subscription() + ", got " + got.size());
        return got;
    }

    static JobReply reply(ConsumerRecord<byte[], byte[]> r) {
        return JobReplyCodec.fromJson(r.value());
    }

    long committed(int partition) throws Exception {
        TopicPartition tp = new TopicPartition(topics.jobs(), partition);
        OffsetAndMetadata om = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return om == null ? -1 : om.offset();
    }

    @Override
    public void close() throws Exception {
        for (Worker w : workers) {
            w.close();
        }
        replies.close();
        deadLetters.close();
        producer.close();
        admin.close();
    }
}
