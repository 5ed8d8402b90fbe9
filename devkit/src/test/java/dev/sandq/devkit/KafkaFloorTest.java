package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.testing.Slow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `sandq bench-kafka`: both kinds of group against a real broker, and the summary it prints. */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaFloorTest {

    @TempDir
    Path tmp;

    @Test
    void eachKindTakesEveryRecordItProducedMeasuresTheBrokerAndLeavesNoTopicOrGroupBehind() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"), 0)) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            // The broker runs in this JVM: its process is this one.
            KafkaFloor floor = new KafkaFloor(client, OptionalLong.of(ProcessHandle.current().pid()), 2,
                    CpuAccounting.msPerTick());
            for (KafkaFloor.Kind kind : KafkaFloor.Kind.values()) {
                KafkaFloor.Round round = floor.run(kind, 5, 30);
                assertEquals(kind, round.kind());
                assertEquals(30, round.records());
                assertTrue(round.seconds() > 0 && round.brokerMs().isPresent() && round.brokerMs().getAsDouble() >= 0
                        && round.clientsMs() > 0, round::toString);
            }
            try (Admin admin = Admin.create(client)) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertTrue(topics.stream().noneMatch(t -> t.startsWith("bench-kafka-")), topics::toString);
                List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                        .map(GroupListing::groupId).toList();
                assertTrue(groups.stream().noneMatch(g -> g.startsWith("bench-kafka-")), groups::toString);
            }
        }
    }

    @Test
    void theSummaryGivesTheShareGroupsExtraOverTheConsumerGroupsMeans() {
        List<KafkaFloor.Round> rounds = List.of(
                new KafkaFloor.Round(KafkaFloor.Kind.GROUP, 100, 1, OptionalDouble.of(0.7), 0.5, 2.0),
                new KafkaFloor.Round(KafkaFloor.Kind.SHARE, 100, 1, OptionalDouble.of(1.3), 0.6, 2.8),
                new KafkaFloor.Round(KafkaFloor.Kind.SHARE, 100, 1, OptionalDouble.of(1.5), 0.6, 3.0),
                new KafkaFloor.Round(KafkaFloor.Kind.GROUP, 100, 1, OptionalDouble.of(0.7), 0.5, 2.2));
        assertEquals("share group against consumer group, per record: machine +0.800 ms (2.900 against 2.100); "
                + "broker +0.700 ms (1.400 against 0.700, x2.00)", KafkaFloorCommand.summary(rounds));
        assertTrue(KafkaFloorCommand.line(rounds.get(1)).startsWith("share group        100 records"),
                KafkaFloorCommand.line(rounds.get(1)));
    }
}
