package dev.sandq.executor.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identities that belong to one test run only, so that a test that looks at the host (processes
 * of the slot uids, job cgroups) judges only what it started itself, whatever other sandq
 * workers or test runs do on the same host at the same time.
 */
public final class FreshIds {
    /** Far above the uids of accounts and of sandq's default slots (61000...). */
    private static final int LOWEST = 1_000_000;
    private static final int HIGHEST = 2_000_000_000;

    private FreshIds() {
    }

    /**
     * The first of {@code count} consecutive uids, chosen at random, that no running process
     * uses: the chance that another run picks an overlapping range is about count / 2e9.
     */
    public static int uidRange(int count) {
        Set<Integer> inUse = uidsInUse();
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - count);
            boolean free = true;
            for (int uid = first; uid < first + count && free; uid++) {
                free = !inUse.contains(uid);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no free range of " + count + " uids found in 100 attempts");
    }

    /** A cgroup name (under each hierarchy's root) that only this JVM uses. */
    public static String cgroupParent() {
        return "sandq-test-" + ProcessHandle.current().pid();
    }

    private static Set<Integer> uidsInUse() {
        Set<Integer> uids = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    for (String line : Files.readAllLines(entry.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            for (String field : line.substring("Uid:".length()).strip().split("\\s+")) {
                                uids.add(Integer.parseUnsignedInt(field));
                            }
                        }
                    }
                } catch (NoSuchFileException exited) {
                    // gone while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("listing the uids of /proc", e);
        }
        return uids;
    }
}
