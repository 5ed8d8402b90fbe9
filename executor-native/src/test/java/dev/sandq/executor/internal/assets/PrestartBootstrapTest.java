package dev.sandq.executor.internal.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame a prestarted sandbox reads its job from (prestart/python3.py, prestart/nodejs.js read it back). */
@Fast
class PrestartBootstrapTest {
    @Test
    void lengthsAreTwelveZeroPaddedDigits() {
        assertEquals("000000000000", ascii(PrestartBootstrap.lengthDigits(0)));
        assertEquals("000000001234", ascii(PrestartBootstrap.lengthDigits(1234)));
        assertEquals("002147483647", ascii(PrestartBootstrap.lengthDigits(Integer.MAX_VALUE)));
    }

    @Test
    void aFrameIsTheCodeTheManifestThenStdin() {
        byte[] frame = PrestartBootstrap.frame("print('é')", List.of(), "in".getBytes(StandardCharsets.UTF_8));
        assertEquals("000000000011print('é')000000000000in", new String(frame, StandardCharsets.UTF_8));
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
