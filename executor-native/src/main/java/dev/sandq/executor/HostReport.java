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

    /** Probes the host for the given configuration. */
    public static HostReport probe(SandboxConfig config) {
        throw new UnsupportedOperationException("HostReport.probe is not written yet");
    }
}
