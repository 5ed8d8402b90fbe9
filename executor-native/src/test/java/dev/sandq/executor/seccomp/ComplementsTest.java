package dev.sandq.executor.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sandq.testing.Fast;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each complement must cover every value the condition misses, exactly once. */
@Fast
class ComplementsTest {

    private static boolean holds(ArgCondition c, long v) {
        return switch (c.op()) {
            case EQ -> v == c.value();
            case NE -> v != c.value();
            case LT -> Long.compareUnsigned(v, c.value()) < 0;
            case LE -> Long.compareUnsigned(v, c.value()) <= 0;
            case GE -> Long.compareUnsigned(v, c.value()) >= 0;
            case GT -> Long.compareUnsigned(v, c.value()) > 0;
            case MASKED_EQ -> (v & c.mask()) == c.value();
        };
    }

    private static List<Long> samples(long... interesting) {
        List<Long> out = new ArrayList<>();
        Random random = new Random(42);
        for (long i : interesting) {
            for (long high : new long[] {0, 1L << 32, 0xffff_ffff_0000_0000L, 1L << 63}) {
                for (long delta = -2; delta <= 2; delta++) {
                    out.add(high | ((i + delta) & 0xffff_ffffL));
                    out.add(i + delta);
                }
            }
        }
        for (int n = 0; n < 20_000; n++) {
            out.add(random.nextLong());
            out.add(random.nextLong() & 0xff);
        }
        return out;
    }

    private static void assertExactCover(List<ArgCondition> original, List<ArgCondition> complement, List<Long> values) {
        for (long v : values) {
            long hits = original.stream().filter(c -> holds(c, v)).count()
                    + complement.stream().filter(c -> holds(c, v)).count();
            assertEquals(1, hits, "value 0x" + Long.toHexString(v) + " matched " + hits + " pieces of " + original + " / " + complement);
        }
    }

    @Test
    void maskedComplementCoversEveryOtherValueOnce() {
        ArgCondition tiocsti = ArgCondition.masked(1, 0xffffffffL, 0x5412);
        assertExactCover(List.of(tiocsti), Complements.not(tiocsti), samples(0x5412));
        ArgCondition noNamespace = ArgCondition.masked(0, 0x7e020080L, 0);
        assertExactCover(List.of(noNamespace), Complements.not(noNamespace), samples(0x3d0f00, 0x10000011));
    }

    @Test
    void comparisonComplementsCoverEveryOtherValueOnce() {
        for (ArgCondition.Op op : List.of(ArgCondition.Op.EQ, ArgCondition.Op.NE, ArgCondition.Op.LT,
                ArgCondition.Op.LE, ArgCondition.Op.GE, ArgCondition.Op.GT)) {
            for (long v : new long[] {0, 1, 97, -1L}) {
                ArgCondition c = ArgCondition.of(0, op, v);
                assertExactCover(List.of(c), Complements.not(c), samples(v));
            }
        }
    }

    @Test
    void setComplementCoversEveryOtherValueOnce() {
        SortedSet<Long> families = new TreeSet<>(List.of(1L, 2L, 10L, 16L));
        List<ArgCondition> in = families.stream().map(f -> ArgCondition.of(0, ArgCondition.Op.EQ, f)).toList();
        assertExactCover(in, Complements.notIn(0, families), samples(1, 2, 10, 16));

        SortedSet<Long> types = new TreeSet<>(List.of(1L, 2L));
        List<ArgCondition> typesIn = types.stream().map(t -> ArgCondition.masked(1, 0xf, t)).toList();
        assertExactCover(typesIn, Complements.notInMasked(1, 0xf, types), samples(1, 2, 3, 0x80003));
    }

    @Test
    void aSetWithAHugeGapIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Complements.notIn(2, new TreeSet<>(List.of(0L, 100_000L))));
        assertEquals(true, e.getMessage().contains("100000"), e.getMessage());
    }
}
