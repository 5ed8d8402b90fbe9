package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.OutputFile;
import dev.sandq.executor.OutputFiles;
import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@Fast
class OutputArchiveTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void filesThenTheEndRecord() throws Exception {
        OutputFiles files = OutputArchive.parse(bytes("F 3 5\na.txtabcF 0 13\nsub/empty.csvE 1\n"));
        assertEquals(2, files.files().size());
        OutputFile a = files.files().get(0);
        assertEquals("a.txt", a.path());
        assertEquals("abc", new String(a.content(), StandardCharsets.UTF_8));
        assertEquals("text/plain", a.mediaType());
        assertEquals("sub/empty.csv", files.files().get(1).path());
        assertTrue(files.truncated());
        assertFalse(OutputArchive.parse(bytes("E 0\n")).truncated());
        assertEquals(OutputFiles.NONE, OutputArchive.parse(new byte[0]), "nothing collected");
    }

    @Test
    void aNameThatIsNotUtf8IsLeftOutAndFlagged() throws Exception {
        OutputFiles files = OutputArchive.parse(bytes("F 1 2\n\u00ff\u00fexE 0\n"));
        assertEquals(0, files.files().size());
        assertTrue(files.truncated());
    }

    @Test
    void aCollectorFailureOrABrokenFileIsAFailure() {
        assertEquals("open the output file a: Input/output error", assertThrows(OutputArchive.CollectionFailed.class,
                () -> OutputArchive.parse(bytes("X 42\nopen the output file a: Input/output error"))).getMessage());
        assertThrows(OutputArchive.CollectionFailed.class, () -> OutputArchive.parse(bytes("F 3 5\na.txtabc")));
        assertThrows(OutputArchive.CollectionFailed.class, () -> OutputArchive.parse(bytes("F 99 5\na.txtabcE 0\n")));
        assertThrows(OutputArchive.CollectionFailed.class, () -> OutputArchive.parse(bytes("E 0\nF")));
        assertThrows(OutputArchive.CollectionFailed.class, () -> OutputArchive.parse(bytes("Q\n")));
    }
}
