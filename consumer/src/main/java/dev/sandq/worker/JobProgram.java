package dev.sandq.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.wire.JobMode;
import dev.sandq.wire.JobRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The program the sandbox runs for a job: the code as is (script mode), or wrapped so that
 * main's return value (function mode) or the rendered template (template mode) is printed after
 * a per-job marker line, from which {@link #extract} takes it back out of stdout.
 */
record JobProgram(Job job, String marker) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the program produced: the result without the marker line, and the value (or null). */
    record Extracted(Result result, JsonNode value) {
    }

    static JobProgram of(JobRequest request) {
        String marker = "--sandq-result-" + UUID.randomUUID() + "--";
        String inputs = json(request.inputs());
        String preload = request.preload().isEmpty() ? "" : request.preload() + "\n";
        String source = switch (request.mode()) {
            case SCRIPT -> preload + request.code();
            case FUNCTION -> request.language() == Language.PYTHON3
                    ? preload + request.code() + "\n\n"
                      + "import json as __sandq_json, sys as __sandq_sys\n"
                      + "__sandq_value = main(**__sandq_json.loads(" + json(inputs) + "))\n"
                      + "__sandq_sys.stdout.write('\\n' + " + json(marker) + " + __sandq_json.dumps(__sandq_value) + '\\n')\n"
                    : preload + request.code() + "\n;\n"
                      + "(async () => { const __sandq_value = await main(" + inputs + ");\n"
                      + "  process.stdout.write('\\n' + " + json(marker)
                      + " + JSON.stringify(__sandq_value === undefined ? null : __sandq_value) + '\\n'); })()\n"
                      + "  .catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exitCode = 1; });\n";
            case TEMPLATE -> preload
                    + "import json as __sandq_json, sys as __sandq_sys, jinja2 as __sandq_jinja2\n"
                    + "__sandq_text = __sandq_jinja2.Template(" + json(request.code()) + ").render(**__sandq_json.loads("
                    + json(inputs) + "))\n"
                    + "__sandq_sys.stdout.write('\\n' + " + json(marker) + " + __sandq_json.dumps(__sandq_text) + '\\n')\n";
        };
        Job job = new Job(request.language(), source, request.stdin().getBytes(StandardCharsets.UTF_8),
                request.limits(), request.enableNetwork());
        return new JobProgram(job, request.mode() == JobMode.SCRIPT ? null : marker);
    }

    Extracted extract(Result r) {
        if (marker == null) {
            return new Extracted(r, null);
        }
        String out = r.stdout();
        int at = out.lastIndexOf("\n" + marker);
        if (at < 0) {
            if (r.status() != Status.OK) {
                return new Extracted(r, null);
            }
            Result failed = new Result(Status.ERROR, r.exitCode(), r.signal(), out, r.stderr(), r.stdoutTruncated(),
                    r.stderrTruncated(), r.stdoutTruncated()
                            ? "The output limit was reached before the result could be written."
                            : "The program ended without returning a result.", r.usage());
            return new Extracted(failed, null);
        }
        int valueStart = at + 1 + marker.length();
        int valueEnd = out.indexOf('\n', valueStart);
        String valueText = out.substring(valueStart, valueEnd < 0 ? out.length() : valueEnd);
        String rest = out.substring(0, at) + (valueEnd < 0 ? "" : out.substring(valueEnd + 1));
        Result cleaned = new Result(r.status(), r.exitCode(), r.signal(), rest, r.stderr(), r.stdoutTruncated(),
                r.stderrTruncated(), r.error(), r.usage());
        try {
            return new Extracted(cleaned, MAPPER.readTree(valueText));
        } catch (JsonProcessingException e) {
            return new Extracted(new Result(Status.ERROR, r.exitCode(), r.signal(), rest, r.stderr(),
                    r.stdoutTruncated(), r.stderrTruncated(), "The result is not valid JSON.", r.usage()), null);
        }
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree or string always serialises", e);
        }
    }
}
