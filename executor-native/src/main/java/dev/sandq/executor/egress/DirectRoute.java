package dev.sandq.executor.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.function.Consumer;

/** The worker connects to the checked address itself (no upstream proxy configured). */
final class DirectRoute implements Route {
    static final DirectRoute INSTANCE = new DirectRoute();

    private DirectRoute() {
    }

    @Override
    public Optional<String> refusal(InetAddress address) {
        return Optional.empty();
    }

    @Override
    public Opened open(Destination destination, InetAddress address, Consumer<Socket> track) throws Failure {
        Socket socket = new Socket();
        track.accept(socket);
        try {
            socket.connect(new InetSocketAddress(address, destination.port()), (int) EgressProxy.CONNECT_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new Opened(socket, new byte[0]);
        } catch (SocketTimeoutException e) {
            close(socket);
            throw Failure.timeout("connecting to " + destination.authority() + " timed out after "
                    + EgressProxy.CONNECT_TIMEOUT.toSeconds() + " s", true);
        } catch (IOException e) {
            close(socket);
            throw Failure.badGateway("cannot connect to " + destination.authority() + ": " + e.getMessage(), true);
        }
    }

    static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // failed already; nothing more to do
        }
    }
}
