package dev.sandq.worker.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/** `sandq topics apply`: creates the catalogue's missing topics and reports those that differ (changes nothing else). */
public final class TopicApplier {
    private final Admin admin;

    public TopicApplier(Admin admin) {
        this.admin = admin;
    }

    /** One line per topic: "created NAME ...", "ok NAME" or "differs NAME: ...". */
    public List<String> apply(TopicCatalogue catalogue) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<String> report = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec spec : catalogue.topics()) {
            if (!existing.contains(spec.name())) {
                toCreate.add(new NewTopic(spec.name(), java.util.Optional.of(spec.partitions()), spec.replicationFactor())
                        .configs(spec.configs()));
                report.add("created " + spec.name() + " (" + spec.partitions() + " partitions)");
            }
        }
        if (!toCreate.isEmpty()) {
            admin.createTopics(toCreate).all().get();
        }
        for (TopicSpec spec : catalogue.topics()) {
            if (existing.contains(spec.name())) {
                List<String> diffs = differences(spec);
                report.add(diffs.isEmpty() ? "ok " + spec.name() : "differs " + spec.name() + ": " + String.join("; ", diffs));
            }
        }
        return report;
    }

    private List<String> differences(TopicSpec spec) throws ExecutionException, InterruptedException {
        List<String> diffs = new ArrayList<>();
        TopicDescription d = admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name());
        if (d.partitions().size() != spec.partitions()) {
            diffs.add("partitions " + d.partitions().size() + " (catalogue " + spec.partitions() + ")");
        }
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config = admin.describeConfigs(List.of(res)).all().get().get(res);
        Map<String, String> actual = config.entries().stream()
                .filter(e -> e.value() != null)
                .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
        spec.configs().forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                diffs.add(k + " " + actual.get(k) + " (catalogue " + v + ")");
            }
        });
        return diffs;
    }
}
