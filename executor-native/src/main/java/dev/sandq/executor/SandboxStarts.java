package dev.sandq.executor;

/**
 * How the jobs run so far got their sandboxes: counts since the sandbox was opened.
 *
 * @param prestarted jobs that found a sandbox prestarted for them ({@link SandboxConfig#prestart()})
 * @param built      jobs whose sandbox was built when they arrived
 */
public record SandboxStarts(long prestarted, long built) {
    public static final SandboxStarts NONE = new SandboxStarts(0, 0);
}
