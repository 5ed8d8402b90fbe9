package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which reply topics exist and how many partitions they have, from the Admin API, cached (a
 * topic that exists for a minute, one that does not for five seconds). Thread-safe.
 */
class TopicDirectory {
    private static final Duration KNOWN_FOR = Duration.ofMinutes(1);
    private static final Duration MISSING_FOR = Duration.ofSeconds(5);

    private record Entry(OptionalInt partitions, Instant until) {
    }

    private final Admin admin;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    TopicDirectory(Admin admin, Clock clock) {
        this.admin = admin;
        this.clock = clock;
    }

    /**
     * Partition count of {@code topic}, or empty when it does not exist. When the cluster cannot
     * be asked, the topic is assumed to exist (the producer then retries against it).
     */
    OptionalInt partitions(String topic) throws InterruptedException {
        Instant now = clock.instant();
        Entry e = cache.get(topic);
        if (e != null && e.until().isAfter(now)) {
            return e.partitions();
        }
        try {
            int n = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            cache.put(topic, new Entry(OptionalInt.of(n), now.plus(KNOWN_FOR)));
            return OptionalInt.of(n);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                cache.put(topic, new Entry(OptionalInt.empty(), now.plus(MISSING_FOR)));
                return OptionalInt.empty();
            }
            return OptionalInt.of(Integer.MAX_VALUE);
        } catch (TimeoutException ex) {
            return OptionalInt.of(Integer.MAX_VALUE);
        }
    }
}
