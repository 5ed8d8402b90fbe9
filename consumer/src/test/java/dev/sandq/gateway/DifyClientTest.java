package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.testing.Fast;
import org.junit.jupiter.api.Test;

/**
 * The test's copy of Dify's client makes the programs Dify makes, byte for byte (the examples of
 * .sandq/dify-notes.md, generated there by Dify's own transformer code), and reads answers as Dify does.
 */
@Fast
class DifyClientTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode AB = inputs("{\"arg1\":\"a\",\"arg2\":\"b\"}");

    private static JsonNode inputs(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theTemplatesAreDifysToTheCharacter() {
        assertEquals(353, DifyClient.PYTHON3_RUNNER.length());
        assertTrue(DifyClient.PYTHON3_RUNNER.startsWith("{{code}}\n\nimport json\n")
                && DifyClient.PYTHON3_RUNNER.endsWith("print(result)\n"));
        assertEquals(277, DifyClient.JINJA2_PRELOAD.length());
        assertTrue(DifyClient.JINJA2_PRELOAD.startsWith("\nimport jinja2\n") && DifyClient.JINJA2_PRELOAD.contains("{{s}}"));
        assertTrue(DifyClient.JINJA2_RUNNER.startsWith("\nimport jinja2\n") && DifyClient.JINJA2_RUNNER.endsWith(
                "print(result)\n\n"));
        assertTrue(DifyClient.JAVASCRIPT_RUNNER.startsWith("{{code}}\n\n// decode and prepare input object\n")
                && DifyClient.JAVASCRIPT_RUNNER.endsWith("console.log(result)\n"));
    }

    @Test
    void inputsAreBase64OfPythonsJsonDumps() {
        String program = DifyClient.runnerScript("python3", "def main(arg1: str, arg2: str):\n    return {\n"
                + "        \"result\": arg1 + arg2,\n    }\n", AB);
        assertTrue(program.contains("b64decode('eyJhcmcxIjogImEiLCAiYXJnMiI6ICJiIn0=')"), program);
        assertEquals("{\"s\": \"é\\n\\\"\", \"n\": [1, -2, 3.5, 1e+20, true, null], \"o\": {}}",
                DifyClient.PythonJson.dumps(inputs("{\"s\":\"é\\n\\\"\",\"n\":[1,-2,3.5,1e20,true,null],\"o\":{}}")));
    }

    @Test
    void jinja2sTemplateIsBase64InItsOwnPlace() {
        String program = DifyClient.runnerScript("jinja2", "{{ arg1 }}-{{ arg2 }}", AB);
        assertTrue(program.contains("template_code = b64decode('e3sgYXJnMSB9fS17eyBhcmcyIH19').decode('utf-8')"), program);
        assertTrue(program.contains("inputs_obj = json.loads(b64decode('eyJhcmcxIjogImEiLCAiYXJnMiI6ICJiIn0=')"), program);
    }

    @Test
    void answersAreReadBetweenTheFirstAndLastMarkersAsDifyReadsThem() throws Exception {
        assertEquals(MAPPER.readTree("{\"result\":\"ab\",\"big\":1.0E20}"), DifyClient.transformResponse(
                "noise\n<<RESULT>>{\n    \"result\": \"ab\", \"big\": \"1e+20\"\n}<<RESULT>>\n"));
        assertEquals("a<<RESULT>>b", DifyClient.extractResult("<<RESULT>>a<<RESULT>>b<<RESULT>>\n"));
        assertTrue(assertThrows(DifyClient.TransformError.class, () -> DifyClient.transformResponse("[1]"))
                .getMessage().startsWith("Failed to parse result: no result tag found in response."));
        assertTrue(assertThrows(DifyClient.TransformError.class, () -> DifyClient.transformResponse(
                "<<RESULT>>[1]<<RESULT>>")).getMessage().startsWith("Result must be a dict"));
    }
}
