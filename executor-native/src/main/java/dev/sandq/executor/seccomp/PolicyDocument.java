package dev.sandq.executor.seccomp;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One policy file under {@code sandq/seccomp/} as written (see README.md there). Every field
 * is optional; {@link PolicyAssembler} decides which file may set what.
 */
record PolicyDocument(String comment,
                      @JsonProperty("default_action") String defaultAction,
                      List<String> allow,
                      Map<String, String> errno,
                      List<RuleEntry> rules,
                      List<String> never,
                      SocketEntry socket) {

    record RuleEntry(String syscall, String action, String errno, List<ArgEntry> args, String otherwise, String why) {}

    record ArgEntry(Integer index, String op, String mask, String value) {}

    record SocketEntry(@JsonProperty("family_errno") String familyErrno,
                       @JsonProperty("type_errno") String typeErrno,
                       List<FamilyEntry> families) {}

    record FamilyEntry(String family, List<String> types, List<String> protocols) {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    PolicyDocument {
        allow = allow == null ? List.of() : List.copyOf(allow);
        errno = errno == null ? Map.of() : Map.copyOf(errno);
        rules = rules == null ? List.of() : List.copyOf(rules);
        never = never == null ? List.of() : List.copyOf(never);
    }

    /** Reads a classpath resource; a missing or malformed file is an error naming it. */
    static PolicyDocument read(String resource) {
        try (InputStream in = PolicyDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("seccomp policy file " + resource + " is not on the classpath");
            }
            return MAPPER.readValue(in, PolicyDocument.class);
        } catch (IOException e) {
            throw new UncheckedIOException("seccomp policy file " + resource + " is malformed: " + e.getMessage(), e);
        }
    }
}
