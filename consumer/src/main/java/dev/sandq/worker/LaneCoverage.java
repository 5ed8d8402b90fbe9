package dev.sandq.worker;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue mode's check at start, of how the share group's partitions meet this worker's lanes.
 * Kafka's share-group assignor gives each partition to one member while the group has no more
 * members than partitions, and a lane whose job runs fetches nothing else ({@link ShareLane}): a
 * job produced to a partition that only a busy lane has waits for that lane's job to end. With
 * more lanes in the group than partitions, every partition has several.
 */
final class LaneCoverage {
    private static final Logger LOG = LoggerFactory.getLogger(LaneCoverage.class);

    private LaneCoverage() {
    }

    /** What to tell the operator when {@code lanes} lanes of one worker read a topic of {@code partitions} partitions. */
    static Optional<String> warning(String topic, int partitions, int lanes) {
        if (partitions < lanes) {
            return Optional.empty();
        }
        return Optional.of("queue mode: " + topic + " has " + partitions + " partition(s) and this worker " + lanes
                + " lane(s) (slots + prefetch). Until the share group has more lanes than partitions (all its workers "
                + "together), Kafka gives each partition to one lane, and a lane fetches nothing while its job runs: "
                + "a job on its partitions waits for that job. For jobs that run seconds or longer, give the jobs topic "
                + "fewer partitions than the group's lanes (docs/operating.md, queue mode).");
    }

    /** Logs {@link #warning} for the jobs topic; a topic that cannot be described is not checked. */
    static void check(Admin admin, String topic, int lanes) throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            warning(topic, partitions, lanes).ifPresent(LOG::warn);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("queue mode: could not read the partitions of {} to check them against {} lane(s): {}", topic,
                    lanes, e.toString());
        }
    }
}
