package dev.sandq.shareassignor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberSubscription;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.junit.jupiter.api.Test;

@Fast
class AllPartitionsShareAssignorTest {
    private static final Uuid JOBS = Uuid.randomUuid();
    private static final Uuid OTHER = Uuid.randomUuid();
    private static final Uuid UNKNOWN = Uuid.randomUuid();
    private static final Map<Uuid, Integer> PARTITIONS = Map.of(JOBS, 4, OTHER, 2);

    private final AllPartitionsShareAssignor assignor = new AllPartitionsShareAssignor();

    @Test
    void everyMemberGetsEveryPartitionOfItsTopicsWhateverTheirNumber() {
        // More partitions than members: Kafka's simple assignor would give each partition to one.
        GroupAssignment a = assign(Map.of("lane-1", Set.of(JOBS), "lane-2", Set.of(JOBS)), (t, p) -> true);

        assertEquals(Map.of(JOBS, Set.of(0, 1, 2, 3)), a.members().get("lane-1").partitions());
        assertEquals(Map.of(JOBS, Set.of(0, 1, 2, 3)), a.members().get("lane-2").partitions());
    }

    @Test
    void aMemberGetsOnlyTheTopicsItSubscribesTo() {
        GroupAssignment a = assign(Map.of("a", Set.of(JOBS, OTHER), "b", Set.of(OTHER)), (t, p) -> true);

        assertEquals(Map.of(JOBS, Set.of(0, 1, 2, 3), OTHER, Set.of(0, 1)), a.members().get("a").partitions());
        assertEquals(Map.of(OTHER, Set.of(0, 1)), a.members().get("b").partitions());
    }

    @Test
    void aPartitionTheCoordinatorDoesNotYetLetBeAssignedIsLeftOutAndAnUnknownTopicGivesNothing() {
        GroupAssignment a = assign(Map.of("a", Set.of(JOBS, UNKNOWN)), (t, p) -> !(t.equals(JOBS) && p == 2));

        assertEquals(Map.of(JOBS, Set.of(0, 1, 3)), a.members().get("a").partitions());
    }

    @Test
    void anEmptyGroupGetsAnEmptyAssignment() {
        assertEquals(Map.of(), assign(Map.of(), (t, p) -> true).members());
    }

    @Test
    void itIsNamedForTheBrokersLogs() {
        assertEquals("sandq-all-partitions", assignor.name());
    }

    private GroupAssignment assign(Map<String, Set<Uuid>> subscriptions, BiPredicate<Uuid, Integer> assignable) {
        GroupSpec group = new GroupSpec() {
            @Override
            public Collection<String> memberIds() {
                return List.copyOf(subscriptions.keySet());
            }

            @Override
            public SubscriptionType subscriptionType() {
                return Set.copyOf(subscriptions.values()).size() <= 1 ? SubscriptionType.HOMOGENEOUS
                        : SubscriptionType.HETEROGENEOUS;
            }

            @Override
            public boolean isPartitionAssigned(Uuid topic, int partition) {
                return false;
            }

            @Override
            public boolean isPartitionAssignable(Uuid topic, int partition) {
                return assignable.test(topic, partition);
            }

            @Override
            public MemberSubscription memberSubscription(String member) {
                return new MemberSubscription() {
                    @Override
                    public Optional<String> rackId() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> instanceId() {
                        return Optional.empty();
                    }

                    @Override
                    public Set<Uuid> subscribedTopicIds() {
                        return subscriptions.get(member);
                    }
                };
            }

            @Override
            public MemberAssignment memberAssignment(String member) {
                return Map::of;
            }
        };
        SubscribedTopicDescriber topics = new SubscribedTopicDescriber() {
            @Override
            public int numPartitions(Uuid topic) {
                return PARTITIONS.getOrDefault(topic, -1);
            }

            @Override
            public Set<String> racksForPartition(Uuid topic, int partition) {
                return Set.of();
            }
        };
        return assignor.assign(group, topics);
    }
}
