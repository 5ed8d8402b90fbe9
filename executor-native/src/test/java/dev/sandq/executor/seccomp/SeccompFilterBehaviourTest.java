package dev.sandq.executor.seccomp;

import static dev.sandq.executor.seccomp.Verdicts.ALLOW;
import static dev.sandq.executor.seccomp.Verdicts.EAFNOSUPPORT;
import static dev.sandq.executor.seccomp.Verdicts.ENOSYS;
import static dev.sandq.executor.seccomp.Verdicts.EPERM;
import static dev.sandq.executor.seccomp.Verdicts.KILL_PROCESS;
import static dev.sandq.executor.seccomp.Verdicts.errno;
import static dev.sandq.executor.seccomp.Verdicts.nr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.Language;
import dev.sandq.testing.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the compiled filters decide, checked by running the real BPF in {@link BpfInterpreter}. */
@Fast
class SeccompFilterBehaviourTest {

    private static final long SIGCHLD = 17;
    private static final long THREAD_FLAGS = 0x3d0f00; // glibc pthread_create: VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
    private static final long FORK_FLAGS = 0x01200000 | SIGCHLD; // glibc fork: CHILD_SETTID|CHILD_CLEARTID|SIGCHLD
    private static final long AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17, AF_VSOCK = 40;
    private static final long SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, SOCK_NONBLOCK = 0x800;

    private static BpfInterpreter filter(Language language, boolean network) {
        return new BpfInterpreter(SeccompPolicies.load(language, network, List.of()).compileBpf());
    }

    private static void assertVerdict(int expected, int actual, String call) {
        assertEquals(Verdicts.name(expected), Verdicts.name(actual), call);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void everyAllowedSyscallIsAllowedWhateverItsArguments(Language language) {
        SeccompPolicy policy = SeccompPolicies.load(language, false, List.of());
        BpfInterpreter bpf = new BpfInterpreter(policy.compileBpf());
        for (String syscall : policy.allowed().keySet()) {
            assertVerdict(ALLOW, bpf.run(nr(syscall), -1L, -1L, -1L, -1L, -1L, -1L), syscall);
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void forbiddenSyscallsKillTheProcess(Language language) {
        BpfInterpreter bpf = filter(language, true);
        for (String syscall : List.of("ptrace", "mount", "umount2", "unshare", "setns", "chroot", "pivot_root",
                "keyctl", "add_key", "request_key", "bpf", "userfaultfd", "perf_event_open", "personality",
                "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
                "settimeofday", "clock_settime", "adjtimex", "process_vm_readv", "process_vm_writev",
                "open_by_handle_at", "name_to_handle_at", "setuid", "setgid", "setreuid", "setresuid",
                "setgroups", "capset", "swapon", "swapoff", "acct", "quotactl", "lookup_dcookie", "iopl",
                "ioperm", "move_pages", "vmsplice", "fanotify_init", "fork", "setsid")) {
            assertVerdict(KILL_PROCESS, bpf.run(nr(syscall), 0, 0, 0, 0, 0, 0), syscall);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clone3", "io_uring_setup", "io_uring_enter", "io_uring_register"})
    void probedSyscallsAnswerEnosysSoRuntimesFallBack(String syscall) {
        for (Language language : Language.values()) {
            assertVerdict(errno(ENOSYS), filter(language, false).run(nr(syscall), 0, 0), syscall);
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void cloneCreatesThreadsAndProcessesButNoNamespace(Language language) {
        BpfInterpreter bpf = filter(language, true);
        int clone = nr("clone");
        assertVerdict(ALLOW, bpf.run(clone, THREAD_FLAGS), "clone(thread)");
        assertVerdict(ALLOW, bpf.run(clone, FORK_FLAGS), "clone(fork)");
        assertVerdict(ALLOW, bpf.run(clone, 0x4111), "clone(CLONE_VM|CLONE_VFORK|SIGCHLD), posix_spawn");
        for (long namespace : new long[] {0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000,
                0x20000000, 0x40000000, 0x80}) {
            assertVerdict(KILL_PROCESS, bpf.run(clone, FORK_FLAGS | namespace),
                    "clone(0x" + Long.toHexString(namespace) + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void tiocstiIsRefusedWhateverTheHighHalfOfTheRequest(Language language) {
        BpfInterpreter bpf = filter(language, false);
        int ioctl = nr("ioctl");
        for (long request : new long[] {0x5412L, 0x1_0000_5412L, 0xffff_ffff_0000_5412L, 0x8000_0000_0000_5412L}) {
            assertVerdict(errno(EPERM), bpf.run(ioctl, 0, request), "ioctl(0x" + Long.toHexString(request) + ")");
        }
        for (long request : new long[] {0x5401L /* TCGETS */, 0x5413L /* TIOCGWINSZ */, 0x5421L /* FIONBIO */,
                0x5451L /* FIOCLEX */, 0x5411L, 0x5416L, 0x1_0000_5401L, 0xffff_ffff_8004_5430L, 0L, -1L}) {
            assertVerdict(ALLOW, bpf.run(ioctl, 0, request), "ioctl(0x" + Long.toHexString(request) + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void withoutNetworkOnlyUnixSocketsExist(Language language) {
        BpfInterpreter bpf = filter(language, false);
        int socket = nr("socket");
        assertVerdict(ALLOW, bpf.run(socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket(AF_UNIX, STREAM)");
        assertVerdict(ALLOW, bpf.run(socket, AF_UNIX, SOCK_DGRAM, 0), "socket(AF_UNIX, DGRAM)");
        for (long family : new long[] {0, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_VSOCK, 3, 255, 0x1_0000_0001L, -1L}) {
            assertVerdict(errno(EAFNOSUPPORT), bpf.run(socket, family, SOCK_STREAM, 0), "socket(" + family + ")");
        }
        int socketpair = nr("socketpair");
        assertVerdict(ALLOW, bpf.run(socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socketpair(AF_UNIX)");
        assertVerdict(errno(EAFNOSUPPORT), bpf.run(socketpair, AF_INET, SOCK_STREAM, 0), "socketpair(AF_INET)");
        assertVerdict(KILL_PROCESS, bpf.run(nr("sendmmsg"), 3, 0, 0, 0), "sendmmsg without network");
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void withNetworkInetStreamAndDatagramSocketsExistButNoRawOnes(Language language) {
        BpfInterpreter bpf = filter(language, true);
        int socket = nr("socket");
        for (long family : new long[] {AF_INET, AF_INET6}) {
            for (long type : new long[] {SOCK_STREAM, SOCK_DGRAM, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK}) {
                assertVerdict(ALLOW, bpf.run(socket, family, type, 0), "socket(" + family + ", " + type + ")");
            }
            assertVerdict(errno(EPERM), bpf.run(socket, family, SOCK_RAW, 1), "socket(" + family + ", SOCK_RAW)");
            assertVerdict(errno(EPERM), bpf.run(socket, family, 10 /* SOCK_PACKET */, 0), "socket(" + family + ", SOCK_PACKET)");
        }
        assertVerdict(ALLOW, bpf.run(socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0), "socket(AF_NETLINK, NETLINK_ROUTE)");
        assertVerdict(errno(EPERM), bpf.run(socket, AF_NETLINK, SOCK_RAW, 9), "socket(AF_NETLINK, NETLINK_AUDIT)");
        assertVerdict(ALLOW, bpf.run(socket, AF_UNIX, SOCK_STREAM, 0), "socket(AF_UNIX)");
        for (long family : new long[] {AF_PACKET, AF_VSOCK, 0, 3, 9, 11, 15, 17, 255}) {
            assertVerdict(errno(EAFNOSUPPORT), bpf.run(socket, family, SOCK_DGRAM, 0), "socket(" + family + ")");
        }
        for (String call : List.of("connect", "bind", "listen", "accept4", "sendto", "recvfrom", "sendmmsg", "recvmmsg")) {
            assertVerdict(ALLOW, bpf.run(nr(call), 3, 0, 0), call);
        }
    }

    @Test
    void otherAbisAreKilled() {
        for (Language language : Language.values()) {
            BpfInterpreter bpf = filter(language, true);
            int x32Bit = 0x40000000;
            assertVerdict(KILL_PROCESS, bpf.run(x32Bit | nr("read"), 0, 0, 0), "x32 read");
            assertVerdict(KILL_PROCESS, bpf.run(x32Bit | nr("write"), 1, 0, 0), "x32 write");
            assertVerdict(KILL_PROCESS, bpf.runOnArch(BpfInterpreter.AUDIT_ARCH_I386, 3 /* i386 read */, 0, 0, 0), "i386 read");
            assertVerdict(KILL_PROCESS, bpf.runOnArch(0xc00000b7 /* aarch64 */, 63, 0, 0, 0), "aarch64 read");
            assertVerdict(KILL_PROCESS, bpf.run(4095), "syscall 4095");
        }
    }
}
