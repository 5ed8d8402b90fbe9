package dev.sandq.executor.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CPU a process has used, with what its waited-for children used (utime, stime, cutime and
 * cstime of /proc/PID/stat, in the kernel's USER_HZ ticks of 10 ms).
 */
final class ProcessCpu {
    /** USER_HZ: what /proc reports times in, 100 on every Linux architecture sandq runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** This process and its waited-for children, or zero when {@code pid} is gone. */
    static Duration withChildren(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException gone) {
            return Duration.ZERO;
        } catch (IOException e) {
            throw new IllegalStateException("reading /proc/" + pid + "/stat", e);
        }
        // The fields after the command name, which is in parentheses and may hold anything.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    }
}
