package dev.sandq.executor.internal.launch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's own side of a zygote launch (ZYGOTE.md): libsandq-launcher.so's
 * {@code zygote_client.c}, which hands a launch to a zygote the way the stub
 * ({@code sandq-launcher --zygote}) does, without starting a process for it; and the few libc
 * calls that the launch's pipes and its child need, as the JDK's process classes make them.
 */
final class ZygoteClient {
    /** errno values this class acts on. */
    static final int EINTR = 4;
    static final int SHUT_RDWR = 2;
    /** The exit code of a zygote's child that ended without sending its own (ZYGOTE_CHILD_LOST, zygote.h). */
    static final int CHILD_LOST = 125;

    /** The library's entries (zygote_client.c). */
    interface LauncherLibrary extends Library {
        int sandq_zygote_launch(String socketPath, int argc, byte[] args, int argsLength, int[] out, byte[] error,
                                int errorSize);

        int sandq_zygote_wait_exit(int connection) throws LastErrorException;
    }

    /** libc, for the fds and the child the launch hands back. */
    interface Libc extends Library {
        Libc INSTANCE = Native.load("c", Libc.class);

        long read(int fd, Pointer buffer, long count) throws LastErrorException;

        long write(int fd, Pointer buffer, long count) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int kill(int pid, int signal) throws LastErrorException;

        int shutdown(int fd, int how) throws LastErrorException;
    }

    /** What one launch hands back: the fds are this process's, the pid the zygote's child's. */
    record Handed(int connection, long childPid, int stdin, int stdout, int stderr) {
    }

    private static final Map<Path, ZygoteClient> BY_LIBRARY = new ConcurrentHashMap<>();
    private static final int ERROR_SIZE = 512;

    private final LauncherLibrary library;

    private ZygoteClient(LauncherLibrary library) {
        this.library = library;
    }

    /** The client of the launcher's library at {@code path}, loaded once. */
    static ZygoteClient of(Path library) {
        return BY_LIBRARY.computeIfAbsent(library.toAbsolutePath(),
                p -> new ZygoteClient(Native.load(p.toString(), LauncherLibrary.class)));
    }

    /** Hands {@code argv} (the launcher's own: its path, options, --, the program) to the zygote at {@code socket}. */
    Handed launch(Path socket, List<String> argv) throws IOException {
        int[] out = new int[5];
        byte[] error = new byte[ERROR_SIZE];
        byte[] args = packed(argv);
        if (library.sandq_zygote_launch(socket.toString(), argv.size(), args, args.length, out, error, ERROR_SIZE) != 0) {
            throw new IOException("cannot hand the launch to the zygote at " + socket + ": " + message(error));
        }
        return new Handed(out[0], out[1], out[2], out[3], out[4]);
    }

    /** Blocks until the zygote's child has ended: its exit code, or 125 when it ended without one. */
    int waitExit(int connection) throws IOException {
        try {
            return library.sandq_zygote_wait_exit(connection);
        } catch (LastErrorException e) {
            throw new IOException("cannot read the exit code of the zygote's child: errno " + e.getErrorCode(), e);
        }
    }

    /** The strings as the request carries them: UTF-8, each ending with a NUL (one buffer, not a native string each). */
    private static byte[] packed(List<String> argv) throws IOException {
        ByteArrayOutputStream packed = new ByteArrayOutputStream(8192);
        for (String arg : argv) {
            if (arg.indexOf('\0') >= 0) {
                throw new IOException("a launcher argument holds a NUL: " + arg.replace('\0', '?'));
            }
            packed.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
            packed.write(0);
        }
        return packed.toByteArray();
    }

    private static String message(byte[] error) {
        int end = 0;
        while (end < error.length && error[end] != 0) {
            end++;
        }
        return new String(error, 0, end, StandardCharsets.UTF_8);
    }
}
