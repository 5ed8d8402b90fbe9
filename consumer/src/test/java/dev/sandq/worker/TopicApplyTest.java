package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import dev.sandq.worker.topics.ShareGroupApplier;
import dev.sandq.worker.topics.ShareGroupSpec;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `sandq topics apply` against a real broker: the catalogue's record limits (16 MiB for jobs and
 * results, 17 MiB for dead letters, room for 8 MiB programs and outputs), and an existing topic's
 * lower limit raised to them (a topic made by an older sandq), never lowered.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TopicApplyTest {

    /**
     * The topic's max.message.bytes. Right after createTopics the broker may not know the topic yet
     * (its metadata follows the controller's by a moment: UnknownTopicOrPartition): asked again then.
     */
    private static String recordLimit(Admin admin, String topic) {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return dev.sandq.testing.Await.untilPresent(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(100),
                () -> {
                    try {
                        return java.util.Optional.of(admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS)
                                .get(res).get("max.message.bytes").value());
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                            return java.util.Optional.empty();
                        }
                        throw e;
                    }
                }, () -> "the config of " + topic);
    }

    @Test
    void newTopicsGetTheCataloguesRecordLimits() throws Exception {
        TopicNames names = TopicNames.withPrefix("apply-new");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.get().bootstrapServers()))) {
            List<String> report = new TopicApplier(admin).apply(TopicCatalogue.load(names).withPartitions(1));
            assertEquals(List.of("created apply-new.jobs (1 partitions)", "created apply-new.results (1 partitions)",
                    "created apply-new.jobs.dlt (1 partitions)"), report);
            assertEquals("16777216", recordLimit(admin, names.jobs()));
            assertEquals("16777216", recordLimit(admin, names.results()));
            assertEquals("17825792", recordLimit(admin, names.deadLetters()));
        }
    }

    @Test
    void anExistingTopicsLowerRecordLimitIsRaisedAndAHigherOneKept() throws Exception {
        TopicNames names = TopicNames.withPrefix("apply-old");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.get().bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(names.jobs(), 1, (short) 1).configs(Map.of("max.message.bytes", "2097152")),
                    new NewTopic(names.results(), 1, (short) 1).configs(Map.of("max.message.bytes", "33554432")),
                    new NewTopic(names.deadLetters(), 1, (short) 1).configs(Map.of("max.message.bytes", "2097152",
                            "retention.ms", "1000")))).all().get(30, TimeUnit.SECONDS);
            List<String> report = new TopicApplier(admin).apply(TopicCatalogue.load(names).withPartitions(1));
            assertEquals(5, report.size(), report::toString);
            assertEquals("raised apply-old.jobs max.message.bytes from 2097152 to 16777216", report.get(0));
            assertEquals("ok apply-old.jobs", report.get(1));
            assertEquals(java.util.Set.of("max.message.bytes 33554432 (catalogue 16777216)",
                    "retention.ms 604800000 (catalogue 86400000)"), java.util.Set.of(
                    report.get(2).replaceFirst("^differs apply-old.results: ", "").split("; ")), report::toString);
            assertEquals("raised apply-old.jobs.dlt max.message.bytes from 2097152 to 17825792", report.get(3));
            assertEquals("differs apply-old.jobs.dlt: retention.ms 1000 (catalogue 1209600000)", report.get(4));
            assertEquals("16777216", recordLimit(admin, names.jobs()));
            assertEquals("33554432", recordLimit(admin, names.results()), "never lowered");
            assertEquals("17825792", recordLimit(admin, names.deadLetters()));
        }
    }

    @Test
    void theShareGroupGetsTheCataloguesConfigsAndTheOnesGiven() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.get().bootstrapServers()))) {
            ShareGroupSpec spec = TopicCatalogue.load(TopicNames.DEFAULTS).shareGroup().named("apply-queue")
                    .with(ShareGroupSpec.LOCK_DURATION, "6000");
            assertEquals("configured share group apply-queue: share.auto.offset.reset=earliest "
                    + "share.delivery.count.limit=5 share.isolation.level=read_committed "
                    + "share.record.lock.duration.ms=6000", new ShareGroupApplier(admin).apply(spec));
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "apply-queue");
            // The broker's view of a group's configs follows the controller's by a moment.
            java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
            dev.sandq.testing.Await.until(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(100), () -> {
                var configs = admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
                String now = configs.get("share.auto.offset.reset").value() + " "
                        + configs.get("share.record.lock.duration.ms").value() + " "
                        + configs.get("share.delivery.count.limit").value();
                seen.set(now);
                return now.equals("earliest 6000 5");
            }, () -> "the group's configs set, are " + seen.get());
        }
    }

    /** Only queue mode needs the group's configs: a cluster that refuses them fails no `topics apply`. */
    @Test
    void aShareGroupConfigTheClusterRefusesIsReportedNotThrown() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.get().bootstrapServers()))) {
            ShareGroupSpec belowTheBrokersMinimum = TopicCatalogue.load(TopicNames.DEFAULTS).shareGroup()
                    .named("apply-refused").with(ShareGroupSpec.LOCK_DURATION, "10");
            String line = new ShareGroupApplier(admin).apply(belowTheBrokersMinimum);
            assertTrue(line.startsWith("not configured share group apply-refused: the cluster refused its configs"),
                    line);
        }
    }
}
