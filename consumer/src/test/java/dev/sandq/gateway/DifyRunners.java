package dev.sandq.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Dify sends to a code executor, for the gateway's own tests: the runner scripts and the
 * Jinja2 preload are {@link DifyClient}'s (Dify's transformers, written again from its source),
 * picked by Dify's code languages (python3, javascript, jinja2); the request body is
 * CodeExecutor.execute_code's (enable_network is always true). Results come back from stdout by
 * the regex {@code <<RESULT>>(.*)<<RESULT>>}.
 */
final class DifyRunners {
    static final String PYTHON3 = "python3";
    static final String NODEJS = "javascript";
    static final String JINJA2 = "jinja2";
    static final String JINJA2_PRELOAD = DifyClient.JINJA2_PRELOAD;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern RESULT = Pattern.compile("<<RESULT>>(.*)<<RESULT>>", Pattern.DOTALL);

    private DifyRunners() {
    }

    /** TemplateTransformer.assemble_runner_script for the code language {@code kind}. */
    static String runner(String kind, String code, String inputsJson) throws Exception {
        return DifyClient.runnerScript(kind, code, MAPPER.readTree(inputsJson));
    }

    /** CodeExecutor.execute_code's body: language is "python3" for Python and Jinja2, "nodejs" for JavaScript. */
    static String body(String language, String runner, String preload) throws Exception {
        return MAPPER.writeValueAsString(MAPPER.createObjectNode().put("language", language).put("code", runner)
                .put("preload", preload).put("enable_network", true));
    }

    /** TemplateTransformer.extract_result_str_from_response. */
    static String resultText(String stdout) {
        Matcher m = RESULT.matcher(stdout);
        if (!m.find()) {
            throw new AssertionError("Failed to parse result: " + stdout);
        }
        return m.group(1);
    }

    static JsonNode result(String stdout) throws Exception {
        return MAPPER.readTree(resultText(stdout));
    }
}
