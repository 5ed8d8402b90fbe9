package dev.sandq.worker.topics;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;

/** What the worker checks at start: its three topics exist; the results topic's record size limit. */
public final class TopicCheck {
    private TopicCheck() {
    }

    /** @return the results topic's max.message.bytes */
    public static int requireTopics(Admin admin, TopicNames names, String bootstrapServers)
            throws MissingTopicException, ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        Set<String> missing = new TreeSet<>(List.of(names.jobs(), names.results(), names.deadLetters()));
        missing.removeAll(existing);
        if (!missing.isEmpty()) {
            throw new MissingTopicException("Topic(s) " + String.join(", ", missing) + " do not exist on "
                    + bootstrapServers + "; create them with `sandq topics apply`.");
        }
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, names.results());
        var entry = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res).get("max.message.bytes");
        return entry == null || entry.value() == null ? 1_048_588 : Integer.parseInt(entry.value());
    }
}
