package dev.sandq.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Dify sends to a code executor, reproduced from Dify's api/core/helper/code_executor:
 * the runner scripts of Python3TemplateTransformer, NodeJsTemplateTransformer and
 * Jinja2TemplateTransformer (after dedent), the Jinja2 preload, the base64 of the inputs'
 * JSON (ensure_ascii=False), and the request body of CodeExecutor.execute_code (enable_network
 * is always true). Results come back from stdout by the regex {@code <<RESULT>>(.*)<<RESULT>>}.
 */
final class DifyRunners {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern RESULT = Pattern.compile("<<RESULT>>(.*)<<RESULT>>", Pattern.DOTALL);

    static final String PYTHON3 = """
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

    static final String NODEJS = """

            // declare main function
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

    static final String JINJA2 = """

            # declare main function here
            def main(**inputs):
                import jinja2
                template = jinja2.Template('''{{code}}''')
                return template.render(**inputs)

            import json
            from base64 import b64decode

            # decode and prepare input dict
            inputs_obj = json.loads(b64decode('{{inputs}}').decode('utf-8'))

            # execute main function
            output = main(**inputs_obj)

            # convert output and print
            result = f'''<<RESULT>>{output}<<RESULT>>'''
            print(result)

            """;

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

    private DifyRunners() {
    }

    /** TemplateTransformer.assemble_runner_script. */
    static String runner(String template, String code, String inputsJson) {
        String base64 = Base64.getEncoder().encodeToString(inputsJson.getBytes(StandardCharsets.UTF_8));
        return template.replace("{{code}}", code).replace("{{inputs}}", base64);
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
