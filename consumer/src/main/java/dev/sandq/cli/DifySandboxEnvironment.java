package dev.sandq.cli;

import dev.sandq.executor.Language;
import dev.sandq.executor.seccomp.SeccompPolicies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DifySandbox's environment variables, as Dify's docker-compose sets them for its {@code sandbox}
 * service, read as the sandq options that mean the same thing, so that Dify's {@code .env} carries
 * over (docs/operating.md, "The Dify gateway"). A {@code SANDQ_*} variable or a flag always wins;
 * a DifySandbox variable only fills in what neither gives.
 *
 * <table>
 *   <tr><th>DifySandbox</th><th>sandq</th></tr>
 *   <tr><td>API_KEY</td><td>gateway --api-key</td></tr>
 *   <tr><td>SANDBOX_PORT</td><td>gateway --listen 0.0.0.0:PORT</td></tr>
 *   <tr><td>WORKER_TIMEOUT (s)</td><td>gateway --wall-time-ms (0: DifySandbox's 5 s)</td></tr>
 *   <tr><td>MAX_REQUESTS</td><td>gateway --max-requests</td></tr>
 *   <tr><td>ENABLE_NETWORK</td><td>gateway --network-requests forward|refuse; worker --[no-]allow-network</td></tr>
 *   <tr><td>ENABLE_PRELOAD</td><td>gateway --[no-]enable-preload</td></tr>
 *   <tr><td>ALLOWED_SYSCALLS (numbers)</td><td>--extra-syscall, appended to the default list (never replacing
 *       it); calls sandq never allows are left out, with a note</td></tr>
 *   <tr><td>HTTPS_PROXY, else HTTP_PROXY (with ENABLE_NETWORK true)</td><td>--egress-proxy</td></tr>
 *   <tr><td>CODE_EXECUTION_READ_TIMEOUT (Dify's api, s)</td><td>gateway --client-read-timeout</td></tr>
 * </table>
 *
 * MAX_WORKERS and SOCKS5_PROXY have no sandq equivalent: they are reported in {@link #notes()}.
 */
final class DifySandboxEnvironment {
    private final Map<String, String> equivalents = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private DifySandboxEnvironment(Map<String, String> env) {
        copy(env, "API_KEY", "SANDQ_API_KEY", v -> v);
        copy(env, "SANDBOX_PORT", "SANDQ_LISTEN", v -> "0.0.0.0:" + v.strip());
        copy(env, "WORKER_TIMEOUT", "SANDQ_WALL_TIME_MS", DifySandboxEnvironment::secondsToMs);
        copy(env, "MAX_REQUESTS", "SANDQ_MAX_REQUESTS", String::strip);
        copy(env, "CODE_EXECUTION_READ_TIMEOUT", "SANDQ_CLIENT_READ_TIMEOUT", DifySandboxEnvironment::secondsToDuration);
        Optional<Boolean> network = bool(env, "ENABLE_NETWORK");
        network.ifPresent(on -> {
            put(env, "ENABLE_NETWORK", "SANDQ_NETWORK_REQUESTS", on ? "forward" : "refuse");
            put(env, "ENABLE_NETWORK", "SANDQ_ALLOW_NETWORK", on.toString());
        });
        bool(env, "ENABLE_PRELOAD").ifPresent(on -> put(env, "ENABLE_PRELOAD", "SANDQ_ENABLE_PRELOAD", on.toString()));
        if (present(env, "MAX_WORKERS")) {
            notes.add("MAX_WORKERS=" + env.get("MAX_WORKERS") + " is not used: how many jobs run at once is each "
                    + "worker's --slots (one per core by default), and workers scale out in their consumer group");
        }
        if (present(env, "SOCKS5_PROXY")) {
            notes.add("SOCKS5_PROXY is not used: the egress proxy goes out through an HTTP proxy (--egress-proxy)");
        }
        proxy(env, network.orElse(false));
        syscalls(env);
    }

    /** What {@code env}'s DifySandbox variables stand for. */
    static DifySandboxEnvironment of(Map<String, String> env) {
        return new DifySandboxEnvironment(env);
    }

    /** The SANDQ_* variables these stand for, where {@code env} does not set them itself. */
    Map<String, String> equivalents() {
        return Map.copyOf(equivalents);
    }

    /** {@code env} with {@link #equivalents()} added. */
    static Map<String, String> withEquivalents(Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(of(env).equivalents);
        return all;
    }

    /** One line per variable taken or left out, for the start-up log. */
    List<String> notes() {
        return List.copyOf(notes);
    }

    private void proxy(Map<String, String> env, boolean networkOn) {
        String https = env.getOrDefault("HTTPS_PROXY", "").strip();
        String http = env.getOrDefault("HTTP_PROXY", "").strip();
        String chosen = !https.isEmpty() ? https : http;
        if (chosen.isEmpty()) {
            return;
        }
        if (!networkOn) {
            notes.add("HTTP_PROXY/HTTPS_PROXY are not used as the egress proxy's upstream: DifySandbox reads them "
                    + "only with ENABLE_NETWORK=true");
            return;
        }
        if (!https.isEmpty() && !http.isEmpty() && !https.equals(http)) {
            notes.add("HTTP_PROXY and HTTPS_PROXY differ: the egress proxy has one upstream for both, HTTPS_PROXY");
        }
        put(env, !https.isEmpty() ? "HTTPS_PROXY" : "HTTP_PROXY", "SANDQ_EGRESS_PROXY",
                chosen.endsWith("/") ? chosen.substring(0, chosen.length() - 1) : chosen);
    }

    /**
     * DifySandbox's ALLOWED_SYSCALLS replaces its whole allowlist with these numbers; sandq only
     * ever adds to its own (--extra-syscall), and leaves out what a sandq job may never call or
     * what its policy filters by argument (with a note naming each).
     */
    private void syscalls(Map<String, String> env) {
        if (!present(env, "ALLOWED_SYSCALLS")) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String raw : env.get("ALLOWED_SYSCALLS").split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            Optional<String> name;
            try {
                name = entry.matches("[0-9]+") ? SeccompPolicies.syscallName(Integer.parseInt(entry))
                        : Optional.of(entry.toLowerCase(Locale.ROOT));
            } catch (NumberFormatException | LinkageError e) {
                name = Optional.empty();
            }
            if (name.isEmpty()) {
                left.add(entry + " (no such syscall on x86_64)");
                continue;
            }
            try {
                for (Language language : Language.values()) {
                    SeccompPolicies.load(language, false, List.of(name.get()));
                    SeccompPolicies.load(language, true, List.of(name.get()));
                }
                if (!names.contains(name.get())) {
                    names.add(name.get());
                }
            } catch (IllegalArgumentException | LinkageError e) {
                left.add(entry + " (" + name.get() + ": " + e.getMessage().replaceFirst("^[^:]*: ", "") + ")");
            }
        }
        if (!names.isEmpty()) {
            String given = env.getOrDefault("SANDQ_EXTRA_SYSCALL", "").strip();
            equivalents.put("SANDQ_EXTRA_SYSCALL", given.isEmpty() ? String.join(",", names)
                    : given + "," + String.join(",", names));
            notes.add("ALLOWED_SYSCALLS adds " + String.join(", ", names) + " to the default allowlists "
                    + "(it never replaces them)");
        }
        if (!left.isEmpty()) {
            notes.add("ALLOWED_SYSCALLS: left out " + String.join("; ", left));
        }
    }

    private void copy(Map<String, String> env, String dify, String sandq, java.util.function.UnaryOperator<String> how) {
        if (present(env, dify)) {
            put(env, dify, sandq, how.apply(env.get(dify)));
        }
    }

    private void put(Map<String, String> env, String dify, String sandq, String value) {
        if (present(env, sandq)) {
            notes.add(dify + " is not used: " + sandq + " is set");
            return;
        }
        equivalents.put(sandq, value);
        notes.add(dify + " is taken as " + sandq + "=" + (sandq.equals("SANDQ_API_KEY") ? "(the key)" : value));
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** Go's strconv.ParseBool, as DifySandbox reads its flags; empty when unset or not a boolean. */
    private Optional<Boolean> bool(Map<String, String> env, String name) {
        if (!present(env, name)) {
            return Optional.empty();
        }
        String v = env.get(name).strip();
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
            default -> {
                notes.add(name + "=" + v + " is not used: not a boolean (true, false, 1, 0, ...)");
                yield Optional.empty();
            }
        };
    }

    /** Whole seconds to milliseconds; 0 is DifySandbox's fallback of 5 s; anything else is passed on to fail there. */
    private static String secondsToMs(String seconds) {
        String s = seconds.strip();
        if (s.matches("[0-9]{1,9}")) {
            long v = Long.parseLong(s);
            return String.valueOf(v == 0 ? 5_000 : v * 1_000);
        }
        return s;
    }

    /** Seconds (Dify's float settings) as an ISO-8601 duration; anything else is passed on to fail there. */
    private static String secondsToDuration(String seconds) {
        String s = seconds.strip();
        return s.matches("[0-9]{1,9}(\\.[0-9]{1,9})?") ? "PT" + s + "S" : s;
    }
}
