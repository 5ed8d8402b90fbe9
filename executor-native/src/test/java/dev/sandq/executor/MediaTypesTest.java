package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@Fast
class MediaTypesTest {
    private static String of(String name, String text) {
        return MediaTypes.of(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryFormatsByTheirSignatureWhateverTheName() {
        assertEquals("image/png", MediaTypes.of("x.txt", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0}));
        assertEquals("image/jpeg", MediaTypes.of("x", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertEquals("application/pdf", of("report", "%PDF-1.7\n"));
        assertEquals("application/octet-stream", MediaTypes.of("a.csv", new byte[] {0, 1, 2, (byte) 0xFE}));
        assertEquals("text/plain", MediaTypes.of("a.png", new byte[] {'P', 'N', 'G'}), "a name never makes text an image");
    }

    @Test
    void textFormatsByTheirContent() {
        assertEquals("image/svg+xml", of("x", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        assertEquals("image/svg+xml", of("x", "<svg></svg>"));
        assertEquals("application/json", of("x", " {\"a\": [1, 2]}\n"));
        assertEquals("text/plain", of("x", "{not json"));
        assertEquals("text/csv", of("x", "a,b,c\n1,2,3\n"));
        assertEquals("text/csv", of("x.csv", "one column\n1\n"));
        assertEquals("text/plain", of("x", "hello, world\nno commas here\n"));
        assertEquals("text/plain", of("notes.md", "# title\n"));
    }
}
