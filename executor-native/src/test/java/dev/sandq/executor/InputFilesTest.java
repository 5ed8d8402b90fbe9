package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Fast
class InputFilesTest {
    private static final FileLimits LIMITS = new FileLimits(3, 10, 1, 1);

    private static InputFile file(String path, String content) {
        return new InputFile(path, content.getBytes(StandardCharsets.UTF_8), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/passwd", "a/../../x", "a//b", "a/", "./a", "a/.", "", "output/chart.png",
        "output", "new\nline", "nul\0byte"})
    void aBadPathIsRefusedNamingIt(String path) {
        Optional<String> problem = InputFiles.problem(List.of(file(path, "x")), LIMITS);
        assertTrue(problem.isPresent(), path);
        assertTrue(problem.get().startsWith("The input file path '"), problem.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"main.py", "data/input.csv", "a/b/c/d.txt", ".hidden", "with space.txt", "ünï.txt",
        "outputs/x", "..dots"})
    void aPlainRelativePathIsWritten(String path) {
        assertEquals(Optional.empty(), InputFiles.problem(List.of(file(path, "x")), LIMITS));
    }

    @Test
    void duplicatesAndAFileThatIsAlsoADirectoryAreRefused() {
        assertEquals(Optional.of("The input file path 'a' is given twice."),
                InputFiles.problem(List.of(file("a", "1"), file("a", "2")), LIMITS));
        assertEquals(Optional.of("The input file path 'a' is also the directory of another input file."),
                InputFiles.problem(List.of(file("a", "1"), file("a/b", "2")), LIMITS));
    }

    @Test
    void theCountAndTheBytesAreBounded() {
        assertEquals(Optional.of("The job has 4 input files, over the limit of 3."),
                InputFiles.problem(List.of(file("a", ""), file("b", ""), file("c", ""), file("d", "")), LIMITS));
        assertEquals(Optional.of("The input files are over the limit of 10 bytes together (at 'b', 11 bytes)."),
                InputFiles.problem(List.of(file("a", "123456"), file("b", "12345")), LIMITS));
    }
}
