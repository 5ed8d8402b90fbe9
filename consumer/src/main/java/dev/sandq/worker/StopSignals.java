package dev.sandq.worker;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a stop request instead of the JVM's default (run the shutdown
 * hooks and exit 143/130): the first signal calls {@code onStop} and lets the caller finish and
 * choose the exit code; a second one ends the process at once with 130, for a user who does
 * not want to wait for the drain.
 */
public final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    public static void install(Runnable onStop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() == 1) {
                    LOG.info("SIG{} received: stopping (send it again to exit at once)", signal.getName());
                    onStop.run();
                } else {
                    LOG.warn("SIG{} received again: exiting without draining", signal.getName());
                    Runtime.getRuntime().halt(130);
                }
            });
        }
    }
}
