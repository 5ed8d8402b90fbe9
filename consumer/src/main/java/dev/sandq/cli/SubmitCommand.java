package dev.sandq.cli;

import dev.sandq.client.JobTooLargeException;
import dev.sandq.client.MissingTopicsException;
import dev.sandq.client.SandqClient;
import dev.sandq.wire.JobReplyCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `sandq submit FILE`: sends a job (a .py/.js program, or a .json job document) and prints the
 * reply as one JSON line. Exit 0 when answered (whatever its status), 1 on timeout, 2 on bad usage.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Send a job and print its result.")
public final class SubmitCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "FILE", description = "A program (.py, .js, .mjs) or a job document (.json); - for stdin.")
    String file;

    @Option(names = "--lang", description = "python3 or nodejs (default: from the file extension).")
    String lang;

    @Option(names = "--no-wait", description = "Do not wait for the reply; print the correlation id.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "PT60S", description = "How long to wait for the reply (ISO-8601).")
    Duration timeout;

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() throws Exception {
        byte[] job;
        try {
            job = jobDocument();
        } catch (IllegalArgumentException e) {
            System.err.println("sandq submit: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (job == null) {
            System.err.println("sandq submit: cannot tell the language of " + file + "; give --lang python3|nodejs");
            return 2;
        }
        Map<String, Object> props = kafka.clientProperties();
        try (SandqClient client = SandqClient.builder(props).jobsTopic(kafka.jobsTopic)
                .resultsTopic(kafka.resultsTopic).timeout(timeout).connectTimeout(Duration.ofSeconds(15)).build()) {
            if (noWait) {
                System.out.println(client.sendOnly(job).get());
                return 0;
            }
            byte[] reply = client.submitJson(job).get();
            System.out.println(new String(reply, StandardCharsets.UTF_8));
            fileOptions.writeOutputs(JobReplyCodec.fromJson(reply).files());
            return 0;
        } catch (MissingTopicsException e) {
            System.err.println("sandq submit: " + e.getMessage());
            return ExitCodes.SOFTWARE;
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            System.err.println("sandq submit: " + (e instanceof IllegalStateException ? e.getMessage() // names the address
                    : "cannot reach Kafka at " + props.get("bootstrap.servers") + " (" + e.getMessage() + ")")
                    + "; is `sandq up` running? Otherwise give --bootstrap-servers");
            return ExitCodes.SOFTWARE;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                System.err.println("sandq submit: no reply within " + timeout);
                return 1;
            }
            if (e.getCause() instanceof JobTooLargeException) {
                System.err.println("sandq submit: " + e.getCause().getMessage() + "; not sent");
                return ExitCodes.USAGE;
            }
            System.err.println("sandq submit: " + e.getCause().getMessage());
            return ExitCodes.SOFTWARE;
        }
    }

    private byte[] jobDocument() throws java.io.IOException {
        byte[] content = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        if (file.endsWith(".json") && lang == null) {
            if (fileOptions.files.isEmpty()) {
                return content;
            }
            var doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(content);
            var files = doc.has("files") ? (com.fasterxml.jackson.databind.node.ArrayNode) doc.get("files")
                    : doc.putArray("files");
            files.addAll(FileOptions.toJson(fileOptions.inputFiles()));
            return mapper.writeValueAsBytes(doc);
        }
        String language = lang != null ? lang
                : file.endsWith(".py") ? "python3"
                : file.endsWith(".js") || file.endsWith(".mjs") || file.endsWith(".cjs") ? "nodejs" : null;
        if (language == null) {
            return null;
        }
        var doc = mapper.createObjectNode();
        doc.put("id", UUID.randomUUID().toString());
        doc.put("language", language);
        doc.put("code", new String(content, StandardCharsets.UTF_8));
        if (!fileOptions.files.isEmpty()) {
            doc.set("files", FileOptions.toJson(fileOptions.inputFiles()));
        }
        return mapper.writeValueAsBytes(doc);
    }
}
