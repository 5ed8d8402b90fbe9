package dev.sandq.executor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sockets and pipes this JVM holds open: what a launch opens in the worker. A test that judges
 * only these is not misled by the JVM's other threads, which open and close files of their own
 * (jars, /proc) while the jobs run.
 */
public final class OpenSocketsAndPipes {
    private OpenSocketsAndPipes() {
    }

    /** Each open fd that is a socket or a pipe, with its kernel object ("socket:[inode]", "pipe:[inode]"). */
    public static Map<Integer, String> ofThisJvm() {
        Map<Integer, String> open = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:") || target.startsWith("pipe:")) {
                        open.put(Integer.valueOf(fd.getFileName().toString()), target);
                    }
                } catch (IOException closedMeanwhile) {
                    // closed while listed (the listing's own fd among them): not a launch's
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list /proc/self/fd", e);
        }
        return open;
    }
}
