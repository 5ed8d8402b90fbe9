package dev.sandq.devkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The facts of the host a benchmark ran on, printed with its figures: cores (and the CPU's model),
 * virtualization, kernel release and cgroup version.
 *
 * @param virtualization what systemd-detect-virt says (--vm and --container), when it is installed;
 *                       else /proc/cpuinfo's hypervisor flag and /sys/class/dmi/id/product_name
 * @param cgroup         v2, v1 or hybrid (v1 controllers beside a cgroup2 mount), from /proc/self/mountinfo
 */
record HostFacts(int cores, String cpuModel, String virtualization, String kernel, String cgroup) {

    /** This host. */
    static HostFacts gather() {
        String cpuinfo = read(Path.of("/proc/cpuinfo")).orElse("");
        String virtualization;
        Optional<Path> detect = onPath("systemd-detect-virt");
        if (detect.isPresent()) {
            virtualization = detectVirt(run(detect.get().toString(), "--vm"), run(detect.get().toString(), "--container"));
        } else {
            virtualization = fromCpuinfo(cpuinfo, read(Path.of("/sys/class/dmi/id/product_name")));
        }
        return new HostFacts(Runtime.getRuntime().availableProcessors(), cpuModel(cpuinfo), virtualization,
                read(Path.of("/proc/sys/kernel/osrelease")).map(String::strip).orElse("unknown"),
                cgroupVersion(read(Path.of("/proc/self/mountinfo")).orElse("")));
    }

    /** One line: {@code host: 2 cores (AMD EPYC), kvm VM, docker container, kernel 6.1.0, cgroup hybrid}. */
    String line() {
        return "host: " + cores + " cores (" + cpuModel + "), " + virtualization + ", kernel " + kernel + ", cgroup "
                + cgroup;
    }

    /** The first "model name" of /proc/cpuinfo. */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                return colon < 0 ? "unknown model" : line.substring(colon + 1).strip();
            }
        }
        return "unknown model";
    }

    /** systemd-detect-virt's answers to --vm and --container ("none", or empty when it failed). */
    static String detectVirt(Optional<String> vm, Optional<String> container) {
        String v = vm.map(String::strip).filter(s -> !s.isEmpty()).orElse("none");
        String c = container.map(String::strip).filter(s -> !s.isEmpty()).orElse("none");
        if (v.equals("none") && c.equals("none")) {
            return "no virtualization (systemd-detect-virt)";
        }
        return (v.equals("none") ? "no VM" : v + " VM") + ", " + (c.equals("none") ? "no container" : c + " container");
    }

    /** Without systemd-detect-virt: the hypervisor CPU flag, and the machine's product name when there is one. */
    static String fromCpuinfo(String cpuinfo, Optional<String> productName) {
        boolean hypervisor = cpuinfo.lines().anyMatch(l -> l.startsWith("flags")
                && (" " + l.substring(l.indexOf(':') + 1) + " ").contains(" hypervisor "));
        String product = productName.map(String::strip).filter(s -> !s.isEmpty()).map(s -> ", product " + s)
                .orElse("");
        return (hypervisor ? "a hypervisor (cpuinfo flag)" : "no hypervisor flag") + product;
    }

    /** v2 (only a cgroup2 mount), v1 (only cgroup mounts), hybrid (both), or none, from /proc/self/mountinfo. */
    static String cgroupVersion(String mountinfo) {
        boolean v1 = false;
        String v2At = null;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            String[] before = line.substring(0, dash).split(" ");
            if (after[0].equals("cgroup2")) {
                v2At = before.length > 4 ? before[4] : "?";
            } else if (after[0].equals("cgroup")) {
                v1 = true;
            }
        }
        if (v1 && v2At != null) {
            return "hybrid (v1 controllers, v2 at " + v2At + ")";
        }
        if (v1) {
            return "v1";
        }
        return v2At != null ? "v2" : "none";
    }

    private static Optional<Path> onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The command's standard output (it may exit 1 and print "none"), or empty when it could not run. */
    private static Optional<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(5, TimeUnit.SECONDS) ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
