package dev.sandq.executor.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a seccomp classic-BPF program against one syscall, as the kernel would, so that tests
 * can check what a compiled filter decides without installing it. Covers the instructions
 * libseccomp emits; any other one fails the test.
 */
final class BpfInterpreter {

    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    static final int AUDIT_ARCH_I386 = 0x40000003;

    private final ByteBuffer program;

    BpfInterpreter(byte[] bpf) {
        program = ByteBuffer.wrap(bpf).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The 32-bit SECCOMP_RET_* value for syscall {@code nr} on x86_64 with these arguments. */
    int run(int nr, long... args) {
        return runOnArch(AUDIT_ARCH_X86_64, nr, args);
    }

    int runOnArch(int arch, int nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(8, 0x401000L);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] scratch = new int[16];
        int pc = 0;
        for (int steps = 0; steps < 100_000; steps++) {
            int at = pc * 8;
            int code = Short.toUnsignedInt(program.getShort(at));
            int jt = Byte.toUnsignedInt(program.get(at + 2));
            int jf = Byte.toUnsignedInt(program.get(at + 3));
            int k = program.getInt(at + 4);
            pc++;
            switch (code) {
                case 0x20 -> a = data.getInt(k);                 // ld [k]
                case 0x00 -> a = k;                              // ld #k
                case 0x60 -> a = scratch[k];                     // ld M[k]
                case 0x61 -> x = scratch[k];                     // ldx M[k]
                case 0x02 -> scratch[k] = a;                     // st M[k]
                case 0x03 -> scratch[k] = x;                     // stx M[k]
                case 0x07 -> x = a;                              // tax
                case 0x87 -> a = x;                              // txa
                case 0x54 -> a &= k;                             // and #k
                case 0x44 -> a |= k;                             // or #k
                case 0x05 -> pc += k;                            // ja
                case 0x15 -> pc += a == k ? jt : jf;             // jeq #k
                case 0x25 -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;   // jgt #k
                case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;  // jge #k
                case 0x45 -> pc += (a & k) != 0 ? jt : jf;       // jset #k
                case 0x06 -> { return k; }                       // ret #k
                case 0x16 -> { return a; }                       // ret a
                default -> throw new AssertionError("BPF instruction 0x" + Integer.toHexString(code) + " at " + (pc - 1));
            }
        }
        throw new AssertionError("BPF program did not return");
    }
}
