package dev.sandq.cli;

import dev.sandq.worker.topics.ShareGroupApplier;
import dev.sandq.worker.topics.ShareGroupSpec;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `sandq topics apply`. */
@Command(name = "topics", description = "Manage sandq's Kafka topics.", mixinStandardHelpOptions = true,
        subcommands = TopicsCommand.Apply.class)
public final class TopicsCommand {

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Create the catalogue's missing topics; raise an existing topic's max.message.bytes to the "
                    + "catalogue's when it is lower (never lowers it); report what else differs (changes nothing else). "
                    + "Set the configs of queue mode's share group (--share-group).")
    public static final class Apply implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--partitions", description = "Partitions of each new topic (default: the catalogue's).")
        Integer partitions;

        @Option(names = "--share-group", defaultValue = "${env:SANDQ_SHARE_GROUP}",
                description = "Share group of queue mode (`worker --delivery queue`) whose configs to set "
                        + "(default: the catalogue's, sandq-queue, the queue-mode worker's default --group).")
        String shareGroup;

        @Option(names = "--share-lock-duration", paramLabel = "MS",
                description = "Acquisition lock of a job in queue mode, in ms (share.record.lock.duration.ms; default: "
                        + "the catalogue's, 30000; the broker allows group.share.min/max.record.lock.duration.ms, 15000 "
                        + "to 60000 by default). A running job's lock is renewed, so this bounds how long a job of a "
                        + "worker that died waits to be delivered again.")
        Integer shareLockDurationMs;

        @Option(names = "--share-delivery-limit", paramLabel = "N",
                description = "Deliveries of one job before queue mode answers it internal_error and dead-letters it "
                        + "instead of running it again (share.delivery.count.limit; default: the catalogue's, 5; the "
                        + "broker allows 2 to 10 by default).")
        Integer shareDeliveryLimit;

        @Override
        public Integer call() throws Exception {
            TopicCatalogue catalogue = TopicCatalogue.load(kafka.topics());
            if (partitions != null) {
                catalogue = catalogue.withPartitions(partitions);
            }
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                new TopicApplier(admin).apply(catalogue).forEach(System.out::println);
                System.out.println(new ShareGroupApplier(admin).apply(shareGroup(catalogue)));
            }
            return 0;
        }

        private ShareGroupSpec shareGroup(TopicCatalogue catalogue) {
            ShareGroupSpec spec = catalogue.shareGroup();
            if (shareGroup != null && !shareGroup.isBlank()) {
                spec = spec.named(shareGroup);
            }
            if (shareLockDurationMs != null) {
                spec = spec.with(ShareGroupSpec.LOCK_DURATION, String.valueOf(shareLockDurationMs));
            }
            if (shareDeliveryLimit != null) {
                spec = spec.with(ShareGroupSpec.DELIVERY_COUNT_LIMIT, String.valueOf(shareDeliveryLimit));
            }
            return spec;
        }
    }
}
