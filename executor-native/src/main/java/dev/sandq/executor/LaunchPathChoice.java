package dev.sandq.executor;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The launch path a language's jobs take on this worker, and why.
 *
 * @param path       the path taken
 * @param pinned     whether the operator chose it (else it is the cheapest measured)
 * @param cpuPerJob  what one trivial job cost the host's CPU by each path measured when the sandbox
 *                   started (launcher, zygote, interpreter and job together); empty when pinned or
 *                   when only one path was allowed
 */
public record LaunchPathChoice(LaunchPath path, boolean pinned, Map<LaunchPath, Duration> cpuPerJob) {

    public LaunchPathChoice {
        cpuPerJob = Map.copyOf(cpuPerJob);
    }

    /** One line for the log: the path, and the figures it was chosen by. */
    public String describe() {
        if (pinned) {
            return path.wireName() + " (pinned)";
        }
        if (cpuPerJob.isEmpty()) {
            return path.wireName() + " (the only one allowed)";
        }
        StringBuilder s = new StringBuilder(path.wireName()).append(" (CPU per trivial job:");
        for (LaunchPath p : LaunchPath.values()) {
            Duration d = cpuPerJob.get(p);
            if (d != null) {
                s.append(' ').append(p.wireName()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6)).append(',');
            }
        }
        s.setLength(s.length() - 1);
        return s.append(')').toString();
    }
}
