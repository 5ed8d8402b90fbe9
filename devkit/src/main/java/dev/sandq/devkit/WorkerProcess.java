package dev.sandq.devkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Local processes by what they do: the one listening on a TCP port (/proc/net/tcp and tcp6, then
 * the process holding that socket), and sandq's JVMs (command line with dev.sandq.cli.Main up or
 * worker).
 */
final class WorkerProcess {
    /** What `pgrep -f` looks for: a `sandq up` or `sandq worker` JVM. */
    static final String SANDQ_JVM = "dev.sandq.cli.Main (up|worker)";
    private static final String LISTEN = "0A";

    private WorkerProcess() {
    }

    /** The process listening on {@code port} of this host (any address), if it can be seen. */
    static OptionalLong listeningOn(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readString(Path.of(table)), port));
            } catch (IOException e) {
                // no IPv6, say: the other table may have it
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                if (holdsSocket(proc, inodes)) {
                    return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static boolean holdsSocket(Path proc, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false; // gone, or not ours to read
        }
        return false;
    }

    /** The inodes of the sockets listening on {@code port} in a /proc/net/tcp or tcp6 table. */
    static List<String> listeningInodes(String table, int port) {
        List<String> inodes = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[1].contains(":")) {
                continue;
            }
            String hexPort = f[1].substring(f[1].lastIndexOf(':') + 1);
            try {
                if (Integer.parseInt(hexPort, 16) == port && f[3].equals(LISTEN)) {
                    inodes.add(f[9]);
                }
            } catch (NumberFormatException e) {
                // the header line
            }
        }
        return inodes;
    }

    /** Whether {@code pid} is a sandq JVM (`sandq up` or `sandq worker`). */
    static boolean isSandqJvm(long pid) {
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
            return cmdline.matches(".*" + SANDQ_JVM + ".*");
        } catch (IOException e) {
            return false;
        }
    }

    /** The sandq JVMs running here ({@code pgrep -f}); empty when pgrep is missing. */
    static List<Long> sandqJvms() {
        List<Long> pids = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("pgrep", "-f", SANDQ_JVM).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | NumberFormatException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pids.remove(ProcessHandle.current().pid());
        return pids;
    }
}
