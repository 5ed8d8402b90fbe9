package dev.sandq.worker;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue mode's check at start, of how the share group's partitions meet this worker's lanes.
 * Kafka's own share-group assignor gives each partition to one member while the group has no more
 * members than partitions, and a lane whose job runs fetches nothing else ({@link ShareLane}): a
 * job produced to a partition that only a busy lane has waits for that lane's job to end. A broker
 * whose assignor is sandq's (every member gets every partition) has no such wait, nor a group
 * with more lanes than partitions.
 */
final class LaneCoverage {
    private static final Logger LOG = LoggerFactory.getLogger(LaneCoverage.class);

    /** The broker config that names the share-group assignor. */
    static final String ASSIGNORS_CONFIG = "group.share.assignors";
    /** sandq-share-assignor's class (that module is the broker's, not a dependency of the worker). */
    static final String ALL_PARTITIONS_ASSIGNOR = "dev.sandq.shareassignor.AllPartitionsShareAssignor";

    private LaneCoverage() {
    }

    /**
     * What to tell the operator when {@code lanes} lanes of one worker read a topic of
     * {@code partitions} partitions from a broker whose {@value #ASSIGNORS_CONFIG} is
     * {@code assignors} (empty: it could not be read).
     */
    static Optional<String> warning(String topic, int partitions, int lanes, Optional<String> assignors) {
        if (partitions < lanes || assignors.filter(a -> a.trim().equals(ALL_PARTITIONS_ASSIGNOR)).isPresent()) {
            return Optional.empty();
        }
        String broker = assignors.map(a -> "the broker's " + ASSIGNORS_CONFIG + " is " + (a.isBlank() ? "Kafka's default"
                : a)).orElse("the broker's " + ASSIGNORS_CONFIG + " could not be read");
        return Optional.of("queue mode: " + topic + " has " + partitions + " partition(s) and this worker " + lanes
                + " lane(s) (slots + prefetch), and " + broker + ". Until the share group has more lanes than "
                + "partitions (all its workers together), Kafka gives each partition to one lane, and a lane fetches "
                + "nothing while its job runs: a job on its partitions waits for that job. Either set "
                + ASSIGNORS_CONFIG + "=" + ALL_PARTITIONS_ASSIGNOR + " on the brokers (sandq-share-assignor.jar in their "
                + "libs), which gives every lane every partition, or give the jobs topic fewer partitions than the "
                + "group's lanes (docs/operating.md, queue mode).");
    }

    /** Logs {@link #warning} for the jobs topic; a topic that cannot be described is not checked. */
    static void check(Admin admin, String topic, int lanes) throws InterruptedException {
        int partitions;
        try {
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("queue mode: could not read the partitions of {} to check them against {} lane(s): {}", topic,
                    lanes, e.toString());
            return;
        }
        if (partitions < lanes) {
            return;
        }
        warning(topic, partitions, lanes, brokerAssignors(admin)).ifPresentOrElse(LOG::warn,
                () -> LOG.info("queue mode: every lane reads every partition of {} (the broker's {})", topic,
                        ASSIGNORS_CONFIG));
    }

    /** One broker's {@value #ASSIGNORS_CONFIG} (blank when it has Kafka's default); empty when it cannot be read. */
    static Optional<String> brokerAssignors(Admin admin) throws InterruptedException {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            Optional<Node> any = nodes.stream().findFirst();
            if (any.isEmpty()) {
                return Optional.empty();
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, any.get().idString());
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            ConfigEntry entry = config == null ? null : config.get(ASSIGNORS_CONFIG);
            return Optional.of(entry == null || entry.value() == null || entry.isDefault() ? "" : entry.value());
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("queue mode: could not read the broker's {}: {}", ASSIGNORS_CONFIG, e.toString());
            return Optional.empty();
        }
    }
}
