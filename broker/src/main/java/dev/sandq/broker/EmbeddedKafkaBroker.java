package dev.sandq.broker;

import dev.sandq.shareassignor.AllPartitionsShareAssignor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) running in this JVM: for
 * `sandq up` (sandq-devkit) and the tests, never on the production worker's class path. Data
 * lives under the given directory and survives a restart; the listener port stays the same
 * across restarts of one instance. Share groups (KIP-932) are on: a new data directory is formatted
 * with {@code share.version} 2, and one formatted by an older sandq is upgraded at start
 * ({@link ShareGroupFeature}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    /** Share groups with the share-group dead-letter queue (KIP-1191); what queue mode needs. */
    static final ShareVersion SHARE_VERSION = ShareVersion.SV_2;
    /** The shortest acquisition lock a share group may set (a production broker's default minimum is 15 s). */
    public static final int MIN_RECORD_LOCK_MS = 1000;
    /** The log cleaner's dedupe buffer (Kafka's default: 128 MiB of heap, held from the start). */
    static final long LOG_CLEANER_DEDUPE_BUFFER_BYTES = 8L << 20;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, String clusterId,
                                Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** Formats {@code dataDir} if needed and starts a broker on {@code port} (0 = any free port). */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with broker configs of its own over this class's (for a test
     * that needs a static config the shared broker does not have, such as group.share.max.size).
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port == 0 ? freePort() : port, freePort(),
                Uuid.randomUuid().toString(), overrides);
        broker.startServer();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker, keeping its data (see {@link #restart()}). */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts it again on the same port with the same data. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startServer() {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("log").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("log.flush.interval.messages", "1000000");
        // Kafka's thread counts (3 network, 8 request handler threads) are a server's. On the small
        // machines `sandq up` runs on, fewer cost less: on 2 cores, 1 and 2 took about 15 % less of
        // the broker's CPU per job and ran jobs about 3 % faster (docs/performance.md, "The embedded
        // broker's threads").
        props.put("num.network.threads", "1");
        props.put("num.io.threads", String.valueOf(Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()))));
        // The log cleaner (it compacts the offsets and share-state topics) holds its dedupe buffer on
        // the heap for good: 128 MiB by default, sized for a production broker's compacted topics.
        // This broker's hold a few thousand keys; 8 MiB keeps its offset map to about 500,000.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(LOG_CLEANER_DEDUPE_BUFFER_BYTES));
        // Share groups (queue mode): the share-state topic on one broker, and locks as short as one
        // second, so that tests can run a long job under a short acquisition lock.
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "4");
        props.put("group.share.min.record.lock.duration.ms", String.valueOf(MIN_RECORD_LOCK_MS));
        // A new member gets its first assignment with a heartbeat: 1 s instead of 5 s, so that a
        // worker just started takes jobs at once (one broker, a few members: the cost is nothing).
        props.put("group.share.min.heartbeat.interval.ms", "1000");
        props.put("group.share.heartbeat.interval.ms", "1000");
        // Every member of a share group reads every partition (sandq-share-assignor): a queue-mode lane
        // busy with a long job then holds back no partition, whatever the partitions and lanes.
        props.put("group.share.assignors", AllPartitionsShareAssignor.class.getName());
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);
        format(config);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        ShareGroupFeature.enable(bootstrapServers(), SHARE_VERSION);
    }

    private void format(KafkaConfig config) {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
                return;
            }
            Formatter formatter = new Formatter()
                    .setPrintStream(System.err)
                    .setNodeId(1)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setFeatureLevel(ShareVersion.FEATURE_NAME, SHARE_VERSION.featureLevel())
                    .setIgnoreFormatted(true);
            formatter.addDirectory(dataDir.resolve("log").toString());
            formatter.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker data directory " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format KRaft storage in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
