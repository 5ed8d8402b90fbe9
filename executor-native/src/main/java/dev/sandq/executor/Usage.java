package dev.sandq.executor;

/** What a job consumed. */
public record Usage(long wallTimeMs, long cpuTimeMs, long maxRssKb) {
    public static final Usage NONE = new Usage(0, 0, 0);
}
