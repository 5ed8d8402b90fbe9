package dev.sandq.modes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.wire.JobMode;
import dev.sandq.wire.JobRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The program the sandbox runs for a job, and how its result is read back.
 *
 * <ul>
 *   <li>script: the preload, a newline, then the code, run as they are.</li>
 *   <li>function / template: a fixed harness (resources sandq/modes/function.py, function.js)
 *       is the program; code, preload and inputs reach it as JSON on standard input behind a
 *       per-job nonce (see {@link ResultFrame}), the job's own stdin after them. The harness runs
 *       the preload, then the code (or renders the Jinja2 template), all in the one sandboxed
 *       process the launcher execs, under the job's seccomp filter: preload gets no other
 *       privileges than the code. Python runs preload and code in one namespace (the code sees
 *       the preload's names); Node runs each as its own CommonJS module (share through
 *       {@code globalThis}).</li>
 * </ul>
 *
 * @param frame null in script mode
 */
public record JobProgram(Job job, JobMode mode, ResultFrame frame) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PYTHON_HARNESS = resource("function.py");
    private static final String NODE_HARNESS = resource("function.js");

    /** What the program produced: the result with the frame cut out of stdout, and the value (or null). */
    public record Extracted(Result result, JsonNode value) {
    }

    public static JobProgram of(JobRequest request) {
        return of(request, request.stdin().getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #of(JobRequest)}, with the program's standard input as raw bytes (`sandq exec --stdin`). */
    public static JobProgram of(JobRequest request, byte[] userStdin) {
        if (request.mode() == JobMode.SCRIPT) {
            String source = request.preload().isEmpty() ? request.code() : request.preload() + "\n" + request.code();
            return new JobProgram(new Job(request.language(), source, userStdin, request.limits(),
                    request.enableNetwork(), request.files()), JobMode.SCRIPT, null);
        }
        Language language = request.mode() == JobMode.TEMPLATE ? Language.PYTHON3 : request.language();
        ObjectNode payload = MAPPER.createObjectNode();
        payload.put("mode", request.mode().wireName());
        payload.put("code", request.code());
        payload.put("preload", request.preload());
        payload.set("inputs", request.inputs());
        ResultFrame frame = ResultFrame.random();
        byte[] prefix = frame.stdinPrefix(bytes(payload));
        byte[] stdin = new byte[prefix.length + userStdin.length];
        System.arraycopy(prefix, 0, stdin, 0, prefix.length);
        System.arraycopy(userStdin, 0, stdin, prefix.length, userStdin.length);
        String harness = language == Language.PYTHON3 ? PYTHON_HARNESS : NODE_HARNESS;
        // A template's harness imports Jinja2: the sandbox may have it warm for the jobs to come.
        Set<String> imports = request.mode() == JobMode.TEMPLATE ? Set.of("jinja2") : Set.of();
        return new JobProgram(new Job(language, harness, stdin, request.limits(), request.enableNetwork(),
                request.files(), imports), request.mode(), frame);
    }

    /** The program of every Python function and template job: the sandbox may compile it once for them all. */
    public static String pythonHarness() {
        return PYTHON_HARNESS;
    }

    /**
     * Reads the harness's frame out of the sandbox's result. A value comes back only when the
     * program ended ok; a harness error sentence (missing main, bad return value, syntax error)
     * makes the status error; a job that ended ok without a frame (it exited early or closed its
     * stdout) is an error too. Timeouts, limits and denied syscalls keep their status.
     */
    public Extracted extract(Result r) {
        if (frame == null) {
            return new Extracted(r, null);
        }
        Optional<ResultFrame.Found> found = frame.find(r.stdout());
        if (found.isEmpty()) {
            if (r.status() != Status.OK) {
                return new Extracted(r, null);
            }
            return new Extracted(withError(r, r.stdout(), Status.ERROR, r.stdoutTruncated()
                    ? "The output limit was reached before the result could be written."
                    : "The program ended before " + (mode == JobMode.TEMPLATE ? "the template was rendered"
                            : "main returned") + " (it exited early or closed its standard output)."), null);
        }
        String rest = found.get().stdoutWithout();
        JsonNode body;
        try {
            body = MAPPER.readTree(found.get().body());
        } catch (JsonProcessingException e) {
            return new Extracted(withError(r, rest, Status.ERROR, "The harness wrote a result that is not JSON."), null);
        }
        if (body.hasNonNull("error")) {
            Status status = r.status() == Status.OK || r.status() == Status.ERROR ? Status.ERROR : r.status();
            String sentence = status == Status.ERROR ? body.get("error").asText() : r.error();
            return new Extracted(withError(r, rest, status, sentence), null);
        }
        Result cleaned = new Result(r.status(), r.exitCode(), r.signal(), rest, r.stderr(), r.stdoutTruncated(),
                r.stderrTruncated(), r.error(), r.usage(), r.timeline(), r.outputs());
        return new Extracted(cleaned, r.status() == Status.OK ? body.get("result") : null);
    }

    private static Result withError(Result r, String stdout, Status status, String error) {
        return new Result(status, r.exitCode(), r.signal(), stdout, r.stderr(), r.stdoutTruncated(),
                r.stderrTruncated(), error, r.usage(), r.timeline(), r.outputs());
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = JobProgram.class.getResourceAsStream("/sandq/modes/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the harness resource sandq/modes/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the harness sandq/modes/" + name, e);
        }
    }
}
