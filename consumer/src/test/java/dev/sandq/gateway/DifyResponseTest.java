package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import dev.sandq.testing.Fast;
import dev.sandq.wire.JobReply;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How each sandq status reads in DifySandbox's envelope. */
@Fast
class DifyResponseTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JobReply reply(Status status, Integer exit, String stdout, String stderr, String error) {
        Instant t = Instant.EPOCH;
        return new JobReply("j", "c", status, exit, null, stdout, stderr, false, false, null, error, Usage.NONE,
                "w", 1, t, t);
    }

    private static void assertResponse(int http, String json, JobReply reply) throws Exception {
        DifyResponse r = DifyResponse.ofReply(reply);
        assertEquals(http, r.httpStatus());
        assertEquals(MAPPER.readTree(json), MAPPER.readTree(r.bytes()));
    }

    @Test
    void okKeepsStderrOutOfError() throws Exception {
        assertResponse(200, "{\"code\":0,\"message\":\"success\",\"data\":{\"stdout\":\"hi\\n\",\"stderr\":\"warn\\n\","
                + "\"error\":\"\",\"exit_code\":0}}", reply(Status.OK, 0, "hi\n", "warn\n", null));
    }

    @Test
    void nonZeroExitGivesTheExitCodeThenTheWholeStderr() throws Exception {
        assertResponse(200, "{\"code\":0,\"message\":\"success\",\"data\":{\"stdout\":\"\",\"stderr\":\"Traceback\\n\","
                + "\"error\":\"process exited with code 2\\nTraceback\\n\",\"exit_code\":2}}",
                reply(Status.ERROR, 2, "", "Traceback\n", "The job exited with code 2."));
    }

    @Test
    void limitsAreCodeZeroWithTheLimitNamedAndExitCodeMinusOne() throws Exception {
        assertResponse(200, "{\"code\":0,\"message\":\"success\",\"data\":{\"stdout\":\"x\",\"stderr\":\"\","
                + "\"error\":\"process exited with code -1\\nerror: timeout: The job ran longer than 5000 ms.\\n\",\"exit_code\":-1}}",
                reply(Status.TIMEOUT, null, "x", "", "The job ran longer than 5000 ms."));
        assertResponse(200, "{\"code\":0,\"message\":\"success\",\"data\":{\"stdout\":\"\",\"stderr\":\"\","
                + "\"error\":\"process exited with code -1\\nerror: syscall_denied: denied.\\n\",\"exit_code\":-1}}",
                reply(Status.SYSCALL_DENIED, null, "", "", "denied."));
    }

    @Test
    void rejectedIsMinus400AndExpiredOrInternalErrorMinus500() throws Exception {
        assertResponse(200, "{\"code\":-400,\"message\":\"no network\",\"data\":null}",
                reply(Status.REJECTED, null, "", "", "no network"));
        assertResponse(200, "{\"code\":-500,\"message\":\"no sandq worker started the job in time for its answer to "
                + "reach the caller (late); are there enough workers for the load?\",\"data\":null}",
                reply(Status.EXPIRED, null, "", "", "late"));
        assertResponse(200, "{\"code\":-500,\"message\":\"broken\",\"data\":null}",
                reply(Status.INTERNAL_ERROR, null, "", "", "broken"));
    }

    @Test
    void overloadIs503WithCodeMinus503() throws Exception {
        DifyResponse r = DifyResponse.overloaded("Too many requests");
        assertEquals(503, r.httpStatus());
        assertEquals(MAPPER.readTree("{\"code\":-503,\"message\":\"Too many requests\",\"data\":null}"), MAPPER.readTree(r.bytes()));
    }

    @Test
    void aWorkerWithoutTheNetworkIsAnsweredInDifySandboxsWordsAndNamesTheFlags() throws Exception {
        DifyResponse r = DifyResponse.ofReply(reply(Status.REJECTED, null, "", "",
                Result.NETWORK_NOT_ALLOWED + " (a worker started with --allow-network lets them run)."));
        String message = MAPPER.readTree(r.bytes()).path("message").asText();
        assertEquals(200, r.httpStatus());
        assertEquals(-400, MAPPER.readTree(r.bytes()).path("code").asInt());
        assertTrue(message.startsWith("network is disabled, please enable it in the configuration: "), message);
        assertTrue(message.contains("--allow-network") && message.contains("--network-requests strip"), message);
    }

    @Test
    void outputCutToFitTheReplyRecordIsAnErrorSoThatDifyDoesNotReadACutResult() throws Exception {
        Instant t = Instant.EPOCH;
        JobReply cut = new JobReply("j", "c", Status.OK, 0, null, "<<RESULT>>{\"a\": \"xx", "", true, false, null,
                "The reply was too large for one record; stdout and stderr were cut to 2096896 characters.",
                Usage.NONE, "w", 1, t, t);
        JsonNode data = MAPPER.readTree(DifyResponse.ofReply(cut).bytes()).path("data");
        assertEquals("error: output cut: The reply was too large for one record; stdout and stderr were cut to "
                + "2096896 characters.\n", data.path("error").asText());
        assertEquals(0, data.path("exit_code").asInt());
    }
}
