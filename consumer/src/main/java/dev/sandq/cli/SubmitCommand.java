package dev.sandq.cli;

import dev.sandq.wire.JobReplyCodec;
import dev.sandq.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
        byte[] correlationId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        Map<String, Object> props = kafka.clientProperties();
        props.putIfAbsent("default.api.timeout.ms", "15000");
        props.putIfAbsent("max.block.ms", "15000");
        try {
            return submit(job, correlationId, props);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            System.err.println("sandq submit: cannot reach Kafka at " + props.get("bootstrap.servers") + " ("
                    + e.getMessage() + "); is `sandq up` running? Otherwise give --bootstrap-servers");
            return ExitCodes.SOFTWARE;
        }
    }

    private int submit(byte[] job, byte[] correlationId, Map<String, Object> props) throws Exception {
        try (KafkaConsumer<byte[], byte[]> replies = noWait ? null : replyReader(props);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(props),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(kafka.jobsTopic, job);
            record.headers().add(WireHeaders.CORRELATION_ID, correlationId);
            record.headers().add(WireHeaders.REPLY_TOPIC, kafka.resultsTopic.getBytes(StandardCharsets.UTF_8));
            try {
                producer.send(record).get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                    System.err.println("sandq submit: the job record is " + job.length + " bytes, too large for the "
                            + "topic " + kafka.jobsTopic + " (its max.message.bytes; the producer's max.request.size is "
                            + producerProps(props).get("max.request.size") + "): " + e.getCause().getMessage());
                    return ExitCodes.USAGE;
                }
                throw e;
            }
            if (noWait) {
                System.out.println(new String(correlationId, StandardCharsets.UTF_8));
                return 0;
            }
            Instant end = Instant.now().plus(timeout);
            while (Instant.now().isBefore(end)) {
                for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofMillis(100))) {
                    if (r.key() != null && java.util.Arrays.equals(r.key(), correlationId)) {
                        System.out.println(new String(r.value(), StandardCharsets.UTF_8));
                        fileOptions.writeOutputs(JobReplyCodec.fromJson(r.value()).files());
                        return 0;
                    }
                }
            }
            System.err.println("sandq submit: no reply within " + timeout);
            return 1;
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

    private KafkaConsumer<byte[], byte[]> replyReader(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(kafka.resultsTopic).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position); // fix the positions before the job is sent
        return c;
    }

    private static Map<String, Object> producerProps(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("linger.ms", "0");
        // A job with files can pass the client's 1 MiB default: the topic's max.message.bytes decides.
        p.putIfAbsent("max.request.size", Integer.toString(16 << 20));
        return p;
    }
}
