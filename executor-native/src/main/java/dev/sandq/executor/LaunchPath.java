package dev.sandq.executor;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a job's sandbox and interpreter come to be. All three give a job the same guarantees: a
 * fresh root, its own namespaces, cgroup, uid, limits and seccomp filter; they differ in what is
 * done before the job arrives and what each job costs the host.
 */
public enum LaunchPath {
    /** Sandbox and interpreter are made when the job arrives: the launcher execs the interpreter. */
    FRESH("fresh"),
    /** Sandbox and interpreter are made before the job arrives; the interpreter waits for its code. */
    PRESTARTED("prestarted"),
    /** As prestarted, but the interpreter is forked from a warm one that has started up once (Python). */
    ZYGOTE("zygote");

    private final String wireName;

    LaunchPath(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static LaunchPath fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a launch path is fresh, prestarted or zygote, got '"
                        + name + "'"));
    }
}
