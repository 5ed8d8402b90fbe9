package dev.sandq.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue mode's backlog: the share group's lag on the jobs topic (records not yet acknowledged, as
 * the broker counts them), read with the worker's Admin client every {@link #EVERY} on a thread
 * of its own and shown as sandq_queue_lag, what KEDA and the dashboard scale and plot on (a share
 * group has no committed offsets for Kafka's own lag). NaN until the group has state.
 */
final class ShareGroupLag implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupLag.class);
    static final Duration EVERY = Duration.ofSeconds(15);
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final String group;
    private final String topic;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandq-share-group-lag");
        t.setDaemon(true);
        return t;
    });
    private volatile double lag = Double.NaN;

    ShareGroupLag(Admin admin, String group, String topic) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
    }

    /** Binds sandq.queue.lag to {@code registry} and reads the lag now and every {@link #EVERY}. */
    static ShareGroupLag start(Admin admin, String group, String topic, MeterRegistry registry) {
        ShareGroupLag lag = new ShareGroupLag(admin, group, topic);
        Gauge.builder("sandq.queue.lag", lag, l -> l.lag)
                .description("Queue mode: the share group's lag on the jobs topic (records not yet acknowledged), "
                        + "as last read from the broker")
                .register(registry);
        lag.timer.scheduleWithFixedDelay(lag::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return lag;
    }

    /** Reads the lag from the broker; the value stays as it was when that fails. */
    void refresh() {
        try {
            read().ifPresent(l -> lag = l);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.debug("cannot read the lag of share group {}: {}", group, e.toString());
        }
    }

    /** The group's lag summed over the topic's partitions it has state for; empty when none has. */
    OptionalLong read() throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(
                Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long sum = 0;
        boolean any = false;
        for (Map.Entry<TopicPartition, SharePartitionOffsetInfo> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(topic) && e.getValue() != null && e.getValue().lag().isPresent()) {
                sum += e.getValue().lag().get();
                any = true;
            }
        }
        return any ? OptionalLong.of(sum) : OptionalLong.empty();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
