package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The host's facts from fixture files: a KVM guest's cpuinfo, and mountinfo of each cgroup layout. */
@Fast
class HostFactsTest {
    @Test
    void theCgroupVersionComesFromTheMounts() {
        assertEquals("hybrid (v1 controllers, v2 at /sys/fs/cgroup/unified)",
                HostFacts.cgroupVersion(BenchFixtures.read("mountinfo-hybrid.txt")));
        assertEquals("v2", HostFacts.cgroupVersion(BenchFixtures.read("mountinfo-v2.txt")));
        assertEquals("v1", HostFacts.cgroupVersion(BenchFixtures.read("mountinfo-v1.txt")));
        assertEquals("none", HostFacts.cgroupVersion("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"));
    }

    @Test
    void theCpuModelAndTheHypervisorFlagComeFromCpuinfo() {
        String cpuinfo = BenchFixtures.read("cpuinfo-kvm.txt");
        assertEquals("AMD EPYC", HostFacts.cpuModel(cpuinfo));
        assertEquals("a hypervisor (cpuinfo flag), product KVM", HostFacts.fromCpuinfo(cpuinfo, Optional.of("KVM\n")));
        assertEquals("no hypervisor flag", HostFacts.fromCpuinfo(cpuinfo.replace(" hypervisor", ""), Optional.empty()));
        assertEquals("unknown model", HostFacts.cpuModel(""));
    }

    @Test
    void systemdDetectVirtSaysVmAndContainer() {
        assertEquals("kvm VM, docker container", HostFacts.detectVirt(Optional.of("kvm\n"), Optional.of("docker\n")));
        assertEquals("no VM, podman container", HostFacts.detectVirt(Optional.of("none\n"), Optional.of("podman\n")));
        assertEquals("no virtualization (systemd-detect-virt)",
                HostFacts.detectVirt(Optional.of("none\n"), Optional.empty()));
    }

    @Test
    void theLineNamesEveryFact() {
        assertEquals("host: 2 cores (AMD EPYC), kvm VM, no container, kernel 6.1.0-18-amd64, cgroup v2",
                new HostFacts(2, "AMD EPYC", "kvm VM, no container", "6.1.0-18-amd64", "v2").line());
    }
}
