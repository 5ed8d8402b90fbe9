package dev.sandq.gateway;

import dev.sandq.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Request-reply over Kafka for many concurrent callers: one producer for jobs, one reader of the
 * whole reply topic (assigned, no group; positioned at the end before the first job is sent),
 * and a map from correlation id to the caller's future. A reply nobody waits for (another
 * gateway's, or one after its caller timed out) is skipped.
 *
 * <p>At start it checks that both topics exist (it never creates one) and reads their record size
 * limits ({@code max.message.bytes}): the producer's {@code max.request.size} and
 * {@code buffer.memory} and the reader's {@code max.partition.fetch.bytes} are set from them (a
 * {@code -X} property wins), and a job too large for one record of the jobs topic fails at once
 * with {@link JobTooLargeException}, naming both sizes, without being sent. Jobs are handed to the
 * producer on a thread of their own, so a send that waits for metadata (a topic deleted since, a
 * broker away) never holds an HTTP thread, and the caller's timeout still applies.
 */
public final class KafkaJobClient implements AutoCloseable {
    /** The record size the topic catalogue gives the jobs and results topics. */
    public static final int CATALOGUE_RECORD_BYTES = 16 << 20;
    /** Room in a record for its framing, key and headers besides the job. */
    static final int RECORD_OVERHEAD = 1024;
    /** How long a send may wait for the jobs topic's metadata or for buffer space. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(10);

    private final String jobsTopic;
    private final String resultsTopic;
    private final String bootstrapServers;
    private final int maxJobBytes;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> replies;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandq-gateway-send");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    private KafkaJobClient(Map<String, Object> props, String jobsTopic, String resultsTopic, int jobsTopicLimit,
                           int resultsTopicLimit) {
        this.jobsTopic = jobsTopic;
        this.resultsTopic = resultsTopic;
        this.bootstrapServers = String.valueOf(props.get("bootstrap.servers"));
        Map<String, Object> p = new HashMap<>(props);
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("linger.ms", "0");
        p.putIfAbsent("max.request.size", String.valueOf(jobsTopicLimit + RECORD_OVERHEAD));
        p.putIfAbsent("buffer.memory", String.valueOf(Math.max(32L << 20, 4L * (jobsTopicLimit + RECORD_OVERHEAD))));
        p.putIfAbsent("max.block.ms", String.valueOf(MAX_BLOCK.toMillis()));
        int maxRequest = Integer.parseInt(String.valueOf(p.get("max.request.size")));
        this.maxJobBytes = Math.min(jobsTopicLimit, maxRequest) - RECORD_OVERHEAD;
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>(props);
        c.put("enable.auto.commit", "false");
        c.putIfAbsent("allow.auto.create.topics", "false");
        c.putIfAbsent("max.partition.fetch.bytes", String.valueOf(resultsTopicLimit + RECORD_OVERHEAD));
        c.remove("group.id");
        replies = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reader = new Thread(this::readReplies, "sandq-gateway-replies");
        reader.setDaemon(true);
    }

    /**
     * Checks that both topics exist and reads their record limits, connects, positions the reply
     * reader at the end of every partition, and starts reading.
     *
     * @throws MissingTopicsException a topic does not exist (the message says which, and what to run)
     */
    public static KafkaJobClient start(Map<String, Object> props, String jobsTopic, String resultsTopic)
            throws MissingTopicsException {
        Map<String, Integer> limits = recordLimits(props, jobsTopic, resultsTopic);
        KafkaJobClient client = new KafkaJobClient(props, jobsTopic, resultsTopic, limits.get(jobsTopic),
                limits.get(resultsTopic));
        try {
            List<TopicPartition> parts = new ArrayList<>();
            var infos = client.replies.partitionsFor(resultsTopic, Duration.ofSeconds(30));
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            client.replies.assign(parts);
            client.replies.seekToEnd(parts);
            parts.forEach(client.replies::position); // fix the positions before any job is sent
        } catch (RuntimeException e) {
            client.producer.close(Duration.ZERO);
            client.replies.close(Duration.ZERO);
            client.sender.shutdownNow();
            throw e;
        }
        client.reader.start();
        return client;
    }

    /** Each topic's max.message.bytes (the broker's default where the topic sets none). */
    private static Map<String, Integer> recordLimits(Map<String, Object> props, String jobsTopic, String resultsTopic)
            throws MissingTopicsException {
        String bootstrap = String.valueOf(props.get("bootstrap.servers"));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Set<String> missing = new TreeSet<>(List.of(jobsTopic, resultsTopic));
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new MissingTopicsException("Topic(s) " + String.join(", ", missing) + " do not exist on "
                        + bootstrap + "; create them with `sandq topics apply`.");
            }
            Map<String, Integer> limits = new HashMap<>();
            List<ConfigResource> resources = new ArrayList<>();
            for (String topic : List.of(jobsTopic, resultsTopic)) {
                resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
            }
            var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            for (ConfigResource r : resources) {
                var entry = configs.get(r).get("max.message.bytes");
                limits.put(r.name(), entry == null || entry.value() == null ? 1_048_588 : Integer.parseInt(entry.value()));
            }
            return limits;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics on " + bootstrap, e);
        }
    }

    /**
     * Sends one job document and returns its reply's bytes. The future fails with a
     * {@link TimeoutException} after {@code timeout}, with {@link JobTooLargeException} when the job
     * does not fit in one record of the jobs topic, or with the producer's exception.
     */
    public CompletableFuture<byte[]> submit(byte[] job, Duration timeout) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (job.length > maxJobBytes) {
            reply.completeExceptionally(new JobTooLargeException(job.length, maxJobBytes, jobsTopic));
            return reply;
        }
        pending.put(id, reply);
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> pending.remove(id));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(jobsTopic, job);
        record.headers().add(WireHeaders.CORRELATION_ID, id.getBytes(StandardCharsets.UTF_8));
        record.headers().add(WireHeaders.REPLY_TOPIC, resultsTopic.getBytes(StandardCharsets.UTF_8));
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (meta, e) -> {
                        if (e != null) {
                            reply.completeExceptionally(e);
                        }
                    });
                } catch (RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /** The largest job document that fits in one record of the jobs topic. */
    public int maxJobBytes() {
        return maxJobBytes;
    }

    public String jobsTopic() {
        return jobsTopic;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** False once the reply reader has died (its exception went to stderr). */
    public boolean healthy() {
        return reader.isAlive();
    }

    /** Callers waiting for a reply now. */
    public int waiting() {
        return pending.size();
    }

    private void readReplies() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofSeconds(1))) {
                    if (r.key() == null) {
                        continue;
                    }
                    CompletableFuture<byte[]> waiter = pending.remove(new String(r.key(), StandardCharsets.UTF_8));
                    if (waiter != null) {
                        waiter.complete(r.value());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            replies.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        replies.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdown();
        producer.close(Duration.ofSeconds(5));
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the gateway is closing")));
    }

    /** The jobs or the results topic does not exist: the gateway does not start (its message says which and what to run). */
    public static final class MissingTopicsException extends Exception {
        MissingTopicsException(String message) {
            super(message);
        }
    }

    /** A job larger than one record of the jobs topic may hold: not sent. */
    public static final class JobTooLargeException extends RuntimeException {
        private final long jobBytes;
        private final long maxBytes;

        JobTooLargeException(long jobBytes, long maxBytes, String topic) {
            super("the job is " + jobBytes + " bytes, over the " + maxBytes + " bytes one record of the jobs topic "
                    + topic + " holds (its max.message.bytes, which `sandq topics apply` sets, and the gateway's "
                    + "producer max.request.size)");
            this.jobBytes = jobBytes;
            this.maxBytes = maxBytes;
        }

        public long jobBytes() {
            return jobBytes;
        }

        public long maxBytes() {
            return maxBytes;
        }
    }
}
