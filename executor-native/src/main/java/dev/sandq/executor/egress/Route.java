package dev.sandq.executor.egress;

import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the egress proxy reaches an address it has already checked: {@link DirectRoute} connects
 * to it, {@link UpstreamRoute} has the operator's HTTP proxy connect to it. Either way the
 * address is the one the policy allowed; a route never resolves the job's names again.
 */
sealed interface Route permits DirectRoute, UpstreamRoute {

    /**
     * An open connection to the destination.
     *
     * @param socket the connection (to the destination, or a tunnel through the upstream)
     * @param early  bytes the destination already sent, read past the upstream's answer (mostly none)
     */
    record Opened(Socket socket, byte[] early) {
        public Opened {
            early = early.clone();
        }

        @Override
        public byte[] early() {
            return early.clone();
        }
    }

    /** Why this route must not carry a job to this address (it is the upstream proxy itself), or empty. */
    Optional<String> refusal(InetAddress address);

    /**
     * Connects to {@code address} at the destination's port for a job.
     *
     * @param destination what the job asked for (for messages; its port is the one connected to)
     * @param track       told of each socket as soon as it exists, so that closing the proxy can close it
     * @throws Failure what the job is answered instead
     */
    Opened open(Destination destination, InetAddress address, Consumer<Socket> track) throws Failure;

    /** Why no connection was made: an HTTP status and one line for the job (and the log). */
    final class Failure extends Exception {
        private final int status;
        private final String phrase;
        private final boolean anotherAddressMayWork;

        Failure(int status, String phrase, String message, boolean anotherAddressMayWork) {
            super(message);
            this.status = status;
            this.phrase = phrase;
            this.anotherAddressMayWork = anotherAddressMayWork;
        }

        static Failure badGateway(String message, boolean anotherAddressMayWork) {
            return new Failure(502, "Bad Gateway", message, anotherAddressMayWork);
        }

        static Failure timeout(String message, boolean anotherAddressMayWork) {
            return new Failure(504, "Gateway Timeout", message, anotherAddressMayWork);
        }

        int status() {
            return status;
        }

        String phrase() {
            return phrase;
        }

        /** The destination's next address may fare better (this one was unreachable, not refused). */
        boolean anotherAddressMayWork() {
            return anotherAddressMayWork;
        }
    }
}
