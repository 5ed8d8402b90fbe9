package dev.sandq.gateway;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's fields read as DifySandbox reads them (its controller's BindRequest over gin 1.10's
 * binders), so that what it accepts, and how it answers what it refuses, is the same:
 *
 * <ul>
 *   <li>Content-Type exactly {@code application/json} (what Dify sends): the body is JSON; a body
 *       that cannot be bound is answered HTTP 400 (gin's BindJSON writes the status first), code
 *       -400;</li>
 *   <li>any other Content-Type: a JSON body for {@code application/json; charset=...}, a form for
 *       {@code application/x-www-form-urlencoded} (body, then the query string) and
 *       {@code multipart/form-data}, and the query string alone otherwise (GET included); a request
 *       that cannot be bound is answered HTTP 200, code -400;</li>
 *   <li>after binding, required fields that are missing or empty are reported in the validator's
 *       words ({@code Key: 'Language' Error:Field validation for 'Language' failed on the 'required'
 *       tag}, one line each).</li>
 * </ul>
 *
 * Unknown fields are ignored, JSON {@code null} is the zero value, and what follows the first JSON
 * value is ignored, as Go's decoder does. The wording of JSON syntax errors is Jackson's, not Go's.
 */
final class DifyBinding {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";

    /** A field of the request: its JSON and form name, its Go name (for messages), its type. */
    record Field(String name, String goName, boolean bool, boolean required) {
    }

    /** What binding gave: the fields' values (strings and booleans), or the -400 answer. */
    sealed interface Bound permits Values, Refused {
    }

    /** Each field's value: a String, or a Boolean for boolean fields; absent ones are "" and false. */
    record Values(Map<String, Object> values) implements Bound {
        String text(String name) {
            return (String) values.get(name);
        }

        boolean bool(String name) {
            return (Boolean) values.get(name);
        }
    }

    /** The request cannot be bound: answered with this HTTP status, code -400 and this message. */
    record Refused(int httpStatus, String message) implements Bound {
        DifyResponse response() {
            return DifyResponse.error(httpStatus, -400, message);
        }
    }

    private DifyBinding() {
    }

    static Bound bind(String method, String contentType, String rawQuery, byte[] body, List<Field> fields) {
        String header = contentType == null ? "" : contentType;
        if (header.equals(JSON)) {
            return validate(json(body, fields, 400), fields, 400);
        }
        String media = mediaType(header);
        Bound bound;
        if (method.equals("GET")) {
            bound = form(media.equals("application/x-www-form-urlencoded") ? body : new byte[0], rawQuery, fields);
        } else {
            bound = switch (media) {
                case JSON -> json(body, fields, 200);
                case "application/x-www-form-urlencoded" -> form(body, rawQuery, fields);
                case "multipart/form-data" -> multipart(header, body, fields);
                default -> form(new byte[0], rawQuery, fields);
            };
        }
        return validate(bound, fields, 200);
    }

    /** gin's filterFlags: the part before ';' or ' '. */
    private static String mediaType(String header) {
        String t = header.strip();
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ';' || t.charAt(i) == ' ') {
                return t.substring(0, i);
            }
        }
        return t;
    }

    private static Bound json(byte[] body, List<Field> fields, int status) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new Refused(status, "EOF");
        }
        JsonNode doc;
        try {
            doc = MAPPER.readTree(body);
        } catch (JsonParseException e) {
            return new Refused(status, "invalid JSON: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return new Refused(status, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Refused(status, "the request body could not be read: " + e.getMessage());
        }
        Map<String, Object> values = zeroValues(fields);
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
            return new Values(values);
        }
        if (!doc.isObject()) {
            return new Refused(status, "json: cannot unmarshal " + goKind(doc) + " into Go value of type struct { "
                    + structDescription(fields) + " }");
        }
        for (Field f : fields) {
            JsonNode v = doc.get(f.name());
            if (v == null || v.isNull()) {
                continue;
            }
            if (f.bool() ? !v.isBoolean() : !v.isTextual()) {
                return new Refused(status, "json: cannot unmarshal " + goKind(v) + " into Go struct field ."
                        + f.name() + " of type " + (f.bool() ? "bool" : "string"));
            }
            values.put(f.name(), f.bool() ? (Object) v.booleanValue() : v.textValue());
        }
        return new Values(values);
    }

    private static String goKind(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT, POJO -> "object";
            case BOOLEAN -> "bool";
            case NUMBER -> "number";
            case STRING, BINARY -> "string";
            default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String structDescription(List<Field> fields) {
        List<String> parts = new ArrayList<>();
        for (Field f : fields) {
            parts.add(f.goName() + " " + (f.bool() ? "bool" : "string") + " \"json:\\\"" + f.name() + "\\\" form:\\\""
                    + f.name() + "\\\"" + (f.required() ? " binding:\\\"required\\\"" : "") + "\"");
        }
        return String.join("; ", parts);
    }

    /** Form values: the body's first (urlencoded), then the query string's, the first of each name winning. */
    private static Bound form(byte[] body, String rawQuery, List<Field> fields) {
        Map<String, String> first = new LinkedHashMap<>();
        addPairs(new String(body, StandardCharsets.UTF_8), first);
        addPairs(rawQuery == null ? "" : rawQuery, first);
        return fromStrings(first, fields);
    }

    private static void addPairs(String encoded, Map<String, String> into) {
        if (encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("[&]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                into.putIfAbsent(key, value);
            } catch (IllegalArgumentException badEscape) {
                // Go's ParseQuery skips nothing but reports the error; the pair is unusable either way
            }
        }
    }

    private static Bound fromStrings(Map<String, String> given, List<Field> fields) {
        Map<String, Object> values = zeroValues(fields);
        for (Field f : fields) {
            String v = given.get(f.name());
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (f.bool()) {
                Boolean b = parseBool(v);
                if (b == null) {
                    return new Refused(200, "strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
                }
                values.put(f.name(), b);
            } else {
                values.put(f.name(), v);
            }
        }
        return new Values(values);
    }

    /** Go's strconv.ParseBool; null when {@code v} is none of its spellings. */
    static Boolean parseBool(String v) {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** multipart/form-data: each part named by its Content-Disposition; file parts are not fields. */
    private static Bound multipart(String header, byte[] body, List<Field> fields) {
        String boundary = null;
        for (String param : header.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = p.substring("boundary=".length());
                if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            return new Refused(200, "no multipart boundary param in Content-Type");
        }
        String text = new String(body, StandardCharsets.ISO_8859_1); // byte for byte; values re-decoded as UTF-8
        String delimiter = "--" + boundary;
        int at = text.indexOf(delimiter);
        if (at < 0) {
            return new Refused(200, "multipart: NextPart: EOF");
        }
        Map<String, String> values = new LinkedHashMap<>();
        while (true) {
            int partStart = at + delimiter.length();
            if (text.startsWith("--", partStart)) {
                break; // the closing delimiter
            }
            int headersStart = text.indexOf("\r\n", partStart);
            int headersEnd = headersStart < 0 ? -1 : text.indexOf("\r\n\r\n", headersStart);
            int next = headersEnd < 0 ? -1 : text.indexOf("\r\n" + delimiter, headersEnd + 4);
            if (next < 0) {
                return new Refused(200, "multipart: NextPart: EOF");
            }
            String headers = text.substring(headersStart + 2, headersEnd);
            String name = null;
            boolean file = false;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    name = dispositionParameter(line, "name");
                    file = dispositionParameter(line, "filename") != null;
                }
            }
            if (name != null && !file) {
                byte[] raw = text.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1);
                values.putIfAbsent(name, new String(raw, StandardCharsets.UTF_8));
            }
            at = next + 2;
        }
        return fromStrings(values, fields);
    }

    private static String dispositionParameter(String line, String parameter) {
        for (String p : line.substring(line.indexOf(':') + 1).split(";")) {
            String t = p.strip();
            if (t.startsWith(parameter + "=")) {
                String v = t.substring(parameter.length() + 1);
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static Map<String, Object> zeroValues(List<Field> fields) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : fields) {
            values.put(f.name(), f.bool() ? (Object) Boolean.FALSE : "");
        }
        return values;
    }

    /** The validator's 'required' errors, one line per field, in the struct's order. */
    private static Bound validate(Bound bound, List<Field> fields, int status) {
        if (!(bound instanceof Values v)) {
            return bound;
        }
        List<String> missing = new ArrayList<>();
        for (Field f : fields) {
            if (f.required() && !f.bool() && v.text(f.name()).isEmpty()) {
                missing.add("Key: '" + f.goName() + "' Error:Field validation for '" + f.goName()
                        + "' failed on the 'required' tag");
            }
        }
        return missing.isEmpty() ? bound : new Refused(status, String.join("\n", missing));
    }
}
