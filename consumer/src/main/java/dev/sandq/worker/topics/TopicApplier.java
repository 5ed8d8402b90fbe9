package dev.sandq.worker.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * `sandq topics apply`: creates the catalogue's missing topics, raises the record size limit
 * ({@code max.message.bytes}) of an existing one to the catalogue's when it is lower (never lowers
 * it: a larger limit only lets larger jobs and results through), and reports what else differs
 * (changes nothing else).
 */
public final class TopicApplier {
    private final Admin admin;

    /** The one setting apply changes on an existing topic, and only upwards. */
    static final String RECORD_LIMIT = "max.message.bytes";

    public TopicApplier(Admin admin) {
        this.admin = admin;
    }

    /** One line per topic: "created NAME ...", "ok NAME", "raised NAME ..." or "differs NAME: ...". */
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
                Map<String, String> actual = actualConfigs(spec.name());
                raiseRecordLimit(spec, actual).ifPresent(report::add);
                List<String> diffs = differences(spec, actual);
                report.add(diffs.isEmpty() ? "ok " + spec.name() : "differs " + spec.name() + ": " + String.join("; ", diffs));
            }
        }
        return report;
    }

    private Map<String, String> actualConfigs(String topic) throws ExecutionException, InterruptedException {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(res)).all().get().get(res);
        return config.entries().stream()
                .filter(e -> e.value() != null)
                .collect(Collectors.toMap(e -> e.name(), e -> e.value(), (a, b) -> a, HashMap::new));
    }

    /** Raises the topic's max.message.bytes to the catalogue's when lower; the line to report, if it did. */
    private Optional<String> raiseRecordLimit(TopicSpec spec, Map<String, String> actual)
            throws ExecutionException, InterruptedException {
        String wanted = spec.configs().get(RECORD_LIMIT);
        String now = actual.get(RECORD_LIMIT);
        if (wanted == null || now == null || Long.parseLong(now) >= Long.parseLong(wanted)) {
            return Optional.empty();
        }
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(new ConfigEntry(RECORD_LIMIT, wanted),
                AlterConfigOp.OpType.SET)))).all().get();
        actual.put(RECORD_LIMIT, wanted);
        return Optional.of("raised " + spec.name() + " " + RECORD_LIMIT + " from " + now + " to " + wanted);
    }

    private List<String> differences(TopicSpec spec, Map<String, String> actual)
            throws ExecutionException, InterruptedException {
        List<String> diffs = new ArrayList<>();
        TopicDescription d = admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name());
        if (d.partitions().size() != spec.partitions()) {
            diffs.add("partitions " + d.partitions().size() + " (catalogue " + spec.partitions() + ")");
        }
        spec.configs().forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                diffs.add(k + " " + actual.get(k) + " (catalogue " + v + ")");
            }
        });
        return diffs;
    }
}
