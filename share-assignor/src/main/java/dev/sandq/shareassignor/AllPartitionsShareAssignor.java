package dev.sandq.shareassignor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.ShareGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;

/**
 * A share-group assignor that gives every member every assignable partition of the topics it
 * subscribes to. Set on the broker with {@code group.share.assignors=} this class's name.
 *
 * <p>Why: Kafka's built-in {@code simple} assignor gives each partition to one member while a
 * share group has no more members than partitions. A queue-mode worker reads through one member
 * per slot and per prefetched job (its lanes), and a lane whose job runs fetches nothing else; so a
 * job produced to a partition that only a busy lane held waited until that lane's job ended, however
 * many other lanes were idle. A share group acquires each record for one member at a time whatever
 * the assignment, so giving all partitions to all members changes who may fetch a record, never how
 * often it is delivered.
 *
 * <p>What it costs: each member's share fetches name all partitions of its topics, and the broker
 * keeps a share session entry for each; for a job queue of a few partitions and a few hundred members
 * that is nothing. The setting is the broker's, for every share group it hosts.
 */
public final class AllPartitionsShareAssignor implements ShareGroupPartitionAssignor {
    /** The name a member would give to ask for it; share groups cannot choose, the broker's setting does. */
    public static final String NAME = "sandq-all-partitions";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(GroupSpec group, SubscribedTopicDescriber topics) {
        Map<Uuid, Set<Integer>> assignable = new HashMap<>();
        Map<String, MemberAssignment> members = new HashMap<>();
        for (String member : group.memberIds()) {
            Map<Uuid, Set<Integer>> partitions = new HashMap<>();
            for (Uuid topic : group.memberSubscription(member).subscribedTopicIds()) {
                Set<Integer> all = assignable.computeIfAbsent(topic, t -> assignablePartitions(group, topics, t));
                if (!all.isEmpty()) {
                    partitions.put(topic, all);
                }
            }
            members.put(member, new Partitions(Map.copyOf(partitions)));
        }
        return new GroupAssignment(members);
    }

    /**
     * The topic's partitions the coordinator lets a share group have now (a partition whose share
     * state is still being initialised is not, yet); none for a topic the broker does not know.
     */
    private static Set<Integer> assignablePartitions(GroupSpec group, SubscribedTopicDescriber topics, Uuid topic) {
        int count = topics.numPartitions(topic);
        Set<Integer> partitions = new HashSet<>();
        for (int p = 0; p < count; p++) {
            if (group.isPartitionAssignable(topic, p)) {
                partitions.add(p);
            }
        }
        return Set.copyOf(partitions);
    }

    /** One member's partitions, by topic id. */
    record Partitions(Map<Uuid, Set<Integer>> partitions) implements MemberAssignment {
    }
}
