package dev.sandq.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BatchRun with a sender that answers in another thread: the window and the lazy input, without Kafka. */
@Fast
class BatchRunTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** A lazy input of n jobs that counts how many were taken from it. */
    private static final class CountingInput implements BatchInput {
        final AtomicLong taken = new AtomicLong();
        private final int n;

        CountingInput(int n) {
            this.n = n;
        }

        @Override
        public long count() {
            return n;
        }

        @Override
        public Stream<BatchItem> items() {
            return Stream.iterate(1, i -> i <= n, i -> i + 1).map(i -> {
                taken.incrementAndGet();
                String id = String.valueOf(i);
                return new BatchItem.JobItem(id, "line " + i,
                        ("{\"id\":\"" + id + "\",\"language\":\"python3\",\"code\":\"pass\"}").getBytes(StandardCharsets.UTF_8));
            });
        }
    }

    @Test
    void aHundredThousandJobsNeverHaveMoreThanTheWindowInFlightNorAreReadAhead() throws Exception {
        int jobs = 100_000;
        int window = 16;
        CountingInput input = new CountingInput(jobs);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicLong mostReadAhead = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        ExecutorService worker = Executors.newFixedThreadPool(2);
        BatchRun.Sender sender = (doc, timeout) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            mostReadAhead.accumulateAndGet(input.taken.get() - sent.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    String id = MAPPER.readTree(doc).path("id").asText();
                    inFlight.decrementAndGet();
                    return ("{\"id\":\"" + id + "\",\"status\":\"ok\"}").getBytes(StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, worker);
        };
        Path out = dir.resolve("results.jsonl");
        Tally tally = new Tally();
        try (ResultsFile results = ResultsFile.open(out, false)) {
            new BatchRun(sender, results, Set.of(), window, Duration.ofMinutes(1), tally, p -> { }).run(input);
        } finally {
            worker.shutdown();
        }
        assertEquals(jobs, tally.snapshot().answered());
        assertTrue(mostInFlight.get() <= window, "in flight at most the window, saw " + mostInFlight.get());
        assertEquals(0, mostReadAhead.get(), "the input is read one job at a time, as it is sent");
        try (Stream<String> lines = Files.lines(out)) {
            assertEquals(jobs, lines.count());
        }
    }

    @Test
    void aJobAnsweredBeforeIsSkippedAndAFailedOneIsListedWithItsReason() throws Exception {
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<String> sentIds = new ArrayList<>();
        BatchRun.Sender sender = (doc, timeout) -> {
            String id;
            try {
                id = MAPPER.readTree(doc).path("id").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            sentIds.add(id);
            return id.equals("3") ? CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException())
                    : CompletableFuture.completedFuture(("{\"status\":\"error\"}").getBytes(StandardCharsets.UTF_8));
        };
        Tally tally = new Tally();
        Path out = dir.resolve("results.jsonl");
        try (ResultsFile results = ResultsFile.open(out, false)) {
            new BatchRun(sender, results, Set.of("2"), 4, Duration.ofSeconds(5), tally, problems::add)
                    .run(new CountingInput(4));
        }
        assertEquals(List.of("1", "3", "4"), sentIds);
        assertEquals(1, tally.snapshot().skipped());
        assertEquals(List.of(new Tally.Problem("3", "line 3", "no reply within 5s")), tally.unansweredJobs());
        assertEquals(List.of("sandq batch: 3 (line 3): no reply within 5s"), List.copyOf(problems));
        // a reply without the job's id gets it, so that --resume finds it
        assertEquals(Set.of("1", "4"), ResultsFile.answeredIds(out).ids());
    }
}
