package dev.sandq.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The sandq job a run of Dify's becomes: a script-mode job (Dify sends whole programs) with the
 * gateway's limits for Dify's jobs and a deadline by which it must start.
 *
 * <ul>
 *   <li>python3: the program runs as DifySandbox's prescript runs it (resource
 *       {@code sandq/gateway/dify_prescript.py}, the job's code): it comes on the job's stdin,
 *       compiled as {@code <fd3>}; an uncaught exception, a syntax error included, exits 255.
 *       Line numbers in tracebacks are the program's own.</li>
 *   <li>nodejs: the program is the job's code, as it came.</li>
 *   <li>preload: dropped unless the gateway runs it ({@code --enable-preload}, DifySandbox's
 *       ENABLE_PRELOAD); then it runs before the program, in the same sandbox.</li>
 * </ul>
 */
public final class DifyJobs {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The Python program every python3 job of the gateway runs; Dify's program is on its stdin. */
    static final String PYTHON_PRESCRIPT = resource("dify_prescript.py");

    private DifyJobs() {
    }

    /** The bytes (UTF-8) of what the run asks to run: its code, and its preload when it would run. */
    static long programBytes(RunRequest run, boolean enablePreload) {
        long bytes = run.code().getBytes(StandardCharsets.UTF_8).length;
        return enablePreload ? bytes + run.preload().getBytes(StandardCharsets.UTF_8).length : bytes;
    }

    /**
     * The job document for {@code run}.
     *
     * @param enableNetwork   whether the job asks for the network (the gateway decided)
     * @param startByEpochMs the job's deadline: a job not started by then is answered expired
     */
    public static byte[] job(RunRequest run, GatewayConfig.JobLimits limits, boolean enablePreload,
                             boolean enableNetwork, long startByEpochMs) {
        String preload = enablePreload ? run.preload() : "";
        ObjectNode job = MAPPER.createObjectNode();
        job.put("id", "gateway-" + UUID.randomUUID());
        job.put("language", run.language());
        job.put("mode", "script");
        if (run.language().equals("python3")) {
            byte[] preloadBytes = preload.getBytes(StandardCharsets.UTF_8);
            job.put("code", PYTHON_PRESCRIPT);
            job.put("stdin", preloadBytes.length + "\n" + preload + run.code());
        } else {
            job.put("code", run.code());
            if (!preload.isEmpty()) {
                job.put("preload", preload);
            }
        }
        job.put("enable_network", enableNetwork);
        ObjectNode l = job.putObject("limits");
        l.put("wall_time_ms", limits.wallTimeMs());
        l.put("cpu_time_ms", limits.cpuTimeMs());
        l.put("memory_mb", limits.memoryMb());
        l.put("max_output_bytes", limits.outputBytes());
        job.put("deadline", startByEpochMs);
        try {
            return MAPPER.writeValueAsBytes(job);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DifyJobs.class.getResourceAsStream("/sandq/gateway/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the resource sandq/gateway/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading sandq/gateway/" + name, e);
        }
    }
}
