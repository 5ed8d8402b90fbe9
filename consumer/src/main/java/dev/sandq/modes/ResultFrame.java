package dev.sandq.modes;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The channel by which a harness reports main's value or the rendered template: a per-job
 * 128-bit nonce handed to the harness on standard input (never in the program file, its
 * arguments or its environment), and the frame the harness writes on stdout with it,
 * {@code "\n<<sandq-result NONCE>>" + JSON + "<</sandq-result NONCE>>\n"}.
 *
 * <p>What this guarantees: nothing a program prints — its own text, or data it echoes from its
 * inputs or the network — is taken as the result, because a frame needs the nonce, which was
 * read from stdin and consumed before any user code ran. What it cannot guarantee, and need
 * not: code that deliberately searches its own process memory for the nonce can write a frame,
 * but such code already decides its result by what main returns; it gains nothing.
 */
public record ResultFrame(String nonce) {
    /** Header bytes: "SANDQ1 " + 32 hex + " " + 10 digits + "\n". */
    static final int HEADER_BYTES = 51;
    private static final SecureRandom RANDOM = new SecureRandom();

    public ResultFrame {
        if (nonce == null || !nonce.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a nonce is 32 lowercase hex digits, got " + nonce);
        }
    }

    public static ResultFrame random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new ResultFrame(HexFormat.of().formatHex(bytes));
    }

    /** The stdin prefix: header, then the payload (the rest of stdin is the job's own). */
    byte[] stdinPrefix(byte[] payload) {
        byte[] header = String.format("SANDQ1 %s %010d\n", nonce, payload.length).getBytes(StandardCharsets.US_ASCII);
        if (header.length != HEADER_BYTES) {
            throw new IllegalStateException("header of " + header.length + " bytes: " + new String(header,
                    StandardCharsets.US_ASCII));
        }
        byte[] all = new byte[header.length + payload.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(payload, 0, all, header.length, payload.length);
        return all;
    }

    private String start() {
        return "\n<<sandq-result " + nonce + ">>";
    }

    private String end() {
        return "<</sandq-result " + nonce + ">>\n";
    }

    /** A frame found in stdout: its JSON body, and stdout with the frame cut out. */
    public record Found(String body, String stdoutWithout) {
    }

    /** The last complete frame in {@code stdout}, if any. */
    public Optional<Found> find(String stdout) {
        int at = stdout.lastIndexOf(start());
        if (at < 0) {
            return Optional.empty();
        }
        int bodyStart = at + start().length();
        int endAt = stdout.indexOf(end(), bodyStart);
        if (endAt < 0) {
            return Optional.empty();
        }
        return Optional.of(new Found(stdout.substring(bodyStart, endAt),
                stdout.substring(0, at) + stdout.substring(endAt + end().length())));
    }

    /** A frame as the harness writes it (for tests). */
    String frame(String body) {
        return start() + body + end();
    }
}
