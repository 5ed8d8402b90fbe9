package dev.sandq.executor.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Exact complements of argument conditions, as unions of conditions libseccomp can express
 * (one comparison per argument, no masked "not equal"). The pieces are disjoint from the
 * original condition and from each other, so the filter never depends on the order in which
 * libseccomp happens to evaluate overlapping rules with different actions.
 */
final class Complements {

    /** Gaps between listed values are enumerated value by value; larger gaps are a policy error. */
    private static final int MAX_GAP = 64;

    private Complements() {}

    /** Every value of the argument for which {@code c} does not hold. */
    static List<ArgCondition> not(ArgCondition c) {
        int i = c.index();
        long v = c.value();
        return switch (c.op()) {
            case NE -> List.of(ArgCondition.of(i, ArgCondition.Op.EQ, v));
            case EQ -> notEqual(i, v);
            case LT -> List.of(ArgCondition.of(i, ArgCondition.Op.GE, v));
            case LE -> List.of(ArgCondition.of(i, ArgCondition.Op.GT, v));
            case GE -> List.of(ArgCondition.of(i, ArgCondition.Op.LT, v));
            case GT -> List.of(ArgCondition.of(i, ArgCondition.Op.LE, v));
            case MASKED_EQ -> notMasked(i, c.mask(), v);
        };
    }

    private static List<ArgCondition> notEqual(int index, long value) {
        List<ArgCondition> out = new ArrayList<>(2);
        if (value != 0) {
            out.add(ArgCondition.of(index, ArgCondition.Op.LT, value));
        }
        if (value != -1L) {
            out.add(ArgCondition.of(index, ArgCondition.Op.GT, value));
        }
        return out;
    }

    /**
     * (arg & mask) != value, one piece per bit of the mask, highest first: piece b matches the
     * values that agree with {@code value} on the mask bits above b and differ at b.
     */
    static List<ArgCondition> notMasked(int index, long mask, long value) {
        List<ArgCondition> out = new ArrayList<>(Long.bitCount(mask));
        long above = 0;
        for (int bit = 63; bit >= 0; bit--) {
            long b = 1L << bit;
            if ((mask & b) != 0) {
                out.add(ArgCondition.masked(index, above | b, (value & above) | (~value & b)));
                above |= b;
            }
        }
        return out;
    }

    /** The argument is none of {@code values} (unsigned order). */
    static List<ArgCondition> notIn(int index, SortedSet<Long> values) {
        List<ArgCondition> out = new ArrayList<>();
        long first = values.first();
        if (first != 0) {
            out.add(ArgCondition.of(index, ArgCondition.Op.LT, first));
        }
        Long previous = null;
        for (long v : values) {
            if (previous != null) {
                if (v - previous - 1 > MAX_GAP) {
                    throw new IllegalArgumentException("values " + previous + " and " + v
                            + " are too far apart to list the ones between them (more than " + MAX_GAP + ")");
                }
                for (long between = previous + 1; between < v; between++) {
                    out.add(ArgCondition.of(index, ArgCondition.Op.EQ, between));
                }
            }
            previous = v;
        }
        if (values.last() != -1L) {
            out.add(ArgCondition.of(index, ArgCondition.Op.GT, values.last()));
        }
        return out;
    }

    /** (arg & mask) is none of {@code values}, for a small mask of low bits (e.g. the socket type). */
    static List<ArgCondition> notInMasked(int index, long mask, SortedSet<Long> values) {
        if (mask <= 0 || mask > 0xff || (mask & (mask + 1)) != 0) {
            throw new IllegalArgumentException("mask 0x" + Long.toHexString(mask) + " is not a small run of low bits");
        }
        List<ArgCondition> out = new ArrayList<>();
        for (long v = 0; v <= mask; v++) {
            if (!values.contains(v)) {
                out.add(ArgCondition.masked(index, mask, v));
            }
        }
        return out;
    }
}
