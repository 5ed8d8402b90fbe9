package dev.sandq.executor.seccomp.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.List;

/**
 * The few libseccomp 2.5 entry points sandq uses. Only the runtime library is installed on the
 * hosts (no headers, no unversioned {@code libseccomp.so}), so it is loaded by its soname.
 */
public interface Libseccomp extends Library {

    /** AUDIT_ARCH_X86_64: the one architecture sandq filters for. */
    int SCMP_ARCH_X86_64 = 0xc000003e;

    int SCMP_ACT_KILL_PROCESS = 0x80000000;
    int SCMP_ACT_ALLOW = 0x7fff0000;
    int SCMP_ACT_ERRNO_BASE = 0x00050000;

    int SCMP_FLTATR_ACT_BADARCH = 2;
    int SCMP_FLTATR_CTL_OPTIMIZE = 8;

    int SCMP_CMP_NE = 1;
    int SCMP_CMP_LT = 2;
    int SCMP_CMP_LE = 3;
    int SCMP_CMP_EQ = 4;
    int SCMP_CMP_GE = 5;
    int SCMP_CMP_GT = 6;
    int SCMP_CMP_MASKED_EQ = 7;

    /** What seccomp_syscall_resolve_name_arch returns for a name it does not know. */
    int NR_SCMP_ERROR = -1;

    Pointer seccomp_init(int defaultAction);

    void seccomp_release(Pointer ctx);

    int seccomp_attr_set(Pointer ctx, int attribute, int value);

    int seccomp_arch_exist(Pointer ctx, int archToken);

    int seccomp_arch_native();

    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCount, ScmpArgCmp[] args);

    int seccomp_export_bpf(Pointer ctx, int fd);

    int seccomp_export_pfc(Pointer ctx, int fd);

    int seccomp_syscall_resolve_name_arch(int archToken, String name);

    /** The name of syscall {@code num}, in memory the caller frees; null when libseccomp does not know it. */
    Pointer seccomp_syscall_resolve_num_arch(int archToken, int num);

    /** struct scmp_arg_cmp: {unsigned int arg; enum scmp_compare op; uint64 datum_a; uint64 datum_b}. */
    @Structure.FieldOrder({"arg", "op", "datumA", "datumB"})
    class ScmpArgCmp extends Structure {
        public int arg;
        public int op;
        public long datumA;
        public long datumB;
    }

    static Libseccomp load() {
        return Holder.INSTANCE;
    }

    /** Lazy, so that a host without libseccomp fails on first use with a clear message. */
    final class Holder {
        private static final List<String> NAMES =
                List.of("libseccomp.so.2", "/usr/lib/x86_64-linux-gnu/libseccomp.so.2", "seccomp");
        static final Libseccomp INSTANCE = loadFirst();

        private Holder() {}

        private static Libseccomp loadFirst() {
            UnsatisfiedLinkError last = null;
            for (String name : NAMES) {
                try {
                    return Native.load(name, Libseccomp.class);
                } catch (UnsatisfiedLinkError e) {
                    last = e;
                }
            }
            throw new IllegalStateException("cannot load libseccomp (tried " + NAMES + "): "
                    + (last == null ? "" : last.getMessage()), last);
        }
    }
}
