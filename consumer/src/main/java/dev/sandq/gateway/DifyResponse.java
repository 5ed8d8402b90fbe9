package dev.sandq.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.deps.InstalledPackage;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.wire.JobReply;
import java.io.IOException;
import java.util.List;

/**
 * DifySandbox's envelope {@code {"code", "message", "data"}} with its HTTP status, and how a
 * sandq reply maps onto it (DifySandbox internal/service/run_code.go and types/response.go):
 *
 * <ul>
 *   <li>the code ran (ok, error, timeout, memory/output limit, denied syscall, killed): HTTP 200,
 *       code 0, data {stdout, stderr, error, exit_code}; error is empty when the program
 *       exited 0 and ran within its limits, else "process exited with code N", then the
 *       limit that stopped it ("error: timeout: ..."), then the full stderr; exit_code is -1
 *       when the program did not exit by itself;</li>
 *   <li>the output was cut to fit the reply record: as ok, with error "error: output cut: ...", so
 *       that Dify fails the node instead of reading a cut result;</li>
 *   <li>rejected: HTTP 200, code -400, the reason (a worker without the network: DifySandbox's
 *       "network is disabled, ..." and the flags that change it);</li>
 *   <li>expired or internal_error: HTTP 200, code -500, the reason;</li>
 *   <li>overloaded ("Too many requests"): HTTP 503, code -503, as DifySandbox.</li>
 * </ul>
 */
public record DifyResponse(int httpStatus, JsonNode body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A run the workers rejected for asking for the network: DifySandbox's words, then what to change in sandq. */
    static final String WORKERS_WITHOUT_NETWORK = DifyGateway.NETWORK_DISABLED + ": the sandq workers reject jobs "
            + "that use the network, and Dify always asks for it. Start the workers with --allow-network "
            + "(SANDQ_ALLOW_NETWORK=true; `sandq up` allows it unless given --no-allow-network), or the gateway with "
            + "--network-requests strip to run Dify's code without the network.";

    public static DifyResponse success(JsonNode data) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("code", 0);
        body.put("message", "success");
        body.set("data", data);
        return new DifyResponse(200, body);
    }

    /** DifySandbox's ErrorResponse: a negative code, the message, data null. */
    public static DifyResponse error(int httpStatus, int code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("code", code >= 0 ? -1 : code);
        body.put("message", message);
        body.putNull("data");
        return new DifyResponse(httpStatus, body);
    }

    public static DifyResponse overloaded(String message) {
        return error(503, -503, message);
    }

    public static DifyResponse dependencies(List<InstalledPackage> packages) {
        ObjectNode data = MAPPER.createObjectNode();
        ArrayNode list = data.putArray("dependencies");
        for (InstalledPackage p : packages) {
            list.addObject().put("name", p.name()).put("version", p.version());
        }
        return success(data);
    }

    public static DifyResponse ofReply(JobReply reply) {
        Status s = reply.status();
        if (s == Status.REJECTED) {
            if (reply.error() != null && reply.error().startsWith(Result.NETWORK_NOT_ALLOWED)) {
                return error(200, -400, WORKERS_WITHOUT_NETWORK);
            }
            return error(200, -400, reply.error());
        }
        if (s == Status.EXPIRED) {
            return error(200, -500, "no sandq worker started the job in time for its answer to reach the caller ("
                    + reply.error() + "); are there enough workers for the load?");
        }
        if (s == Status.INTERNAL_ERROR) {
            return error(200, -500, reply.error());
        }
        int exitCode = reply.exitCode() == null ? -1 : reply.exitCode();
        String limit = "";
        if (s != Status.OK && s != Status.ERROR) {
            limit = "error: " + s.wireName() + ": " + reply.error() + "\n";
        } else if (reply.stdoutTruncated() || reply.stderrTruncated()) {
            limit = "error: output cut: " + reply.error() + "\n";
        }
        ObjectNode data = MAPPER.createObjectNode();
        data.put("stdout", reply.stdout());
        data.put("stderr", reply.stderr());
        data.put("error", executionError(exitCode, reply.stderr(), limit));
        data.put("exit_code", exitCode);
        return success(data);
    }

    /** As DifySandbox's buildExecutionError. */
    private static String executionError(int exitCode, String stderr, String limit) {
        if (exitCode == 0) {
            return limit;
        }
        StringBuilder b = new StringBuilder("process exited with code ").append(exitCode);
        for (String detail : new String[] {limit, stderr}) {
            if (!detail.isEmpty()) {
                if (b.charAt(b.length() - 1) != '\n') {
                    b.append('\n');
                }
                b.append(detail);
            }
        }
        return b.toString();
    }

    public byte[] bytes() {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
