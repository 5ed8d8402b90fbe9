package dev.sandq.executor.internal.launch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
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
    private static final int CHUNK = 64 * 1024;

    private final int fd;
    private final String what;
    private int callsUnderWay;
    private boolean closeRequested;
    private boolean released;

    OwnedFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Reads it to its end of file, chunk by chunk. */
    InputStream inputStream() {
        return new InputStream() {
            private final Memory buffer = new Memory(CHUNK);

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
                int n = (int) call(buffer, Math.min(len, CHUNK), false);
                if (n <= 0) {
                    return -1;
                }
                buffer.read(0, b, off, n);
                return n;
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
            private final Memory buffer = new Memory(CHUNK);

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int chunk = Math.min(len, CHUNK);
                    buffer.write(0, b, off, chunk);
                    int done = 0;
                    while (done < chunk) {
                        done += (int) call(buffer.share(done), chunk - done, true);
                    }
                    off += chunk;
                    len -= chunk;
                }
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

    private long call(Pointer buffer, int count, boolean write) throws IOException {
        return use(number -> {
            while (true) {
                try {
                    return write ? ZygoteClient.Libc.INSTANCE.write(number, buffer, count)
                            : ZygoteClient.Libc.INSTANCE.read(number, buffer, count);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != ZygoteClient.EINTR) {
                        throw new IOException((write ? "write " : "read ") + what + ": errno " + e.getErrorCode(), e);
                    }
                }
            }
        });
    }

    private synchronized void begin() throws IOException {
        if (closeRequested) {
            throw new IOException(what + " is closed");
        }
        callsUnderWay++;
    }

    private void end() {
        boolean release;
        synchronized (this) {
            callsUnderWay--;
            release = closeRequested && callsUnderWay == 0 && !released;
            released |= release;
        }
        if (release) {
            release();
        }
    }

    /** Closes it now, or as soon as the read or write under way returns. */
    void close() {
        boolean release;
        synchronized (this) {
            closeRequested = true;
            release = callsUnderWay == 0 && !released;
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
    }
}
