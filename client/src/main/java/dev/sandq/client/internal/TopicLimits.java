package dev.sandq.client.internal;

import dev.sandq.client.MissingTopicsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;

/** Checks that the topics exist and reads each one's record size limit ({@code max.message.bytes}). */
public final class TopicLimits {
    /** Kafka's default max.message.bytes, where a topic sets none. */
    static final int KAFKA_DEFAULT_RECORD_BYTES = 1_048_588;

    private TopicLimits() {
    }

    /**
     * Each topic's max.message.bytes.
     *
     * @throws MissingTopicsException a topic does not exist
     * @throws IllegalStateException Kafka did not answer within {@code timeout}
     */
    public static Map<String, Integer> of(Map<String, Object> props, List<String> topics, Duration timeout) {
        String bootstrap = String.valueOf(props.get("bootstrap.servers"));
        Admin admin = Admin.create(props);
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> missing = new TreeSet<>(topics);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new MissingTopicsException("Topic(s) " + String.join(", ", missing) + " do not exist on "
                        + bootstrap + "; create them with `sandq topics apply` (or start `sandq up`).");
            }
            List<ConfigResource> resources = new ArrayList<>();
            topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
            var configs = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Integer> limits = new HashMap<>();
            for (ConfigResource r : resources) {
                var entry = configs.get(r).get("max.message.bytes");
                limits.put(r.name(), entry == null || entry.value() == null
                        ? KAFKA_DEFAULT_RECORD_BYTES : Integer.parseInt(entry.value()));
            }
            return limits;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " within " + timeout + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics on " + bootstrap, e);
        } finally {
            // not the default close, which waits for the calls still pending (up to default.api.timeout.ms)
            admin.close(Duration.ofSeconds(1));
        }
    }
}
