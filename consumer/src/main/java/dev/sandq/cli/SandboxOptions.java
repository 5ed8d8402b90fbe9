package dev.sandq.cli;

import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.egress.Cidr;
import dev.sandq.executor.egress.EgressPolicy;
import dev.sandq.executor.egress.UpstreamProxy;
import dev.sandq.modes.JobProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The sandbox flags shared by the commands that build a sandbox (exec, doctor, the worker). */
public final class SandboxOptions {

    private static final Pattern SYSCALL_NAME = Pattern.compile("[a-z0-9_]{1,64}");

    @Option(names = "--slots", paramLabel = "N",
            description = "Jobs at once (default: one per core).")
    Integer slots;

    @Option(names = "--privilege-mode", paramLabel = "MODE", converter = PrivilegeModeConverter.class,
            description = "auto (default: root when root, else user namespaces), root or userns.")
    PrivilegeMode privilegeMode;

    @Option(names = "--launcher", paramLabel = "PATH",
            description = "The launcher binary (default: the one packaged in sandq).")
    Path launcher;

    @Option(names = "--python", paramLabel = "PATH",
            description = "The python3 interpreter (default: /usr/bin/python3).")
    Path python;

    @Option(names = "--node", paramLabel = "PATH",
            description = "The Node.js interpreter (default: /usr/bin/node).")
    Path node;

    @Option(names = "--extra-syscall", paramLabel = "[LANG:]NAME", split = ",",
            description = "Adds a syscall to a language's seccomp allowlist (both languages without LANG:). "
                    + "Repeatable; never replaces the default list.")
    List<String> extraSyscalls = new ArrayList<>();

    @Option(names = "--cgroup", paramLabel = "MODE",
            description = "auto (default), v1, v2 or none.")
    String cgroup;

    @Option(names = "--allow-network", negatable = true, fallbackValue = "true",
            description = "Lets jobs with enable_network run; they go out only through this worker's egress "
                    + "proxy, which refuses private, loopback, link-local, metadata and this host's addresses "
                    + "(default: such jobs are rejected; `sandq up`: allowed, --no-allow-network rejects them).")
    Boolean allowNetwork;

    /** Whether jobs with the network are allowed when --allow-network is not given (`sandq up`: yes). */
    private boolean networkByDefault;

    @Option(names = "--egress-deny", paramLabel = "CIDR", split = ",",
            description = "Adds an address range jobs may not reach, beside the defaults (10.0.0.0/8, "
                    + "172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7). Repeatable. Loopback, "
                    + "link-local, metadata and this host's own addresses are always refused.")
    List<String> egressDeny = new ArrayList<>();

    @Option(names = "--egress-allow", paramLabel = "CIDR", split = ",",
            description = "An exception to the denied ranges (e.g. 10.1.2.3/32 for one internal host). "
                    + "Repeatable. Cannot open loopback, link-local or metadata addresses.")
    List<String> egressAllow = new ArrayList<>();

    @Option(names = "--egress-proxy", paramLabel = "URL",
            description = "An HTTP proxy (http://host:port) that the egress proxy goes out through, after its own "
                    + "checks, where that is the only way out (a squid, Dify's ssrf_proxy): it asks it for CONNECT "
                    + "to the checked address, for plain HTTP too. No credentials. Default: connect directly.")
    String egressProxy;

    @picocli.CommandLine.Mixin
    LimitOptions limits = new LimitOptions();

    @picocli.CommandLine.Mixin
    PackagesDirOption packages = new PackagesDirOption();

    /** Jobs with enable_network run unless --no-allow-network (or SANDQ_ALLOW_NETWORK=false) says otherwise. */
    public void allowNetworkByDefault() {
        networkByDefault = true;
    }

    /** The operator's limits: per-job defaults and ceilings, the largest code and input. */
    public LimitOptions limits() {
        return limits;
    }

    /** The configuration these flags describe, on top of the host's defaults. */
    public SandboxConfig toConfig() {
        SandboxConfig.Builder config = SandboxConfig.builder().defaults(limits.defaults()).ceilings(limits.ceilings())
                .files(limits.files()).precompiledPython(List.of(JobProgram.pythonHarness()));
        if (slots != null) {
            config.slots(slots);
        }
        if (privilegeMode != null) {
            config.privilegeMode(privilegeMode);
        }
        if (launcher != null) {
            config.launcher(launcher);
        }
        if (python != null) {
            config.interpreter(Language.PYTHON3, python);
        }
        if (node != null) {
            config.interpreter(Language.NODEJS, node);
        }
        if (!extraSyscalls.isEmpty()) {
            config.extraSyscalls(parseExtraSyscalls(extraSyscalls));
        }
        if (cgroup != null) {
            config.cgroupMode(cgroup);
        }
        if (allowNetwork != null ? allowNetwork : networkByDefault) {
            config.networkAllowed(true);
        }
        if (!egressDeny.isEmpty() || !egressAllow.isEmpty()) {
            config.egress(EgressPolicy.of(cidrs(egressDeny), cidrs(egressAllow)));
        }
        if (egressProxy != null) {
            config.egressProxy(UpstreamProxy.parse(egressProxy));
        }
        if (packages.given().isPresent()) {
            config.packagesRoot(packages.root());
        }
        return config.build();
    }

    private static List<Cidr> cidrs(List<String> texts) {
        return texts.stream().map(String::strip).filter(t -> !t.isEmpty()).map(Cidr::parse).toList();
    }

    /** Like {@link #toConfig()}, with a bad value reported as a usage error of {@code cmd}. */
    public SandboxConfig toConfig(picocli.CommandLine cmd) {
        try {
            return toConfig();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cmd, e.getMessage(), e);
        }
    }

    /**
     * Parses {@code LANG:NAME} (one language) and {@code NAME} (every language) entries.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    static Map<Language, List<String>> parseExtraSyscalls(List<String> entries) {
        Map<Language, List<String>> byLanguage = new EnumMap<>(Language.class);
        for (String raw : entries) {
            String entry = raw.trim();
            int colon = entry.indexOf(':');
            List<Language> languages;
            String name;
            if (colon < 0) {
                languages = List.of(Language.values());
                name = entry;
            } else {
                String lang = entry.substring(0, colon);
                languages = List.of(Language.fromWireName(lang).orElseThrow(() -> new IllegalArgumentException(
                        "unknown language '" + lang + "' in extra syscall '" + raw + "' (expected python3 or nodejs)")));
                name = entry.substring(colon + 1);
            }
            if (!SYSCALL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + raw + "' is not a syscall name ([a-z0-9_]+)");
            }
            for (Language language : languages) {
                List<String> names = byLanguage.computeIfAbsent(language, l -> new ArrayList<>());
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        byLanguage.replaceAll((language, names) -> List.copyOf(names));
        return byLanguage;
    }

    /** Accepts auto, root and userns in any case. */
    static final class PrivilegeModeConverter implements picocli.CommandLine.ITypeConverter<PrivilegeMode> {
        @Override
        public PrivilegeMode convert(String value) {
            try {
                return PrivilegeMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a privilege mode (expected auto, root or userns)");
            }
        }
    }
}
