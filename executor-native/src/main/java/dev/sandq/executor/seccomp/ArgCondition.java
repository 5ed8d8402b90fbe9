package dev.sandq.executor.seccomp;

import dev.sandq.executor.seccomp.internal.Libseccomp;

/**
 * One comparison of a syscall argument (all 64 bits, unsigned). For {@link Op#MASKED_EQ} the
 * test is {@code (arg & mask) == value}; for every other operator {@code mask} is unused (0).
 */
public record ArgCondition(int index, Op op, long value, long mask) {

    public enum Op {
        EQ("==", Libseccomp.SCMP_CMP_EQ),
        NE("!=", Libseccomp.SCMP_CMP_NE),
        LT("<", Libseccomp.SCMP_CMP_LT),
        LE("<=", Libseccomp.SCMP_CMP_LE),
        GE(">=", Libseccomp.SCMP_CMP_GE),
        GT(">", Libseccomp.SCMP_CMP_GT),
        MASKED_EQ("==", Libseccomp.SCMP_CMP_MASKED_EQ);

        private final String symbol;
        private final int scmp;

        Op(String symbol, int scmp) {
            this.symbol = symbol;
            this.scmp = scmp;
        }

        int scmp() {
            return scmp;
        }
    }

    public ArgCondition {
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("syscall argument index " + index + " is not in 0..5");
        }
        if (op == Op.MASKED_EQ && (value & ~mask) != 0) {
            throw new IllegalArgumentException("masked_eq value 0x" + Long.toHexString(value)
                    + " has bits outside its mask 0x" + Long.toHexString(mask) + ": it could never match");
        }
        if (op != Op.MASKED_EQ && mask != 0) {
            throw new IllegalArgumentException("a mask (0x" + Long.toHexString(mask) + ") only goes with masked_eq, not " + op);
        }
    }

    public static ArgCondition of(int index, Op op, long value) {
        return new ArgCondition(index, op, value, 0);
    }

    public static ArgCondition masked(int index, long mask, long value) {
        return new ArgCondition(index, Op.MASKED_EQ, value, mask);
    }

    @Override
    public String toString() {
        String left = op == Op.MASKED_EQ ? "(arg" + index + " & 0x" + Long.toHexString(mask) + ")" : "arg" + index;
        return left + " " + op.symbol + " 0x" + Long.toHexString(value);
    }
}
