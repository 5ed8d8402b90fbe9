package dev.sandq.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class StagesHeaderTest {
    @Test
    void stagesRoundTripInOrder() {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("polled", 0L);
        stages.put("parsed", 120L);
        stages.put("some_later_stage", 9_000L);
        byte[] value = StagesHeader.format(stages);
        assertArrayEquals("polled=0,parsed=120,some_later_stage=9000".getBytes(StandardCharsets.US_ASCII), value);
        Map<String, Long> back = StagesHeader.parse(value);
        assertEquals(stages, back);
        assertEquals(List.of("polled", "parsed", "some_later_stage"), List.copyOf(back.keySet()));
    }

    @Test
    void anEmptyHeaderHasNoStages() {
        assertEquals(Map.of(), StagesHeader.parse(new byte[0]));
    }

    @Test
    void aMalformedHeaderIsRefusedNamingThePair() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StagesHeader.parse("polled=0,parsed".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not name=micros: 'parsed' in sandq_stages 'polled=0,parsed'", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StagesHeader.parse("polled=x".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theStagesHaveTheirWireNamesInOrder() {
        assertEquals(List.of("polled", "parsed", "slot_acquired", "sandbox_ready", "started", "exited", "result_read",
                        "produced", "acknowledged", "committed"),
                java.util.Arrays.stream(JobStage.values()).map(JobStage::wireName).toList());
    }
}
