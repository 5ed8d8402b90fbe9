package dev.sandq.devkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What Kafka itself costs per job, with bare clients and no worker: one record in flight at a
 * time, produced, consumed, answered with a reply record, then marked done, as the worker does at
 * concurrency 1. {@link Kind#GROUP} reads with a consumer group and commits its position every
 * 200 ms (the worker's at-least-once mode); {@link Kind#SHARE} reads with a share consumer, one
 * record per poll, each acknowledged (ACCEPT) on the next poll (queue mode). The difference
 * between the two is the least any queue-mode worker can cost over the default mode on this
 * broker, whatever it does around the records.
 */
final class KafkaFloor {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long COMMIT_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    static final long ADMIN_TIMEOUT_SECONDS = 30;
    private static final byte[] JOB = "{\"language\":\"python3\",\"code\":\"pass\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    enum Kind {
        GROUP("consumer group"), SHARE("share group");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * One kind's run: {@code records} measured, in {@code seconds}; CPU per record in ms of the
     * broker's process (empty when it is not on this host), of this JVM (the clients), and of
     * the whole machine.
     */
    record Round(Kind kind, int records, double seconds, OptionalDouble brokerMs, double clientsMs, double machineMs) {
        double perSecond() {
            return records / seconds;
        }
    }

    private final Map<String, Object> clientProperties;
    private final OptionalLong brokerPid;
    private final int partitions;
    private final double msPerTick;

    /**
     * @param clientProperties the Kafka client properties every client here starts from (bootstrap.servers and the
     *                         operator's -X properties)
     */
    KafkaFloor(Map<String, Object> clientProperties, OptionalLong brokerPid, int partitions, double msPerTick) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.brokerPid = brokerPid;
        this.partitions = partitions;
        this.msPerTick = msPerTick;
    }

    /** {@code warmUp} records unmeasured, then {@code records} measured, on topics and a group of the run's own (deleted after). */
    Round run(Kind kind, int warmUp, int records) throws Exception {
        String name = "bench-kafka-" + kind.name().toLowerCase() + "-" + UUID.randomUUID();
        String jobs = name + ".jobs";
        String replies = name + ".replies";
        try (Admin admin = Admin.create(clientProperties)) {
            admin.createTopics(List.of(new NewTopic(jobs, partitions, (short) 1), new NewTopic(replies, 1, (short) 1)))
                    .all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            try {
                if (kind == Kind.SHARE) {
                    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, name),
                            List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                                    AlterConfigOp.OpType.SET)))).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                return measure(kind, jobs, replies, name, warmUp, records);
            } finally {
                deleteQuietly(admin, kind, jobs, replies, name);
            }
        }
    }

    private Round measure(Kind kind, String jobs, String replies, String group, int warmUp, int records)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> client = new KafkaProducer<>(producerProperties());
             KafkaProducer<byte[], byte[]> replier = new KafkaProducer<>(producerProperties());
             Taker taker = kind == Kind.SHARE ? shareTaker(jobs, replies, group, replier)
                     : groupTaker(jobs, replies, group, replier)) {
            for (int i = 0; i < warmUp; i++) {
                client.send(new ProducerRecord<>(jobs, JOB)).get();
                taker.takeOne();
            }
            // The clients are this JVM: the sample's own CPU (benchCpuNanos) is theirs.
            CpuAccounting.Sample before = CpuAccounting.sample(OptionalLong.empty(), brokerPid);
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                client.send(new ProducerRecord<>(jobs, JOB)).get();
                taker.takeOne();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuAccounting.Sample after = CpuAccounting.sample(OptionalLong.empty(), brokerPid);
            OptionalDouble brokerMs = before.brokerProcessTicks().isPresent() && after.brokerProcessTicks().isPresent()
                    ? OptionalDouble.of((after.brokerProcessTicks().getAsLong() - before.brokerProcessTicks().getAsLong())
                            * msPerTick / records)
                    : OptionalDouble.empty();
            double clientsMs = (after.benchCpuNanos() - before.benchCpuNanos()) / 1e6 / records;
            double machineMs = (after.busyTicks() - before.busyTicks()) * msPerTick / records;
            return new Round(kind, records, seconds, brokerMs, clientsMs, machineMs);
        }
    }

    private Taker groupTaker(String jobs, String replies, String group, KafkaProducer<byte[], byte[]> replier) {
        Map<String, Object> p = consumerProperties(group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(jobs));
        long[] committedAt = {System.nanoTime()};
        return new Taker(consumer::poll, record -> {
            if (System.nanoTime() - committedAt[0] > COMMIT_EVERY_NANOS) {
                consumer.commitAsync();
                committedAt[0] = System.nanoTime();
            }
        }, consumer::close, replier, replies);
    }

    private Taker shareTaker(String jobs, String replies, String group, KafkaProducer<byte[], byte[]> replier) {
        Map<String, Object> p = consumerProperties(group);
        p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(p);
        consumer.subscribe(List.of(jobs));
        // Sent with the next poll, as queue mode's lanes send theirs.
        return new Taker(consumer::poll, record -> consumer.acknowledge(record, AcknowledgeType.ACCEPT),
                consumer::close, replier, replies);
    }

    /** Polls until a record comes, answers it with a reply record, then marks it done. */
    private record Taker(Function<Duration, ConsumerRecords<byte[], byte[]>> poll,
                         Consumer<ConsumerRecord<byte[], byte[]>> markDone, Runnable closeConsumer,
                         KafkaProducer<byte[], byte[]> replier, String replies) implements AutoCloseable {
        void takeOne() throws ExecutionException, InterruptedException {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : poll.apply(POLL)) {
                    replier.send(new ProducerRecord<>(replies, r.key(), REPLY)).get();
                    markDone.accept(r);
                    return;
                }
            }
        }

        @Override
        public void close() {
            closeConsumer.run();
        }
    }

    private Map<String, Object> consumerProperties(String group) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static void deleteQuietly(Admin admin, Kind kind, String jobs, String replies, String group) {
        try {
            if (kind == Kind.SHARE) {
                admin.deleteShareGroups(List.of(group)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } else {
                admin.deleteConsumerGroups(List.of(group)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            admin.deleteTopics(List.of(jobs, replies)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("sandq bench-kafka: could not delete " + jobs + ", " + replies + " or group " + group
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
