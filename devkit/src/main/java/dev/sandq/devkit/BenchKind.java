package dev.sandq.devkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.Language;
import dev.sandq.wire.JobMode;
import java.util.List;

/**
 * What `sandq bench` sends, and what it compares with: one kind of job (language and mode), its
 * trivial code, and the bare baseline, the least the same interpreter does outside any sandbox.
 *
 * <ul>
 *   <li>script: python3 {@code pass} against {@code python3 -c pass}; nodejs {@code 0;} against
 *       {@code node -e 0};</li>
 *   <li>function: a {@code main} returning an empty object, against the same bare start (the
 *       function harness imports only standard modules); python3's also against
 *       {@code python3 -c 'import jinja2'}, the yardstick issue 13 sets function and template jobs
 *       (its {@link #yardstick()});</li>
 *   <li>template (python3 only): a Jinja2 template against {@code python3 -c 'import jinja2'}, which
 *       the template harness imports.</li>
 * </ul>
 */
record BenchKind(Language language, JobMode mode, String code, List<String> baseline, List<String> yardstick) {

    /**
     * @param code null for the kind's trivial code
     * @throws IllegalArgumentException for a combination the job contract refuses (a nodejs template)
     */
    static BenchKind of(Language language, JobMode mode, String code, String python, String node) {
        if (mode == JobMode.TEMPLATE && language != Language.PYTHON3) {
            throw new IllegalArgumentException("template jobs are Jinja2, rendered by python3: --lang "
                    + language.wireName() + " does not apply");
        }
        String interpreter = language == Language.PYTHON3 ? python : node;
        List<String> importJinja2 = List.of(python, "-c", "import jinja2");
        List<String> bare = language == Language.PYTHON3 ? List.of(interpreter, "-c", "pass")
                : List.of(interpreter, "-e", "0");
        return switch (mode) {
            case SCRIPT -> new BenchKind(language, mode, code != null ? code
                    : language == Language.PYTHON3 ? "pass" : "0;", bare, List.of());
            case FUNCTION -> new BenchKind(language, mode, code != null ? code
                    : language == Language.PYTHON3 ? "def main():\n    return {}" : "function main() { return {}; }",
                    bare, language == Language.PYTHON3 ? importJinja2 : List.of());
            case TEMPLATE -> new BenchKind(language, mode, code != null ? code : "{{ n }}", importJinja2, List.of());
        };
    }

    /** The job's JSON document. */
    byte[] body(ObjectMapper mapper) throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectNode job = mapper.createObjectNode();
        job.put("language", language.wireName());
        job.put("code", code);
        if (mode != JobMode.SCRIPT) {
            job.put("mode", mode.wireName());
            ObjectNode inputs = job.putObject("inputs");
            if (mode == JobMode.TEMPLATE) {
                inputs.put("n", 0);
            }
        }
        return mapper.writeValueAsBytes(job);
    }

    /** "python3 script", "nodejs function", ... */
    String label() {
        return language.wireName() + " " + mode.wireName();
    }

    /** The baseline as a shell would show it. */
    String baselineCommand() {
        return shellWords(baseline);
    }

    /** The yardstick as a shell would show it (empty when there is none). */
    String yardstickCommand() {
        return shellWords(yardstick);
    }

    private static String shellWords(List<String> command) {
        return String.join(" ", command.stream().map(a -> a.matches("[\\w/.=-]+") ? a : "'" + a + "'").toList());
    }
}
