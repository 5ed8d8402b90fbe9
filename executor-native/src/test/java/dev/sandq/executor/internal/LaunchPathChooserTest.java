package dev.sandq.executor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.LaunchPath;
import dev.sandq.testing.Fast;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class LaunchPathChooserTest {

    private static Duration ms(double millis) {
        return Duration.ofNanos(Math.round(millis * 1e6));
    }

    @Test
    void theCheapestPathWinsWhenTheWarmerOnesCostMore() {
        assertEquals(LaunchPath.FRESH, LaunchPathChooser.cheapestWithMargin(Map.of(
                LaunchPath.FRESH, ms(10), LaunchPath.PRESTARTED, ms(11.5), LaunchPath.ZYGOTE, ms(14))));
        assertEquals(LaunchPath.PRESTARTED, LaunchPathChooser.cheapestWithMargin(Map.of(
                LaunchPath.FRESH, ms(12), LaunchPath.PRESTARTED, ms(10), LaunchPath.ZYGOTE, ms(11.5))));
    }

    @Test
    void aWarmerPathWithinTenPercentOfTheCheapestWinsForItsLatency() {
        assertEquals(LaunchPath.ZYGOTE, LaunchPathChooser.cheapestWithMargin(Map.of(
                LaunchPath.FRESH, ms(10), LaunchPath.PRESTARTED, ms(10.5), LaunchPath.ZYGOTE, ms(10.9))));
        assertEquals(LaunchPath.PRESTARTED, LaunchPathChooser.cheapestWithMargin(Map.of(
                LaunchPath.FRESH, ms(60), LaunchPath.PRESTARTED, ms(64))));
    }
}
