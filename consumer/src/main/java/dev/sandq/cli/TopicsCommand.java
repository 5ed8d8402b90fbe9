package dev.sandq.cli;

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
                    + "catalogue's when it is lower (never lowers it); report what else differs (changes nothing else).")
    public static final class Apply implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--partitions", description = "Partitions of each new topic (default: the catalogue's).")
        Integer partitions;

        @Override
        public Integer call() throws Exception {
            TopicCatalogue catalogue = TopicCatalogue.load(kafka.topics());
            if (partitions != null) {
                catalogue = catalogue.withPartitions(partitions);
            }
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                new TopicApplier(admin).apply(catalogue).forEach(System.out::println);
            }
            return 0;
        }
    }
}
