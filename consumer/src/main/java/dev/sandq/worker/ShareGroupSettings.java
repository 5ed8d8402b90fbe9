package dev.sandq.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What queue mode reads from its share group's configs at start: the delivery count at which a
 * job is answered and dead-lettered instead of run again, and the acquisition lock (the share
 * consumer learns the lock from the broker once it fetched; until then, this one is used).
 *
 * @param deliveryLimit share.delivery.count.limit
 * @param lockDuration  share.record.lock.duration.ms
 */
record ShareGroupSettings(int deliveryLimit, Duration lockDuration) {
    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupSettings.class);
    static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    static final String LOCK_DURATION = "share.record.lock.duration.ms";
    static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    static final String SHARE_VERSION = "share.version";
    /** The broker's defaults (group.share.delivery.count.limit, group.share.record.lock.duration.ms). */
    static final ShareGroupSettings BROKER_DEFAULTS = new ShareGroupSettings(5, Duration.ofSeconds(30));
    /** The consumer-group modes: no delivery limit. */
    static final ShareGroupSettings NONE = new ShareGroupSettings(Integer.MAX_VALUE, Duration.ofSeconds(30));
    private static final long TIMEOUT_SECONDS = 30;

    ShareGroupSettings {
        if (deliveryLimit < 1) {
            throw new IllegalArgumentException("deliveryLimit must be positive, got " + deliveryLimit);
        }
        if (lockDuration == null || lockDuration.isNegative() || lockDuration.isZero()) {
            throw new IllegalArgumentException("lockDuration must be a positive duration, got " + lockDuration);
        }
    }

    /**
     * The group's settings. A group with no share.auto.offset.reset of its own is given
     * "earliest", as the consumer-group modes' auto.offset.reset: jobs produced before the first
     * worker joined are run, not skipped (`sandq topics apply` sets it too).
     */
    static ShareGroupSettings read(Admin admin, String group) throws InterruptedException {
        requireShareGroups(admin);
        ConfigResource res = new ConfigResource(ConfigResource.Type.GROUP, group);
        try {
            Config config = admin.describeConfigs(List.of(res)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(res);
            ConfigEntry reset = config.get(AUTO_OFFSET_RESET);
            if (reset == null || reset.source() != ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG) {
                admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(
                        new ConfigEntry(AUTO_OFFSET_RESET, "earliest"), AlterConfigOp.OpType.SET))))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("share group {} had no {} of its own: set to earliest", group, AUTO_OFFSET_RESET);
            }
            return new ShareGroupSettings(
                    intValue(config, DELIVERY_COUNT_LIMIT, BROKER_DEFAULTS.deliveryLimit()),
                    Duration.ofMillis(intValue(config, LOCK_DURATION, (int) BROKER_DEFAULTS.lockDuration().toMillis())));
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warn("cannot read or set the configs of share group {} ({}); assuming the broker's defaults {}", group,
                    e.toString(), BROKER_DEFAULTS);
            return BROKER_DEFAULTS;
        }
    }

    /** Fails, saying what to do, when the cluster has share groups off (share.version 0, or a Kafka before 4.0). */
    static void requireShareGroups(Admin admin) throws InterruptedException {
        short level;
        try {
            FinalizedVersionRange range = admin.describeFeatures().featureMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).finalizedFeatures().get(SHARE_VERSION);
            level = range == null ? 0 : range.maxVersionLevel();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warn("cannot read the cluster's {} ({}); assuming share groups are on", SHARE_VERSION, e.toString());
            return;
        }
        String problem = shareGroupsOff(level);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Why queue mode cannot run at this share.version, or null when it can. */
    static String shareGroupsOff(short shareVersion) {
        if (shareVersion >= 1) {
            return null;
        }
        return "queue mode needs share groups, and this cluster has them off (" + SHARE_VERSION + " " + shareVersion
                + "): Kafka 4.2 or later with " + SHARE_VERSION + " 1 or more (kafka-features.sh upgrade --feature "
                + SHARE_VERSION + "=1; sandq up's broker has them on), or another --delivery";
    }

    private static int intValue(Config config, String name, int fallback) {
        ConfigEntry e = config.get(name);
        if (e == null || e.value() == null || e.value().isBlank()) {
            return fallback;
        }
        return Integer.parseInt(e.value().trim());
    }
}
