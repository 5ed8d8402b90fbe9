package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What queue mode needs of its cluster and takes from its share group. */
@Fast
class ShareGroupSettingsTest {

    @Test
    void queueModeRefusesAClusterWithShareGroupsOffSayingWhatToDo() {
        String problem = ShareGroupSettings.shareGroupsOff((short) 0);
        assertTrue(problem.contains("share.version 0") && problem.contains("kafka-features.sh upgrade --feature "
                + "share.version=1") && problem.contains("another --delivery"), problem);
        assertNull(ShareGroupSettings.shareGroupsOff((short) 1));
        assertNull(ShareGroupSettings.shareGroupsOff((short) 2));
    }

    @Test
    void settingsAreValidatedWithTheBadValueInTheMessage() {
        assertEquals("deliveryLimit must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> new ShareGroupSettings(0, Duration.ofSeconds(30))).getMessage());
        assertEquals("lockDuration must be a positive duration, got PT0S", assertThrows(IllegalArgumentException.class,
                () -> new ShareGroupSettings(5, Duration.ZERO)).getMessage());
    }
}
