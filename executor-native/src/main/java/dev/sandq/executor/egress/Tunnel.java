package dev.sandq.executor.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes both ways between a job's connection and its destination, until both directions end.
 * An end of one direction is passed on as a half-close; an error in either closes both. A
 * tunnel silent both ways for the idle timeout is closed (a job that ended leaves nothing behind).
 */
final class Tunnel {
    private static final int BUFFER = 16 * 1024;

    private final SocketChannel client;
    private final Socket upstream;
    private final ExecutorService threads;
    private final long idleNanos;
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    Tunnel(SocketChannel client, Socket upstream, ExecutorService threads, Duration idle) {
        this.client = client;
        this.upstream = upstream;
        this.threads = threads;
        this.idleNanos = idle.toNanos();
    }

    /** Returns when both directions have ended; the caller closes both sides. */
    void run() throws IOException {
        upstream.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(idleNanos).toMillis()));
        Future<?> down;
        try {
            down = threads.submit(this::downstream);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            closeBoth(); // the proxy is closing
            return;
        }
        try {
            upstreamDirection();
        } catch (IOException e) {
            closeBoth();
        }
        try {
            down.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeBoth();
        } catch (ExecutionException e) {
            closeBoth();
        }
    }

    /** Job → destination. */
    private void upstreamDirection() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        OutputStream out = upstream.getOutputStream();
        while (client.read(buf) >= 0) {
            lastActivity.set(System.nanoTime());
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        if (!upstream.isClosed()) {
            upstream.shutdownOutput();
        }
    }

    /** Destination → job. */
    private void downstream() {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream in = upstream.getInputStream();
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException silent) {
                    if (System.nanoTime() - lastActivity.get() >= idleNanos) {
                        closeBoth();
                        return;
                    }
                    continue;
                }
                if (n < 0) {
                    break;
                }
                lastActivity.set(System.nanoTime());
                ByteBuffer out = ByteBuffer.wrap(buf, 0, n);
                while (out.hasRemaining()) {
                    client.write(out);
                }
            }
            client.shutdownOutput();
        } catch (IOException e) {
            closeBoth();
        }
    }

    private void closeBoth() {
        try {
            upstream.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
        try {
            client.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }
}
