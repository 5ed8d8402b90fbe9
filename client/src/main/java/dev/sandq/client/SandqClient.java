package dev.sandq.client;

import dev.sandq.client.internal.ReplyReader;
import dev.sandq.client.internal.TopicLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Properties;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs jobs on sandq workers through Kafka: each job is produced to the jobs topic with Spring's
 * request-reply headers ({@code kafka_correlationId}, a fresh UUID; {@code kafka_replyTopic}; and
 * {@code kafka_replyPartition} when one is {@linkplain Builder#replyPartition chosen}), and its
 * result is the record of the results topic keyed by that correlation id.
 *
 * <p>One producer and one reply reader (the results topic's partitions assigned, no consumer
 * group) serve every job; the client is thread-safe, and meant to be made once and shared (in
 * Spring: a bean, closed with its context). {@link #submit} returns at once; the future completes
 * with the result, or fails with {@link java.util.concurrent.TimeoutException} after the timeout,
 * {@link JobTooLargeException} when the job does not fit in one record of the jobs topic, or the
 * producer's exception. Futures complete on the client's reply thread: do not block in a callback
 * (use the {@code ...Async} methods for long work).
 *
 * <p>A job that timed out may still run, and its late reply is dropped. With at-least-once workers a
 * job may be answered twice (after a worker crash); only the first reply counts.
 *
 * <pre>{@code
 * try (SandqClient sandq = SandqClient.builder("kafka:9092").build()) {
 *     Result r = sandq.submit(Job.python("print(6*7)")).get();
 * }
 * }</pre>
 */
public final class SandqClient implements AutoCloseable {
    /** Room in a record for its framing, key and headers besides the job. */
    static final int RECORD_OVERHEAD = 1024;

    private final String jobsTopic;
    private final String resultsTopic;
    private final Integer replyPartition;
    private final Duration timeout;
    private final int window;
    private final int maxJobBytes;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ReplyReader replies;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandq-client-send");
        t.setDaemon(true);
        return t;
    });

    private SandqClient(Builder b, KafkaProducer<byte[], byte[]> producer, ReplyReader replies, int maxJobBytes) {
        this.jobsTopic = b.jobsTopic;
        this.resultsTopic = b.resultsTopic;
        this.replyPartition = b.replyPartition;
        this.timeout = b.timeout;
        this.window = b.window;
        this.producer = producer;
        this.replies = replies;
        this.maxJobBytes = maxJobBytes;
    }

    /** A client of the cluster at {@code bootstrapServers}, with no other Kafka property. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(Map.of("bootstrap.servers", bootstrapServers));
    }

    /**
     * A client with these Kafka client properties (bootstrap.servers, security, client.id, ...),
     * passed to the producer, the reply consumer and the admin client unchanged.
     */
    public static Builder builder(Map<String, ?> kafkaProperties) {
        return new Builder(kafkaProperties);
    }

    /** {@link #builder(Map)} from {@link Properties} (Spring's and Kafka's own configuration files). */
    public static Builder builder(Properties kafkaProperties) {
        Map<String, Object> map = new HashMap<>();
        kafkaProperties.stringPropertyNames().forEach(k -> map.put(k, kafkaProperties.getProperty(k)));
        return new Builder(map);
    }

    /** Sends the job; the future completes with its result (timeout: the builder's). */
    public CompletableFuture<Result> submit(Job job) {
        return submit(job, timeout);
    }

    public CompletableFuture<Result> submit(Job job, Duration timeout) {
        return submitJson(WireJson.toJson(job), timeout).thenApply(WireJson::result);
    }

    /** Sends the job and waits for its result. */
    public Result run(Job job) throws java.util.concurrent.TimeoutException, InterruptedException {
        try {
            return submit(job).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException t) {
                throw t;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new CompletionException(e.getCause());
        }
    }

    /**
     * Sends a job document as it is (no check against the schema: the worker answers an invalid
     * one {@code rejected}); the future completes with the reply's bytes as they came.
     */
    public CompletableFuture<byte[]> submitJson(byte[] jobDocument, Duration timeout) {
        Objects.requireNonNull(jobDocument, "jobDocument");
        if (jobDocument.length > maxJobBytes) {
            return CompletableFuture.failedFuture(new JobTooLargeException(jobDocument.length, maxJobBytes, jobsTopic));
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<byte[]> reply = replies.expect(correlationId);
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ProducerRecord<byte[], byte[]> record = request(jobDocument, correlationId);
        try {
            sender.execute(() -> send(record, reply, jobDocument.length));
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    public CompletableFuture<byte[]> submitJson(byte[] jobDocument) {
        return submitJson(jobDocument, timeout);
    }

    /**
     * Sends a job document without waiting for its reply (which still goes to the results topic);
     * the future completes with the job's correlation id once the broker has the job.
     */
    public CompletableFuture<String> sendOnly(byte[] jobDocument) {
        if (jobDocument.length > maxJobBytes) {
            return CompletableFuture.failedFuture(new JobTooLargeException(jobDocument.length, maxJobBytes, jobsTopic));
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<byte[]> sent = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record = request(jobDocument, correlationId);
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (meta, e) -> {
                        if (e != null) {
                            sent.completeExceptionally(e instanceof RecordTooLargeException
                                    ? new JobTooLargeException(jobDocument.length, maxJobBytes, jobsTopic) : e);
                        } else {
                            sent.complete(null);
                        }
                    });
                } catch (RuntimeException e) {
                    sent.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) { // the client is closed
            sent.completeExceptionally(e);
        }
        return sent.thenApply(v -> correlationId);
    }

    private ProducerRecord<byte[], byte[]> request(byte[] jobDocument, String correlationId) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(jobsTopic, jobDocument);
        record.headers().add("kafka_correlationId", correlationId.getBytes(StandardCharsets.UTF_8));
        record.headers().add("kafka_replyTopic", resultsTopic.getBytes(StandardCharsets.UTF_8));
        if (replyPartition != null) {
            record.headers().add("kafka_replyPartition", ByteBuffer.allocate(4).putInt(replyPartition).array());
        }
        return record;
    }

    private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<byte[]> reply, int jobBytes) {
        if (reply.isDone()) {
            return; // timed out, or the client closed, before its turn
        }
        try {
            producer.send(record, (meta, e) -> {
                if (e instanceof RecordTooLargeException) {
                    reply.completeExceptionally(new JobTooLargeException(jobBytes, maxJobBytes, jobsTopic));
                } else if (e != null) {
                    reply.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
    }

    /** {@link #submitAll(Stream, int)} with the builder's window. */
    public Stream<Outcome> submitAll(Stream<Job> jobs) {
        return submitAll(jobs, window);
    }

    /**
     * Sends the jobs, at most {@code window} in flight at once, and returns their outcomes in the
     * order they complete. Lazy: jobs are taken from {@code jobs} as the returned stream is read,
     * so memory holds at most {@code window} jobs whatever the number of jobs. Read it on one
     * thread; closing it closes {@code jobs}.
     */
    public Stream<Outcome> submitAll(Stream<Job> jobs, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        Iterator<Job> source = jobs.iterator();
        Iterator<Outcome> outcomes = new Iterator<>() {
            private final BlockingQueue<Outcome> done = new LinkedBlockingQueue<>();
            private int inFlight;

            private void fill() {
                while (inFlight < window && source.hasNext()) {
                    Job job = source.next();
                    inFlight++;
                    submit(job).whenComplete((result, e) -> done.add(result != null
                            ? new Outcome(job, result, null)
                            : new Outcome(job, null, e instanceof CompletionException c && c.getCause() != null
                                    ? c.getCause() : e)));
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return inFlight > 0;
            }

            @Override
            public Outcome next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    Outcome o = done.take();
                    inFlight--;
                    return o;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for results", e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(outcomes,
                Spliterator.NONNULL), false).onClose(jobs::close);
    }

    /** The largest job document that fits in one record of the jobs topic. */
    public int maxJobBytes() {
        return maxJobBytes;
    }

    /** Jobs sent and waiting for their reply now. */
    public int waiting() {
        return replies.waiting();
    }

    /** False once the reply reader has stopped on an error. */
    public boolean healthy() {
        return replies.healthy();
    }

    public String jobsTopic() {
        return jobsTopic;
    }

    public String resultsTopic() {
        return resultsTopic;
    }

    /** Stops reading replies (every job still waiting fails), then flushes and closes the producer. */
    @Override
    public void close() {
        replies.close();
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** How to build a {@link SandqClient}; {@link #build()} connects. */
    public static final class Builder {
        private final Map<String, Object> props;
        private String jobsTopic = "sandq.jobs";
        private String resultsTopic = "sandq.results";
        private Integer replyPartition;
        private Duration timeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(30);
        private int window = 64;

        private Builder(Map<String, ?> kafkaProperties) {
            this.props = new HashMap<>(kafkaProperties);
            if (props.get("bootstrap.servers") == null || String.valueOf(props.get("bootstrap.servers")).isBlank()) {
                throw new IllegalArgumentException("bootstrap.servers is required, got " + props.get("bootstrap.servers"));
            }
        }

        /** The topic jobs are sent to (default sandq.jobs). */
        public Builder jobsTopic(String topic) {
            this.jobsTopic = requireName("jobsTopic", topic);
            return this;
        }

        /** The topic replies are read from, named in each job's kafka_replyTopic (default sandq.results). */
        public Builder resultsTopic(String topic) {
            this.resultsTopic = requireName("resultsTopic", topic);
            return this;
        }

        /**
         * Asks for every reply on this partition of the results topic (the kafka_replyPartition
         * header) and reads only that one; by default every partition is read. With many clients,
         * one partition each spares each client the others' replies.
         */
        public Builder replyPartition(int partition) {
            if (partition < 0) {
                throw new IllegalArgumentException("replyPartition must be >= 0, got " + partition);
            }
            this.replyPartition = partition;
            return this;
        }

        /** How long a job may take from its send to its reply, queueing included (default 5 minutes). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** How long {@link #build()} waits for Kafka (default 30 s). */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** The most jobs {@link SandqClient#submitAll(Stream)} keeps in flight (default 64). */
        public Builder window(int jobs) {
            if (jobs < 1) {
                throw new IllegalArgumentException("window must be at least 1, got " + jobs);
            }
            this.window = jobs;
            return this;
        }

        /**
         * Checks that both topics exist and reads their record size limits (the producer's
         * {@code max.request.size} and {@code buffer.memory}, the reader's
         * {@code max.partition.fetch.bytes} follow them unless given), connects, and positions the
         * reply reader at the end of the results topic.
         *
         * @throws MissingTopicsException a topic does not exist
         * @throws IllegalStateException Kafka did not answer within the connect timeout
         */
        public SandqClient build() {
            Map<String, Integer> limits = TopicLimits.of(props, List.of(jobsTopic, resultsTopic), connectTimeout);
            int jobsLimit = limits.get(jobsTopic);
            Map<String, Object> p = new HashMap<>(props);
            p.putIfAbsent("acks", "all");
            p.putIfAbsent("linger.ms", "0");
            p.putIfAbsent("max.request.size", String.valueOf(jobsLimit + RECORD_OVERHEAD));
            p.putIfAbsent("buffer.memory", String.valueOf(Math.max(32L << 20, 4L * (jobsLimit + RECORD_OVERHEAD))));
            p.putIfAbsent("max.block.ms", String.valueOf(connectTimeout.toMillis()));
            int maxRequest = Integer.parseInt(String.valueOf(p.get("max.request.size")));
            int maxJobBytes = Math.min(jobsLimit, maxRequest) - RECORD_OVERHEAD;
            ReplyReader reader = ReplyReader.start(props, resultsTopic,
                    replyPartition == null ? List.of() : List.of(replyPartition),
                    limits.get(resultsTopic) + RECORD_OVERHEAD, connectTimeout);
            KafkaProducer<byte[], byte[]> producer;
            try {
                producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
            return new SandqClient(this, producer, reader, maxJobBytes);
        }

        private static String requireName(String what, String topic) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException(what + " must be a topic name, got '" + topic + "'");
            }
            return topic;
        }
    }
}
