package dev.sandq.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@Fast
class ResultFrameTest {
    private final ResultFrame frame = new ResultFrame("0123456789abcdef0123456789abcdef");

    @Test
    void frameIsCutOutOfStdoutLeavingWhatTheProgramPrinted() {
        var found = frame.find("before" + frame.frame("{\"result\":1}") + "after").orElseThrow();
        assertEquals("{\"result\":1}", found.body());
        assertEquals("beforeafter", found.stdoutWithout());
    }

    @Test
    void aFrameWithAnotherNonceOrWithoutItsEndIsNotAResult() {
        ResultFrame other = new ResultFrame("f".repeat(32));
        assertTrue(frame.find(other.frame("{\"result\":1}")).isEmpty());
        String cut = frame.frame("{\"result\":1}");
        assertTrue(frame.find(cut.substring(0, cut.length() - 3)).isEmpty());
    }

    @Test
    void headerIsFixedSizeAndCarriesTheNonceAndPayloadLength() {
        byte[] stdin = frame.stdinPrefix("{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("SANDQ1 0123456789abcdef0123456789abcdef 0000000002\n{}",
                new String(stdin, StandardCharsets.US_ASCII));
        assertEquals(ResultFrame.HEADER_BYTES + 2, stdin.length);
    }

    @Test
    void noncesAreRandomAndValidated() {
        assertNotEquals(ResultFrame.random().nonce(), ResultFrame.random().nonce());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResultFrame("xyz"));
        assertTrue(e.getMessage().contains("xyz"));
    }
}
