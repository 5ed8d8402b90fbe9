package dev.sandq.worker.topics;

import java.util.Objects;
import org.apache.kafka.common.internals.Topic;

/** The names of the three sandq topics, validated. */
public record TopicNames(String jobs, String results, String deadLetters) {
    public static final TopicNames DEFAULTS = new TopicNames("sandq.jobs", "sandq.results", "sandq.jobs.dlt");

    public TopicNames {
        check("jobs", jobs);
        check("results", results);
        check("deadLetters", deadLetters);
    }

    private static void check(String role, String name) {
        Objects.requireNonNull(name, role);
        if (!Topic.isValid(name)) {
            throw new IllegalArgumentException(role + " topic name is not a valid Kafka topic name: '" + name + "'");
        }
    }

    public String forRole(String role) {
        return switch (role) {
            case "jobs" -> jobs;
            case "results" -> results;
            case "dlt" -> deadLetters;
            default -> throw new IllegalArgumentException("unknown topic role '" + role + "'");
        };
    }

    /** Names derived from a prefix, e.g. "t1" -> t1.jobs, t1.results, t1.jobs.dlt (tests, several deployments). */
    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + ".jobs", prefix + ".results", prefix + ".jobs.dlt");
    }
}
