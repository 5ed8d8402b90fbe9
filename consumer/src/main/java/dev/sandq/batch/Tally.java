package dev.sandq.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What became of a batch's entries so far; updated from any thread. */
public final class Tally {
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final List<Problem> unanswered = new ArrayList<>();
    private final List<Problem> invalid = new ArrayList<>();

    /** An entry that got no result: its id (null for an invalid entry), where it is, and why. */
    public record Problem(String id, String where, String reason) {
    }

    /** Counts as they are at one instant. */
    public record Snapshot(long answered, long unanswered, long invalid, long skipped, SortedMap<String, Long> byStatus) {
        /** Entries dealt with in this run. */
        public long doneThisRun() {
            return answered + unanswered + invalid;
        }
    }

    public void answered(String status) {
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        answered.incrementAndGet();
    }

    /** An entry answered in an earlier run ({@code --resume}): not sent again. */
    public void skipped() {
        skipped.incrementAndGet();
    }

    public synchronized void unanswered(String id, String where, String reason) {
        unanswered.add(new Problem(id, where, reason));
    }

    public synchronized void invalid(String where, String reason) {
        invalid.add(new Problem(null, where, reason));
    }

    public synchronized List<Problem> unansweredJobs() {
        return List.copyOf(unanswered);
    }

    public synchronized List<Problem> invalidEntries() {
        return List.copyOf(invalid);
    }

    public Snapshot snapshot() {
        SortedMap<String, Long> counts = new TreeMap<>();
        byStatus.forEach((s, n) -> counts.put(s, n.sum()));
        synchronized (this) {
            return new Snapshot(answered.get(), unanswered.size(), invalid.size(), skipped.get(), counts);
        }
    }
}
