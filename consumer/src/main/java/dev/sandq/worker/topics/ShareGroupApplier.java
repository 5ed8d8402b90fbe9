package dev.sandq.worker.topics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * `sandq topics apply`, for queue mode: sets the share group's configs (a group's configs can be
 * set before any member joins). Unlike a topic's, they are set whatever they were: they say how
 * the workers of the group treat jobs, and only `topics apply` and the operator set them.
 */
public final class ShareGroupApplier {
    private final Admin admin;

    public ShareGroupApplier(Admin admin) {
        this.admin = admin;
    }

    /**
     * One line: "configured share group NAME: k=v, ...", or, when the cluster refuses a group's
     * configs (share groups off, or a Kafka before 4.0), "not configured share group NAME: why":
     * only queue mode needs them, and `topics apply` serves every mode.
     */
    public String apply(ShareGroupSpec spec) throws InterruptedException {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, spec.name());
        List<AlterConfigOp> ops = spec.configs().entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get();
        } catch (ExecutionException e) {
            return "not configured share group " + spec.name() + ": the cluster refused its configs ("
                    + e.getCause() + "); only queue mode (--delivery queue) needs them, with share groups on";
        }
        StringBuilder line = new StringBuilder("configured share group " + spec.name() + ":");
        new TreeMap<>(spec.configs()).forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }
}
