package dev.sandq.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dify's code-execution client, written again from its source (langgenius/dify main,
 * api/core/helper/code_executor: code_executor.py, template_transformer.py and the Python 3,
 * JavaScript and Jinja2 transformers, as .sandq/dify-notes.md quotes them), so that a test sees a
 * gateway's answers exactly as Dify interprets them:
 *
 * <ul>
 *   <li>{@link #executeCode}: CodeExecutor.execute_code. One POST to /v1/sandbox/run, never
 *       retried, with X-Api-Key, {@code Content-Type: application/json} and the compact body
 *       {@code {"language","code","preload","enable_network":true}}; HTTP 503 raises "Code
 *       execution service is unavailable", any other non-200 or a timeout "Failed to execute code,
 *       which is likely a network issue, ...", a body that is not JSON "Failed to parse response",
 *       a non-zero code "Got error code: N. Got error msg: M", a truthy data.error that text; a
 *       missing data is pydantic's ValidationError (an {@link AssertionError} here: never
 *       acceptable); otherwise data.stdout.</li>
 *   <li>{@link #executeWorkflowCodeTemplate}: the transformer wraps the user's code with its inputs
 *       (standard base64 of their JSON, Python's separators, non-ASCII as is), Jinja2's template
 *       base64 too, with Jinja2's preload; the answer is read between the first and the last
 *       {@code <<RESULT>>}: JSON that must be an object (scientific-notation strings become
 *       numbers) for Python and JavaScript, the raw text for Jinja2.</li>
 * </ul>
 */
final class DifyClient {
    /** Python3TemplateTransformer.get_runner_script(), dedented. */
    static final String PYTHON3_RUNNER = """
            {{code}}

            import json
            from base64 import b64decode

            # decode and prepare input dict
            inputs_obj = json.loads(b64decode('{{inputs}}').decode('utf-8'))

            # execute main function
            output_obj = main(**inputs_obj)

            # convert output to json and print
            output_json = json.dumps(output_obj, indent=4)
            result = f'''<<RESULT>>{output_json}<<RESULT>>'''
            print(result)
            """;

    /** NodeJsTemplateTransformer.get_runner_script(), dedented. */
    static final String JAVASCRIPT_RUNNER = """
            {{code}}

            // decode and prepare input object
            var inputs_obj = JSON.parse(Buffer.from('{{inputs}}', 'base64').toString('utf-8'))

            // execute main function
            var output_obj = main(inputs_obj)

            // convert output to json and print
            var output_json = JSON.stringify(output_obj)
            var result = `<<RESULT>>${output_json}<<RESULT>>`
            console.log(result)
            """;

    /** Jinja2TemplateTransformer.get_runner_script() (after the fix of dify#26818), dedented. */
    static final String JINJA2_RUNNER = """

            import jinja2
            import json
            from base64 import b64decode

            # declare main function
            def main(**inputs):
                # Decode base64-encoded template to handle special characters safely
                template_code = b64decode('{{template_b64}}').decode('utf-8')
                template = jinja2.Template(template_code)
                return template.render(**inputs)

            # decode and prepare input dict
            inputs_obj = json.loads(b64decode('{{inputs}}').decode('utf-8'))

            # execute main function
            output = main(**inputs_obj)

            # convert output and print
            result = f'''<<RESULT>>{output}<<RESULT>>'''
            print(result)

            """;

    /** Jinja2TemplateTransformer.get_preload_script(), dedented. */
    static final String JINJA2_PRELOAD = """

            import jinja2
            from base64 import b64decode

            def _jinja2_preload_():
                # prepare jinja2 environment, load template and render before to avoid sandbox issue
                template = jinja2.Template('{{s}}')
                template.render(s='a')

            if __name__ == '__main__':
                _jinja2_preload_()

            """;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Python's json.loads takes NaN and Infinity. */
    private static final ObjectMapper PY_LOADS = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
    private static final Pattern RESULT = Pattern.compile("<<RESULT>>(.*)<<RESULT>>", Pattern.DOTALL);
    private static final Pattern SCIENTIFIC = Pattern.compile("^-?\\d+\\.?\\d*e[+-]\\d+$", Pattern.CASE_INSENSITIVE);

    /** Dify's CodeExecutionError: its message is what the node shows. */
    static final class CodeExecutionError extends Exception {
        CodeExecutionError(String message) {
            super(message);
        }
    }

    /** The ValueError of the transformer's transform_response. */
    static final class TransformError extends Exception {
        TransformError(String message) {
            super(message);
        }
    }

    /** What one request got, for asserting the HTTP level too. */
    record Exchange(int status, String contentType, String body, Duration elapsed) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String apiKey;
    private final Duration readTimeout;
    private volatile Exchange last;

    /** @param readTimeout Dify's CODE_EXECUTION_READ_TIMEOUT (60 s) */
    DifyClient(URI endpoint, String apiKey, Duration readTimeout) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.readTimeout = readTimeout;
    }

    /** The last request's HTTP status, body and time. */
    Exchange last() {
        return last;
    }

    /** code_language_to_running_language: javascript runs as nodejs, jinja2 as python3. */
    static String runningLanguage(String codeLanguage) {
        return switch (codeLanguage) {
            case "python3", "jinja2" -> "python3";
            case "javascript" -> "nodejs";
            default -> throw new IllegalArgumentException("Unsupported language " + codeLanguage);
        };
    }

    /** CodeExecutor.execute_code: the program's stdout, or the error Dify would raise. */
    String executeCode(String codeLanguage, String preload, String code) throws CodeExecutionError {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("language", runningLanguage(codeLanguage));
        data.put("code", code);
        data.put("preload", preload);
        data.put("enable_network", true);
        HttpResponse<String> response;
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/v1/sandbox/run")).timeout(readTimeout)
                    .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(data))).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            last = new Exchange(-1, "", "", Duration.ofNanos(System.nanoTime() - start));
            throw new CodeExecutionError("Failed to execute code, which is likely a network issue, please check if "
                    + "the sandbox service is running. ( Error: timed out )");
        } catch (IOException e) {
            last = new Exchange(-1, "", "", Duration.ofNanos(System.nanoTime() - start));
            throw new CodeExecutionError("Failed to execute code, which is likely a network issue, please check if "
                    + "the sandbox service is running. ( Error: " + e + " )");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        last = new Exchange(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), Duration.ofNanos(System.nanoTime() - start));
        if (response.statusCode() == 503) {
            throw new CodeExecutionError("Code execution service is unavailable");
        }
        if (response.statusCode() != 200) {
            throw new CodeExecutionError("Failed to execute code, which is likely a network issue, please check if the "
                    + "sandbox service is running. ( Error: Failed to execute code, got status code "
                    + response.statusCode() + ", please check if the sandbox service is running )");
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CodeExecutionError("Failed to parse response");
        }
        JsonNode code0 = body.get("code");
        if (code0 == null || !code0.isInt() || code0.intValue() != 0) {
            throw new CodeExecutionError("Got error code: " + (code0 == null ? "None" : code0.asText())
                    + ". Got error msg: " + body.path("message").asText("None"));
        }
        // CodeExecutionResponse.model_validate: code int, message str, data an object whose stdout and error are str|None
        JsonNode d = body.get("data");
        if (!body.path("message").isTextual() || d == null || !d.isObject()
                || !(d.path("stdout").isTextual() || d.path("stdout").isNull() || d.path("stdout").isMissingNode())
                || !(d.path("error").isTextual() || d.path("error").isNull() || d.path("error").isMissingNode())) {
            throw new AssertionError("pydantic ValidationError, not a CodeExecutionError: Dify would crash on "
                    + response.body());
        }
        if (d.path("error").isTextual() && !d.path("error").asText().isEmpty()) {
            throw new CodeExecutionError(d.path("error").asText());
        }
        return d.path("stdout").isTextual() ? d.path("stdout").asText() : "";
    }

    /** CodeExecutor.execute_workflow_code_template: wrap, run, read the result back. */
    JsonNode executeWorkflowCodeTemplate(String codeLanguage, String code, JsonNode inputs)
            throws CodeExecutionError, TransformError {
        String runner = runnerScript(codeLanguage, code, inputs);
        String preload = codeLanguage.equals("jinja2") ? JINJA2_PRELOAD : "";
        String stdout = executeCode(codeLanguage, preload, runner);
        if (codeLanguage.equals("jinja2")) {
            ObjectNode r = MAPPER.createObjectNode();
            r.put("result", extractResult(stdout));
            return r;
        }
        return transformResponse(stdout);
    }

    /** The program the transformer of {@code codeLanguage} makes of {@code code} and {@code inputs}. */
    static String runnerScript(String codeLanguage, String code, JsonNode inputs) {
        String b64inputs = Base64.getEncoder().encodeToString(PythonJson.dumps(inputs).getBytes(StandardCharsets.UTF_8));
        return switch (codeLanguage) {
            case "python3" -> PYTHON3_RUNNER.replace("{{code}}", code).replace("{{inputs}}", b64inputs);
            case "javascript" -> JAVASCRIPT_RUNNER.replace("{{code}}", code).replace("{{inputs}}", b64inputs);
            case "jinja2" -> JINJA2_RUNNER.replace("{{template_b64}}",
                    Base64.getEncoder().encodeToString(code.getBytes(StandardCharsets.UTF_8)))
                    .replace("{{inputs}}", b64inputs);
            default -> throw new IllegalArgumentException("Unsupported language " + codeLanguage);
        };
    }

    /** TemplateTransformer.extract_result_str_from_response. */
    static String extractResult(String response) throws TransformError {
        Matcher m = RESULT.matcher(response);
        if (!m.find()) {
            throw new TransformError("Failed to parse result: no result tag found in response. Response: "
                    + response.substring(0, Math.min(200, response.length())) + "...");
        }
        return m.group(1);
    }

    /** TemplateTransformer.transform_response (Python 3 and JavaScript). */
    static JsonNode transformResponse(String response) throws TransformError {
        String text = extractResult(response);
        JsonNode result;
        try {
            result = PY_LOADS.readTree(text);
        } catch (IOException e) {
            throw new TransformError("Failed to parse JSON response: " + e.getMessage() + ".");
        }
        if (result == null || !result.isObject()) {
            throw new TransformError("Result must be a dict, got " + (result == null ? "NoneType" : result.getNodeType()));
        }
        return postProcess(result);
    }

    /** _post_process_result: strings in scientific notation become floats, recursively. */
    private static JsonNode postProcess(JsonNode node) {
        if (node.isTextual() && SCIENTIFIC.matcher(node.asText()).matches()) {
            return DoubleNode.valueOf(Double.parseDouble(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), postProcess(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> copy.add(postProcess(v)));
            return copy;
        }
        return node;
    }

    /** Python's json.dumps(value, ensure_ascii=False) with its default separators (", " and ": "). */
    static final class PythonJson {
        private PythonJson() {
        }

        static String dumps(JsonNode node) {
            StringBuilder sb = new StringBuilder();
            write(node, sb);
            return sb.toString();
        }

        private static void write(JsonNode node, StringBuilder sb) {
            switch (node.getNodeType()) {
                case NULL, MISSING -> sb.append("null");
                case BOOLEAN -> sb.append(node.booleanValue() ? "true" : "false");
                case NUMBER -> sb.append(node.isIntegralNumber() ? node.bigIntegerValue().toString()
                        : pythonFloat(node.doubleValue()));
                case STRING -> string(node.textValue(), sb);
                case ARRAY -> {
                    sb.append('[');
                    for (int i = 0; i < node.size(); i++) {
                        if (i > 0) {
                            sb.append(", ");
                        }
                        write(node.get(i), sb);
                    }
                    sb.append(']');
                }
                case OBJECT -> {
                    sb.append('{');
                    boolean first = true;
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!first) {
                            sb.append(", ");
                        }
                        first = false;
                        string(e.getKey(), sb);
                        sb.append(": ");
                        write(e.getValue(), sb);
                    }
                    sb.append('}');
                }
                default -> throw new IllegalArgumentException("not JSON: " + node);
            }
        }

        /** repr(float): "2.0", "0.1", "1e+20", "1.5e-07". */
        private static String pythonFloat(double d) {
            String java = Double.toString(d);
            int e = java.indexOf('E');
            if (e < 0) {
                return java;
            }
            String mantissa = java.substring(0, e);
            if (mantissa.endsWith(".0")) {
                mantissa = mantissa.substring(0, mantissa.length() - 2);
            }
            int exponent = Integer.parseInt(java.substring(e + 1));
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }

        private static void string(String s, StringBuilder sb) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }
}
