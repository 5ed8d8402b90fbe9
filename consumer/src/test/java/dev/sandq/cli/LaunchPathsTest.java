package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
import dev.sandq.testing.Fast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class LaunchPathsTest {

    @Test
    void aPathForOneLanguageOrForBoth() {
        assertEquals(Map.of(Language.PYTHON3, LaunchPath.ZYGOTE), LaunchPaths.parse(List.of("python3:zygote")));
        assertEquals(Map.of(Language.PYTHON3, LaunchPath.FRESH, Language.NODEJS, LaunchPath.FRESH),
                LaunchPaths.parse(List.of("fresh")));
        assertEquals(Map.of(Language.PYTHON3, LaunchPath.ZYGOTE, Language.NODEJS, LaunchPath.PRESTARTED),
                LaunchPaths.parse(List.of("prestarted", "python3:zygote")), "a later entry wins for its language");
        assertEquals(Map.of(), LaunchPaths.parse(List.of()));
    }

    @Test
    void aBadEntryIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LaunchPaths.parse(List.of("ruby:fresh")))
                .getMessage().contains("'ruby'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LaunchPaths.parse(List.of("python3:warm")))
                .getMessage().contains("'warm'"));
    }
}
