package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A run's body read as DifySandbox's BindRequest reads it (gin 1.10; the cases its notes verified
 * against a copy of its controller): exactly application/json answers bind errors HTTP 400,
 * everything else HTTP 200; forms and the query string are accepted.
 */
@Fast
class DifyBindingTest {
    private static final String JSON = "application/json";
    private static final String MISSING_LANGUAGE =
            "Key: 'Language' Error:Field validation for 'Language' failed on the 'required' tag";
    private static final String MISSING_CODE = "Key: 'Code' Error:Field validation for 'Code' failed on the 'required' tag";

    private static RunRequest bind(String method, String contentType, String query, String body) throws Exception {
        return RunRequest.bind(method, contentType, query, body.getBytes(StandardCharsets.UTF_8));
    }

    private static RunRequest.Invalid refused(String method, String contentType, String query, String body) {
        return assertThrows(RunRequest.Invalid.class, () -> bind(method, contentType, query, body));
    }

    private static void assertRefused(int status, String message, RunRequest.Invalid e) {
        assertAll(() -> assertEquals(status, e.httpStatus(), e::getMessage), () -> assertEquals(message, e.getMessage()));
    }

    @Test
    void difysOwnBodyBindsEveryField() throws Exception {
        RunRequest r = bind("POST", JSON, null,
                "{\"language\":\"python3\",\"code\":\"print(1)\",\"preload\":\"import jinja2\",\"enable_network\":true}");
        assertEquals(new RunRequest("python3", "print(1)", "import jinja2", true), r);
    }

    @Test
    void exactlyApplicationJsonAnswersBindErrorsWithHttp400AsGinsBindJsonDoes() {
        assertRefused(400, MISSING_CODE, refused("POST", JSON, null, "{\"language\":\"python3\"}"));
        assertRefused(400, MISSING_LANGUAGE + "\n" + MISSING_CODE, refused("POST", JSON, null, "{}"));
        assertRefused(400, MISSING_CODE, refused("POST", JSON, null, "{\"language\":\"python3\",\"code\":\"\"}"));
        assertRefused(400, "EOF", refused("POST", JSON, null, ""));
        assertRefused(400, "json: cannot unmarshal string into Go struct field .enable_network of type bool",
                refused("POST", JSON, null, "{\"language\":\"python3\",\"code\":\"x\",\"enable_network\":\"true\"}"));
        assertRefused(400, "json: cannot unmarshal number into Go struct field .code of type string",
                refused("POST", JSON, null, "{\"language\":\"python3\",\"code\":12}"));
        RunRequest.Invalid array = refused("POST", JSON, null, "[1]");
        assertEquals(400, array.httpStatus());
        assertTrue(array.getMessage().startsWith("json: cannot unmarshal array into Go value of type struct { Language "
                + "string"), array::getMessage);
        RunRequest.Invalid malformed = refused("POST", JSON, null, "{bad");
        assertEquals(400, malformed.httpStatus());
        assertTrue(malformed.getMessage().startsWith("invalid JSON: "), malformed::getMessage);
    }

    @Test
    void anyOtherContentTypeAnswersBindErrorsWithHttp200() {
        assertRefused(200, MISSING_CODE, refused("POST", "application/json; charset=utf-8", null,
                "{\"language\":\"python3\"}"));
        assertRefused(200, "EOF", refused("POST", "application/json; charset=utf-8", null, ""));
        assertRefused(200, MISSING_LANGUAGE + "\n" + MISSING_CODE,
                refused("POST", "text/plain", null, "{\"language\":\"python3\",\"code\":\"x\"}"));
        assertRefused(200, MISSING_LANGUAGE + "\n" + MISSING_CODE, refused("POST", null, null, ""));
    }

    @Test
    void nullsAreZeroValuesAndUnknownFieldsAndTrailingTextAreIgnoredAsGosDecoderDoes() throws Exception {
        assertEquals(new RunRequest("python3", "x", "", false), bind("POST", JSON, null,
                "{\"language\":\"python3\",\"code\":\"x\",\"preload\":null,\"enable_network\":null,"
                        + "\"dependencies\":[{\"name\":\"numpy\",\"version\":\"\"}]} trailing"));
    }

    @Test
    void formBodiesAndTheQueryStringAreAcceptedAsByGinsFormBinding() throws Exception {
        RunRequest expected = new RunRequest("python3", "print(1 + 1)", "", true);
        assertEquals(expected, bind("POST", "application/x-www-form-urlencoded", null,
                "language=python3&code=print%281+%2B+1%29&enable_network=true"));
        assertEquals(expected, bind("POST", null, "language=python3&code=print%281+%2B+1%29&enable_network=1", ""));
        assertEquals(expected, bind("POST", "application/x-www-form-urlencoded", "code=ignored&enable_network=T",
                "language=python3&code=print%281+%2B+1%29"), "the body's value comes before the query string's");
        assertRefused(200, "strconv.ParseBool: parsing \"maybe\": invalid syntax", refused("POST",
                "application/x-www-form-urlencoded", null, "language=python3&code=x&enable_network=maybe"));
        assertEquals(new RunRequest("python3", "x", "", false), bind("POST", "application/x-www-form-urlencoded",
                null, "language=python3&code=x&bad=%zz&&enable_network="), "a bad escape or an empty value is no error");
    }

    @Test
    void multipartFormsBindTheirFieldsAndLeaveFilesOut() throws Exception {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\npython3\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nprint('héllo')\r\nprint(2)\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"preload\"; filename=\"p.py\"\r\n"
                + "Content-Type: text/x-python\r\n\r\nimport os\r\n--XyZ--\r\n";
        assertEquals(new RunRequest("python3", "print('héllo')\r\nprint(2)", "", false),
                bind("POST", "multipart/form-data; boundary=XyZ", null, body));
        assertRefused(200, "no multipart boundary param in Content-Type",
                refused("POST", "multipart/form-data", null, body));
        assertRefused(200, "multipart: NextPart: EOF", refused("POST", "multipart/form-data; boundary=XyZ", null,
                "--XyZ\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nno end"));
        assertRefused(200, "multipart: NextPart: EOF", refused("POST", "multipart/form-data; boundary=\"XyZ\"", null,
                "not multipart at all"));
    }

    @Test
    void getReadsTheQueryStringAndExactJsonOnAGetReadsItsEmptyBody() {
        RunRequest.Invalid get = refused("GET", JSON, "language=python3&code=x", "");
        assertRefused(400, "EOF", get);
    }
}
