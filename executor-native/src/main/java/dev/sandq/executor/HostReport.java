package dev.sandq.executor;

import java.util.List;

/**
 * What this host allows, for `sandq doctor`. (Being written: the signature is the contract.)
 *
 * @param checks        one line per capability: name, ok or not, detail
 * @param effectiveMode the privilege mode jobs will use, or null when none works
 */
public record HostReport(List<Check> checks, PrivilegeMode effectiveMode) {

    public record Check(String name, boolean ok, String detail) {
    }

    public boolean canIsolate() {
        return effectiveMode != null;
    }

    public HostReport {
        checks = List.copyOf(checks);
    }

    /** Probes the host for the given configuration. */
    public static HostReport probe(SandboxConfig config) {
        return new dev.sandq.executor.internal.HostProbe().probe(config);
    }

    /** One line per check, "ok" or "MISSING", for people. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (Check c : checks) {
            out.append(String.format("%-18s %-8s %s%n", c.name(), c.ok() ? "ok" : "MISSING", c.detail()));
        }
        out.append(canIsolate() ? "jobs will run in privilege mode " + effectiveMode.name().toLowerCase()
                : "this host cannot isolate jobs: sandq will refuse to run them").append(System.lineSeparator());
        return out.toString();
    }

    /** The failed checks, as one sentence for an error message. */
    public String missing() {
        return checks.stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail())
                .reduce((a, b) -> a + "; " + b).orElse("nothing");
    }
}
