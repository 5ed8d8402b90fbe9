package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.OutputFile;
import dev.sandq.executor.OutputFiles;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import dev.sandq.testing.Fast;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobReplyCodec;
import dev.sandq.wire.ReplyRoute;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A reply whose output files do not fit in one record is answered without them, saying so with the sizes. */
@Fast
class ReplyRecordsFilesTest {
    private static final ReplyRoute ROUTE = new ReplyRoute("sandq.results", null,
            "c-1".getBytes(StandardCharsets.UTF_8), "c-1".getBytes(StandardCharsets.UTF_8));
    private static final ConsumerRecord<byte[], byte[]> JOB = new ConsumerRecord<>("sandq.jobs", 0, 7L, null,
            "{}".getBytes(StandardCharsets.UTF_8));

    private static JobReply reply(int fileBytes) {
        OutputFiles files = new OutputFiles(List.of(new OutputFile("chart.png", new byte[fileBytes], "image/png")),
                false);
        return new JobReply("j", "c-1", Status.OK, 0, null, "done\n", "", false, false, null, null, Usage.NONE,
                "w", 1, Instant.EPOCH, Instant.EPOCH, files);
    }

    @Test
    void aReplyThatFitsKeepsItsFilesAndFallsBackToNoneIfTheBrokerRefusesIt() {
        Delivery delivery = new ReplyRecords(100_000, "sandq.jobs.dlt", "g").reply(JOB, ROUTE, reply(1000), "python3",
                JobTimeline.polledAt(1));
        JobReply sent = JobReplyCodec.fromJson(delivery.record().value());
        assertEquals(1, sent.files().files().size());
        assertEquals(Status.OK, sent.status());
        JobReply fallback = JobReplyCodec.fromJson(delivery.fallbacks().get(0).value());
        assertEquals(Status.OUTPUT_LIMIT, fallback.status());
        assertTrue(fallback.files().truncated());
        assertEquals("done\n", fallback.stdout());
        assertTrue(fallback.error().contains("1 output files (1000 bytes) were left out"), fallback.error());
    }

    @Test
    void aReplyTooLargeForOneRecordIsAnsweredWithoutItsFilesWithTheSizes() {
        Delivery delivery = new ReplyRecords(50_000, "sandq.jobs.dlt", "g").reply(JOB, ROUTE, reply(60_000), "python3",
                JobTimeline.polledAt(1));
        assertEquals("sandq.results", delivery.record().topic(), "answered, not dead-lettered");
        JobReply sent = JobReplyCodec.fromJson(delivery.record().value());
        assertEquals(Status.OUTPUT_LIMIT, sent.status());
        assertEquals(List.of(), sent.files().files());
        assertTrue(sent.files().truncated());
        assertEquals("done\n", sent.stdout(), "the rest of the reply is kept");
        assertTrue(sent.error().matches("The reply was \\d+ bytes, over the limit of 50000 bytes for one record;"
                + " its 1 output files \\(60000 bytes\\) were left out\\."), sent.error());
    }
}
