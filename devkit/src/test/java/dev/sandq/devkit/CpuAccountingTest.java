package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.devkit.CpuAccounting.Sample;
import dev.sandq.devkit.CpuAccounting.Split;
import dev.sandq.devkit.CpuAccounting.TaskStat;
import dev.sandq.devkit.CpuAccounting.ThreadOwner;
import dev.sandq.devkit.CpuAccounting.WorkerSample;
import dev.sandq.testing.Fast;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The CPU split of `sandq bench`: /proc parsing, the thread rule and the arithmetic, without a machine. */
@Fast
class CpuAccountingTest {
    private static final double TICK_MS = 10;

    private static TaskStat stat(long pid, String comm, long utime, long stime, long cutime, long cstime) {
        return new TaskStat(pid, comm, 1, utime, stime, cutime, cstime);
    }

    private static Sample before() {
        return new Sample(1_000, 0, Optional.of(new WorkerSample(stat(7, "java", 80, 20, 10, 5), Map.of(
                1L, stat(1, "java", 10, 0, 0, 0),
                2L, stat(2, "data-plane-kafk", 15, 5, 0, 0),
                3L, stat(3, "GC Thread#0", 5, 0, 0, 0)), 50)), OptionalLong.empty());
    }

    private static Sample after(OptionalLong brokerProcess) {
        return new Sample(1_300, 100_000_000L, Optional.of(new WorkerSample(stat(7, "java", 140, 30, 30, 10), Map.of(
                1L, stat(1, "java", 25, 0, 0, 0),
                2L, stat(2, "data-plane-kafk", 30, 10, 0, 0),
                3L, stat(3, "GC Thread#0", 8, 0, 0, 0),
                4L, stat(4, "sandq-slot-0", 7, 0, 0, 0)), 60)), brokerProcess);
    }

    /**
     * 300 busy ticks (3,000 ms) less the bench's 100 ms; the JVM 70 ticks, of which the broker's
     * threads 20 and the runtime's 3; its children 35 ticks, of which the jobs' 100 ms: over 10 jobs.
     */
    @Test
    void theComponentsOfAnEmbeddedBrokerRunAddUpToTheMachine() {
        Split s = CpuAccounting.split(before(), after(OptionalLong.empty()), 100, 10, TICK_MS, true);
        assertAll(
                () -> assertEquals(290.0, s.machine(), 1e-9),
                () -> assertEquals(20.0, s.broker().getAsDouble(), 1e-9),
                () -> assertEquals(50.0, s.worker().getAsDouble(), 1e-9),
                () -> assertEquals(3.0, s.runtime().getAsDouble(), 1e-9),
                () -> assertEquals(25.0, s.launchers().getAsDouble(), 1e-9),
                () -> assertEquals(10.0, s.job(), 1e-9),
                () -> assertEquals(185.0, s.other(), 1e-9),
                () -> assertEquals(s.machine(), s.broker().getAsDouble() + s.worker().getAsDouble()
                        + s.launchers().getAsDouble() + s.job() + s.other(), 1e-9, "the parts add up"));
    }

    /** A broker in a process of its own is that process; the worker's JVM is all the worker's. */
    @Test
    void aSeparateBrokerProcessIsItsOwnComponent() {
        Sample b = new Sample(before().busyTicks(), 0, before().worker(), OptionalLong.of(100));
        Split s = CpuAccounting.split(b, after(OptionalLong.of(150)), 100, 10, TICK_MS, false);
        assertAll(
                () -> assertEquals(50.0, s.broker().getAsDouble(), 1e-9),
                () -> assertEquals(70.0, s.worker().getAsDouble(), 1e-9),
                () -> assertEquals(135.0, s.other(), 1e-9));
    }

    @Test
    void withoutTheWorkerOnlyTheMachineAndTheJobsAreKnown() {
        Sample b = new Sample(1_000, 0, Optional.empty(), OptionalLong.empty());
        Sample a = new Sample(1_300, 100_000_000L, Optional.empty(), OptionalLong.empty());
        Split s = CpuAccounting.split(b, a, 100, 10, TICK_MS, false);
        assertAll(
                () -> assertTrue(s.broker().isEmpty() && s.worker().isEmpty() && s.launchers().isEmpty()),
                () -> assertEquals(10.0, s.job(), 1e-9),
                () -> assertEquals(280.0, s.other(), 1e-9));
    }

    @Test
    void threadsAreTheBrokersUnlessTheyAreTheWorkersOrTheJvms() {
        assertAll(
                () -> assertEquals(ThreadOwner.WORKER, CpuAccounting.owner("sandq-slot-1")),
                () -> assertEquals(ThreadOwner.WORKER, CpuAccounting.owner("kafka-producer-")),
                () -> assertEquals(ThreadOwner.WORKER, CpuAccounting.owner("kafka-coordinat")),
                () -> assertEquals(ThreadOwner.WORKER, CpuAccounting.owner("java")),
                () -> assertEquals(ThreadOwner.WORKER, CpuAccounting.owner("process reaper")),
                () -> assertEquals(ThreadOwner.RUNTIME, CpuAccounting.owner("C2 CompilerThre")),
                () -> assertEquals(ThreadOwner.RUNTIME, CpuAccounting.owner("G1 Refine#0")),
                () -> assertEquals(ThreadOwner.BROKER, CpuAccounting.owner("data-plane-kafk")),
                () -> assertEquals(ThreadOwner.BROKER, CpuAccounting.owner("kafka-scheduler")),
                () -> assertEquals(ThreadOwner.BROKER, CpuAccounting.owner("kafka-1-raft-io")),
                () -> assertEquals(ThreadOwner.BROKER, CpuAccounting.owner("group-coordinat")));
    }

    /** Lines of /proc/PID/task/TID/stat of a `sandq up` JVM, and one whose name has spaces and parentheses. */
    @Test
    void statLinesAreParsedPastTheirName() {
        List<TaskStat> stats = BenchFixtures.read("task-stats.txt").lines().map(TaskStat::parse).toList();
        assertEquals(new TaskStat(10913, "C1 CompilerThre", 1, 105, 15, 121, 70), stats.get(0));
        assertEquals(ThreadOwner.BROKER, CpuAccounting.owner(stats.get(2).comm()));
        assertEquals(new TaskStat(4242, "a (tricky) name", 10896, 37, 12, 3, 4), stats.get(3));
        assertEquals(56, stats.get(3).withChildren());
        assertThrows(IllegalArgumentException.class, () -> TaskStat.parse("no name here"));
    }

    @Test
    void theMachinesBusyTimeLeavesOutIdleAndIowait() {
        String procStat = "cpu  365404 9789 96309 421956 1062 7 956 262 0 0\ncpu0 182107 4868 47072 213217 225 0 286 129 0 0\n";
        assertEquals(365404 + 9789 + 96309 + 7 + 956 + 262, CpuAccounting.busyTicks(procStat));
        assertThrows(IllegalArgumentException.class, () -> CpuAccounting.busyTicks("intr 1 2 3\n"));
    }

    /** The rounds of an interleaved bench: each figure per job over all of them, weighted by their jobs. */
    @Test
    void spansCombineWeightedByTheirJobs() {
        Split first = new Split(10, 12.0, OptionalDouble.of(2.0), OptionalDouble.of(3.0), OptionalDouble.of(0.5),
                OptionalDouble.of(5.0), 1.0, 1.0);
        Split second = new Split(30, 16.0, OptionalDouble.of(4.0), OptionalDouble.empty(), OptionalDouble.of(1.5),
                OptionalDouble.of(7.0), 2.0, 3.0);
        Split s = CpuAccounting.combine(List.of(first, second));
        assertAll(
                () -> assertEquals(40, s.jobs()),
                () -> assertEquals(15.0, s.machine(), 1e-9),
                () -> assertEquals(3.5, s.broker().getAsDouble(), 1e-9),
                () -> assertTrue(s.worker().isEmpty(), "one span did not measure it"),
                () -> assertEquals(1.25, s.runtime().getAsDouble(), 1e-9),
                () -> assertEquals(6.5, s.launchers().getAsDouble(), 1e-9),
                () -> assertEquals(1.75, s.job(), 1e-9),
                () -> assertEquals(2.5, s.other(), 1e-9));
    }
}
