package dev.sandq.executor.internal.launch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A file descriptor this process owns (a pipe's end), read or written through libc, and closed
 * once: when it is closed while a read or write is under way (the output cap's SIGTERM, a slot
 * that gives up), the number is released only when that call has returned, so that it can never
 * reach a file opened later under the same number.
 */
final class OwnedFd {
    private static final int CHUNK = 16 * 1024;

    private final int fd;
    private final String what;
    private int callsUnderWay;
    private boolean closeRequested;
    private boolean released;
    /** The native side of reads or writes: made at the first, freed with the fd (not left to JNA's cleaner). */
    private Memory buffer;

    OwnedFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Reads it to its end of file, chunk by chunk. */
    InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return (int) use(number -> {
                    Memory memory = buffer();
                    long n = retrying(() -> ZygoteClient.Libc.INSTANCE.read(number, memory, Math.min(len, CHUNK)), false);
                    if (n <= 0) {
                        return -1;
                    }
                    memory.read(0, b, off, (int) n);
                    return n;
                });
            }

            @Override
            public void close() throws IOException {
                OwnedFd.this.close();
            }
        };
    }

    /** Writes it whole. */
    OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                use(number -> {
                    Memory memory = buffer();
                    for (int at = off, left = len; left > 0; ) {
                        int chunk = Math.min(left, CHUNK);
                        memory.write(0, b, at, chunk);
                        for (int done = 0; done < chunk; ) {
                            int from = done;
                            done += (int) retrying(() -> ZygoteClient.Libc.INSTANCE.write(number, memory.share(from),
                                    chunk - from), true);
                        }
                        at += chunk;
                        left -= chunk;
                    }
                    return 0;
                });
            }

            @Override
            public void close() throws IOException {
                OwnedFd.this.close();
            }
        };
    }

    /** A call on the fd's number. */
    @FunctionalInterface
    interface FdCall {
        long apply(int fd) throws IOException;
    }

    /** Runs {@code call} on the fd, which stays open until it returns; fails once it is closed. */
    long use(FdCall call) throws IOException {
        begin();
        try {
            return call.apply(fd);
        } finally {
            end();
        }
    }

    /** A read(2) or write(2), again after EINTR. */
    private long retrying(LongCall call, boolean write) throws IOException {
        while (true) {
            try {
                return call.call();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != ZygoteClient.EINTR) {
                    throw new IOException((write ? "write " : "read ") + what + ": errno " + e.getErrorCode(), e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface LongCall {
        long call();
    }

    /** Only while a call is under way (the fd's lock keeps close from freeing it meanwhile). */
    private synchronized Memory buffer() {
        if (buffer == null) {
            buffer = new Memory(CHUNK);
        }
        return buffer;
    }

    private synchronized void begin() throws IOException {
        if (closeRequested) {
            throw new IOException(what + " is closed");
        }
        callsUnderWay++;
    }

    private void end() {
        synchronized (this) {
            callsUnderWay--;
        }
        releaseOnceIdle();
    }

    /** Closes it now, or as soon as the read or write under way returns. */
    void close() {
        synchronized (this) {
            closeRequested = true;
        }
        releaseOnceIdle();
    }

    /** Releases the fd, once: when it was closed and no call is under way (none can begin after close). */
    private void releaseOnceIdle() {
        boolean release;
        synchronized (this) {
            release = closeRequested && callsUnderWay == 0 && !released;
            released |= release;
        }
        if (release) {
            release();
        }
    }

    private void release() {
        try {
            ZygoteClient.Libc.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // close(2) releases the number even when it reports an error (EINTR, EIO): nothing to retry.
        }
        synchronized (this) {
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
        }
    }
}
