package dev.sandq.executor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An output file's media type, recognised from its content, the name only telling text formats
 * apart: PNG, JPEG, PDF and GIF by their signatures; SVG, JSON, CSV and plain text when the bytes are
 * UTF-8 text (SVG by its root element, JSON by parsing it, CSV by its name or its lines);
 * {@code application/octet-stream} for anything else. A name never makes binary content text.
 */
public final class MediaTypes {
    public static final String OCTET_STREAM = "application/octet-stream";
    /** How much of a text file is looked at to tell SVG, JSON and CSV apart. */
    private static final int SNIFF_CHARS = 64 * 1024;

    private MediaTypes() {
    }

    public static String of(String path, byte[] content) {
        if (startsWith(content, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(content, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(content, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (startsWith(content, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        String text = utf8(content);
        if (text == null) {
            return OCTET_STREAM;
        }
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String head = text.length() > SNIFF_CHARS ? text.substring(0, SNIFF_CHARS) : text;
        String trimmed = head.stripLeading();
        if (isSvg(trimmed)) {
            return "image/svg+xml";
        }
        if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && isJson(text)) {
            return "application/json";
        }
        if (name.endsWith(".csv") || looksLikeCsv(head)) {
            return "text/csv";
        }
        return "text/plain";
    }

    private static boolean isSvg(String trimmed) {
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("<")) {
            return false;
        }
        int svg = lower.indexOf("<svg");
        return svg >= 0 && (lower.startsWith("<svg") || lower.startsWith("<?xml") || lower.startsWith("<!doctype svg")
                || lower.startsWith("<!--"));
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static boolean isJson(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            while (parser.nextToken() != null) {
                // every token must parse: a document with trailing garbage is not JSON
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** At least two lines, each with the same number (at least one) of commas. */
    private static boolean looksLikeCsv(String head) {
        String[] lines = head.split("\r?\n");
        int checked = 0;
        int commas = -1;
        for (int i = 0; i < lines.length && checked < 20; i++) {
            if (i == lines.length - 1 && head.length() == SNIFF_CHARS) {
                break; // cut off mid-line
            }
            if (lines[i].isEmpty()) {
                continue;
            }
            int n = (int) lines[i].chars().filter(c -> c == ',').count();
            if (n == 0 || commas >= 0 && n != commas) {
                return false;
            }
            commas = n;
            checked++;
        }
        return checked >= 2;
    }

    private static boolean startsWith(byte[] content, int... signature) {
        if (content.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((content[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** The content as text when it is UTF-8 with no NUL and no other control character than tab, CR, LF and FF. */
    private static String utf8(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f) {
                return null;
            }
        }
        return text;
    }
}
