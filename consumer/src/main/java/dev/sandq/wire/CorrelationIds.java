package dev.sandq.wire;

import java.nio.charset.CharacterCodingException;
import java.util.Base64;

/** How the opaque bytes of kafka_correlationId appear in the result document's correlation_id. */
public final class CorrelationIds {
    public static final String BASE64_PREFIX = "base64:";

    private CorrelationIds() {
    }

    /** Valid UTF-8 without control characters as is; anything else as "base64:" + base64; null as null. */
    public static String toText(byte[] correlationId) {
        if (correlationId == null) {
            return null;
        }
        try {
            String text = JobParser.strictUtf8(correlationId);
            if (text.chars().noneMatch(Character::isISOControl)) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // binary id (Spring's ReplyingKafkaTemplate uses 16 raw UUID bytes)
        }
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(correlationId);
    }
}
