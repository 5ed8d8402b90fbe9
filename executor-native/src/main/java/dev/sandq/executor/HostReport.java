package dev.sandq.executor;

import java.util.List;

/**
 * What this host allows, for `sandq doctor` ({@code LocalSandbox.probeHost} finds out).
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

    /** The failed checks, as one sentence for an error message. */
    public String missing() {
        return checks.stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail())
                .reduce((a, b) -> a + "; " + b).orElse("nothing");
    }
}
