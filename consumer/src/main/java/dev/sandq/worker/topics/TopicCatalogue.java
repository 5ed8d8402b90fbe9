package dev.sandq.worker.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The topic catalogue of module topics (sandq/topics/catalogue.json), with names as configured. */
public final class TopicCatalogue {
    public static final String RESOURCE = "sandq/topics/catalogue.json";

    private final List<TopicSpec> topics;
    private final ShareGroupSpec shareGroup;

    private TopicCatalogue(List<TopicSpec> topics, ShareGroupSpec shareGroup) {
        this.topics = List.copyOf(topics);
        this.shareGroup = shareGroup;
    }

    public static TopicCatalogue load(TopicNames names) {
        try (InputStream in = TopicCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("topic catalogue " + RESOURCE + " is not on the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<TopicSpec> specs = new ArrayList<>();
            for (JsonNode t : root.get("topics")) {
                Map<String, String> configs = new LinkedHashMap<>();
                t.get("configs").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
                JsonNode rf = t.get("replication_factor");
                String role = t.get("role").asText();
                specs.add(new TopicSpec(role, names.forRole(role), t.get("partitions").asInt(),
                        rf == null || rf.isNull() ? Optional.empty() : Optional.of((short) rf.asInt()), configs));
            }
            JsonNode group = root.get("share_group");
            Map<String, String> groupConfigs = new LinkedHashMap<>();
            group.get("configs").fields().forEachRemaining(e -> groupConfigs.put(e.getKey(), e.getValue().asText()));
            return new TopicCatalogue(specs, new ShareGroupSpec(group.get("name").asText(), groupConfigs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public List<TopicSpec> topics() {
        return topics;
    }

    /** Queue mode's share group and the configs `topics apply` sets on it. */
    public ShareGroupSpec shareGroup() {
        return shareGroup;
    }

    public TopicSpec byRole(String role) {
        return topics.stream().filter(t -> t.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic with role '" + role + "' in the catalogue"));
    }

    /** The same catalogue with every topic's partition count replaced (small test clusters). */
    public TopicCatalogue withPartitions(int partitions) {
        return new TopicCatalogue(topics.stream().map(t -> t.withPartitions(partitions)).toList(), shareGroup);
    }
}
