package dev.sandq.executor.corpus;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UNIX socket on the host, open to everyone, that no job may reach (jobs get a fresh root
 * without /run): the corpus's AF_UNIX cases try it, and it counts every connection it accepts.
 */
final class HostProbeSocket implements AutoCloseable {
    static final Path PATH = Path.of("/run/sandq-corpus-probe.sock");

    private final ServerSocketChannel channel;
    private final AtomicInteger connections = new AtomicInteger();

    private HostProbeSocket(ServerSocketChannel channel) {
        this.channel = channel;
    }

    static HostProbeSocket open() throws IOException {
        Files.deleteIfExists(PATH);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(PATH));
        Files.setPosixFilePermissions(PATH, PosixFilePermissions.fromString("rwxrwxrwx"));
        HostProbeSocket probe = new HostProbeSocket(channel);
        Thread acceptor = new Thread(probe::acceptUntilClosed, "corpus-host-probe");
        acceptor.setDaemon(true);
        acceptor.start();
        return probe;
    }

    int connections() {
        return connections.get();
    }

    private void acceptUntilClosed() {
        while (channel.isOpen()) {
            try {
                SocketChannel accepted = channel.accept();
                connections.incrementAndGet();
                accepted.close();
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(PATH);
    }
}
