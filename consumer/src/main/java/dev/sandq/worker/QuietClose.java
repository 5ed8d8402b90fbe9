package dev.sandq.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing at shutdown: a failure to close one thing is logged and does not keep the others open. */
final class QuietClose {
    private static final Logger LOG = LoggerFactory.getLogger(QuietClose.class);

    private QuietClose() {
    }

    static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("close failed: {}", e.toString());
        }
    }
}
