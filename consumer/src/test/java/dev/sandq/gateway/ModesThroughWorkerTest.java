package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Status;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobReplyCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Function and template jobs end to end: Kafka, the worker, the harness in the real sandbox, the reply. */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModesThroughWorkerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private GatewayRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = new GatewayRig();
    }

    @AfterAll
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    private JobReply submit(String job) throws Exception {
        return JobReplyCodec.fromJson(rig.client.submit(job.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60)).get());
    }

    @Test
    void templateJobRendersAndReturnsTheTextAsResult() throws Exception {
        JobReply r = submit("{\"language\":\"python3\",\"mode\":\"template\",\"code\":\"{{ a }} + {{ b }} = {{ a + b }}\","
                + "\"inputs\":{\"a\":1,\"b\":2}}");
        assertEquals(Status.OK, r.status(), r::toString);
        assertEquals(MAPPER.readTree("\"1 + 2 = 3\""), r.result());
        assertEquals("", r.stdout());
    }

    @Test
    void functionJobWithPreloadAndABadReturnValueIsAnErrorSentence() throws Exception {
        JobReply r = submit("{\"language\":\"python3\",\"mode\":\"function\",\"preload\":\"X = 2\","
                + "\"code\":\"def main():\\n    return [X]\"}");
        assertEquals(Status.ERROR, r.status(), r::toString);
        assertTrue(r.error().contains("main returned a value of type list"), r::toString);
        JobReply node = submit("{\"language\":\"nodejs\",\"mode\":\"function\",\"code\":\"const x = 1;\"}");
        assertEquals(Status.ERROR, node.status(), node::toString);
        assertEquals("The code does not define a function named main.", node.error());
    }
}
