package dev.sandq.wire;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code sandq_stages} header of a reply record: the stages the job passed before its reply
 * was sent, in order, each as {@code name=micros}, microseconds since {@link JobStage#POLLED},
 * comma-separated: {@code polled=0,parsed=180,slot_acquired=260,sandbox_ready=300,started=1210,
 * exited=2400,result_read=2550}. Stages the job did not reach are left out (a rejected job has
 * polled and parsed only). Informative: the result JSON is the contract, and a reader should
 * ignore names it does not know.
 */
public final class StagesHeader {
    public static final String NAME = WireHeaders.STAGES;

    private StagesHeader() {
    }

    /** The header's value for stages given in order, as microseconds since polled. */
    public static byte[] format(Map<String, Long> microsSincePolled) {
        StringJoiner value = new StringJoiner(",");
        microsSincePolled.forEach((name, micros) -> value.add(name + "=" + micros));
        return value.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The stages of a header's value, in its order.
     *
     * @throws IllegalArgumentException when it is not a list of {@code name=micros}
     */
    public static Map<String, Long> parse(byte[] value) {
        String text = new String(value, StandardCharsets.US_ASCII);
        Map<String, Long> stages = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return stages;
        }
        for (String pair : text.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not name=micros: '" + pair + "' in " + NAME + " '" + text + "'");
            }
            try {
                stages.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number of microseconds: '" + pair + "' in " + NAME + " '"
                        + text + "'", e);
            }
        }
        return stages;
    }
}
