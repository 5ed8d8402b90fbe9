package dev.sandq.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Fast
class ResultsFileTest {
    @TempDir
    Path dir;

    @Test
    void eachResultIsOneLineAndAppendingKeepsTheEarlierOnes() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (ResultsFile f = ResultsFile.open(file, false)) {
            f.write("{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        }
        try (ResultsFile f = ResultsFile.open(file, true)) {
            f.write("{\"id\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", Files.readString(file));
        assertEquals(Set.of("a", "b"), ResultsFile.answeredIds(file).ids());
    }

    @Test
    void aHalfWrittenLastLineIsCutOffAndItsJobCountsAsUnanswered() throws Exception {
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"sta");
        ResultsFile.Answered answered = ResultsFile.answeredIds(file);
        assertEquals(Set.of("a", "b"), answered.ids());
        assertTrue(answered.cutPartialLine());
        assertEquals("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", Files.readString(file));
    }

    @Test
    void linesWithoutAReadableIdAreCounted() throws Exception {
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, "{\"id\":\"a\"}\nnot json\n{\"id\":null}\n\n");
        ResultsFile.Answered answered = ResultsFile.answeredIds(file);
        assertEquals(Set.of("a"), answered.ids());
        assertEquals(2, answered.unreadableLines());
        assertFalse(answered.cutPartialLine());
    }

    @Test
    void noFileMeansNothingAnswered() throws Exception {
        assertEquals(Set.of(), ResultsFile.answeredIds(dir.resolve("none.jsonl")).ids());
    }
}
