package dev.sandq.executor.internal.launch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.SandboxTimeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** The launcher's one JSON status line (executor-native/LAUNCHER.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LauncherStatus(
        @JsonProperty("exit_code") int exitCode,
        @JsonProperty("signal") int signal,
        @JsonProperty("limit") String limit,
        @JsonProperty("cpu_ms") long cpuMs,
        @JsonProperty("wall_ms") long wallMs,
        @JsonProperty("max_rss_kb") long maxRssKb,
        @JsonProperty("cgroup") String cgroup,
        @JsonProperty("started") Boolean started,
        @JsonProperty("ready_ns") Long readyNs,
        @JsonProperty("started_ns") Long startedNs,
        @JsonProperty("exited_ns") Long exitedNs,
        @JsonProperty("setup_error") String setupError) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status file's first line, once the launcher has written all of it. */
    public static Optional<String> line(Path statusFile) throws IOException {
        String content;
        try {
            content = Files.readString(statusFile);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int end = content.indexOf('\n');
        return end < 0 ? Optional.empty() : Optional.of(content.substring(0, end));
    }

    public static LauncherStatus parse(String line) throws IOException {
        return JSON.readValue(line, LauncherStatus.class);
    }

    /** False only for a prestarted sandbox that ended before its job started: the job never ran. */
    public boolean jobStarted() {
        return started == null || started;
    }

    public boolean exited() {
        return exitCode >= 0 && signal == 0;
    }

    /**
     * The sandbox's part of the job's timeline: the launcher's instants (its clock is
     * System.nanoTime()'s), with the job handed over at {@code handedOver} and its result read at
     * {@code resultRead}. The sandbox is ready at the later of the launcher's ready_ns and the hand-
     * over: a prestarted sandbox was ready long before its job came. After a setup failure only the
     * result's reading is known; a prestarted job that never started has no start.
     */
    public SandboxTimeline timeline(long handedOver, long resultRead) {
        if (setupError != null) {
            return new SandboxTimeline(0, 0, 0, 0, resultRead);
        }
        long ready = readyNs == null ? 0 : Math.max(readyNs, handedOver);
        long start = startedNs == null || !jobStarted() ? 0 : startedNs;
        return new SandboxTimeline(0, ready, start, exitedNs == null ? 0 : exitedNs, resultRead);
    }
}
