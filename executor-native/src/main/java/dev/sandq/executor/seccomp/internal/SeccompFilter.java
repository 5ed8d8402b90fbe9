package dev.sandq.executor.seccomp.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One libseccomp filter context for x86_64 only. Every failing call throws a
 * {@link LibseccompException} naming the call and, for rules, the syscall.
 */
public final class SeccompFilter implements AutoCloseable {

    /** libseccomp's optimizer level 2: syscalls in a binary tree instead of a linear list. */
    private static final int OPTIMIZE_BINARY_TREE = 2;

    private static final Map<Integer, String> ERRNO_NAMES = Map.of(
            1, "EPERM", 3, "ESRCH", 12, "ENOMEM", 13, "EACCES", 14, "EFAULT",
            17, "EEXIST", 22, "EINVAL", 33, "EDOM", 95, "EOPNOTSUPP");

    private final Libseccomp lib = Libseccomp.load();
    private Pointer ctx;

    /**
     * A context whose default action is {@code defaultAction} and whose bad-architecture action
     * is KILL_PROCESS (libseccomp's own default is KILL, which ends only the calling thread).
     */
    public SeccompFilter(int defaultAction) {
        ctx = lib.seccomp_init(defaultAction);
        if (ctx == null) {
            throw new LibseccompException("seccomp_init(0x" + Integer.toHexString(defaultAction) + ") failed");
        }
        try {
            check(lib.seccomp_attr_set(ctx, Libseccomp.SCMP_FLTATR_ACT_BADARCH, Libseccomp.SCMP_ACT_KILL_PROCESS),
                    "seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH, KILL_PROCESS)");
            check(lib.seccomp_attr_set(ctx, Libseccomp.SCMP_FLTATR_CTL_OPTIMIZE, OPTIMIZE_BINARY_TREE),
                    "seccomp_attr_set(SCMP_FLTATR_CTL_OPTIMIZE, 2)");
            // seccomp_init adds the native arch; make sure it is x86_64 and the only one.
            if (lib.seccomp_arch_exist(ctx, Libseccomp.SCMP_ARCH_X86_64) != 0) {
                throw new LibseccompException("this host's native seccomp architecture is 0x"
                        + Integer.toHexString(lib.seccomp_arch_native()) + ", not x86_64 (0xc000003e)");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The x86_64 number of a syscall, or -1 when libseccomp does not know it on x86_64. */
    public static int resolve(String name) {
        int nr = Libseccomp.load().seccomp_syscall_resolve_name_arch(Libseccomp.SCMP_ARCH_X86_64, name);
        // Negative numbers other than -1 are libseccomp's pseudo-syscalls (e.g. socketcall on x86_64).
        return nr < 0 ? Libseccomp.NR_SCMP_ERROR : nr;
    }

    /** The x86_64 name of syscall number {@code nr}; empty when libseccomp does not know it. */
    public static Optional<String> name(int nr) {
        if (nr < 0) {
            return Optional.empty();
        }
        Pointer p = Libseccomp.load().seccomp_syscall_resolve_num_arch(Libseccomp.SCMP_ARCH_X86_64, nr);
        if (p == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(p.getString(0, "US-ASCII"));
        } finally {
            Native.free(Pointer.nativeValue(p));
        }
    }

    /** Adds one rule; {@code description} is what an error message shows of it. */
    public void addRule(String syscall, int action, List<Comparison> comparisons, String description) {
        int nr = resolve(syscall);
        if (nr < 0) {
            throw new LibseccompException("unknown syscall on x86_64: " + syscall);
        }
        Libseccomp.ScmpArgCmp[] args = null;
        if (!comparisons.isEmpty()) {
            args = (Libseccomp.ScmpArgCmp[]) new Libseccomp.ScmpArgCmp().toArray(comparisons.size());
            for (int i = 0; i < args.length; i++) {
                Comparison c = comparisons.get(i);
                args[i].arg = c.argIndex();
                args[i].op = c.op();
                args[i].datumA = c.datumA();
                args[i].datumB = c.datumB();
            }
        }
        check(lib.seccomp_rule_add_array(ctx, action, nr, comparisons.size(), args),
                "seccomp_rule_add_array(" + syscall + ": " + description + ")");
    }

    /** The classic-BPF program: an array of struct sock_filter, 8 bytes each. */
    public byte[] exportBpf() {
        return export(true);
    }

    /** libseccomp's pseudo-filter code, for reading and for tests. */
    public String exportPfc() {
        return new String(export(false), StandardCharsets.UTF_8);
    }

    private byte[] export(boolean bpf) {
        String call = bpf ? "seccomp_export_bpf" : "seccomp_export_pfc";
        int fd = Libc.INSTANCE.memfd_create("sandq-seccomp", Libc.MFD_CLOEXEC);
        if (fd < 0) {
            throw new LibseccompException("memfd_create for " + call + " failed");
        }
        try {
            check(bpf ? lib.seccomp_export_bpf(ctx, fd) : lib.seccomp_export_pfc(ctx, fd), call);
            // A fresh open of the memfd starts at offset 0, whatever libseccomp's writes did.
            return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + call + " from memfd " + fd, e);
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }

    private void check(int rc, String call) {
        if (rc < 0) {
            String name = ERRNO_NAMES.getOrDefault(-rc, "errno " + -rc);
            throw new LibseccompException(call + " failed: " + rc + " (" + name + ")");
        }
    }

    @Override
    public void close() {
        if (ctx != null) {
            lib.seccomp_release(ctx);
            ctx = null;
        }
    }
}
