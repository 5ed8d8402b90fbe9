package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.worker.SandqProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `sandq up` as a user runs it: its own process, the embedded broker, the real sandbox, signals. */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UpCommandTest {
    private static final Pattern BOOTSTRAP = Pattern.compile("SANDQ_BOOTSTRAP_SERVERS=(\\S+)");

    @TempDir
    Path tmp;

    @Test
    void answersASubmittedJobThenStopsCleanlyOnSigtermKeepingTheBrokerData() throws Exception {
        Path data = tmp.resolve("kafka");
        try (SandqProcess up = SandqProcess.start(tmp, "up", List.of("up", "--port", "0", "--data-dir",
                data.toString(), "--metrics-port", "-1", "--slots", "1"))) {
            String bootstrap = awaitBootstrap(up);
            Path program = Files.writeString(tmp.resolve("hello.py"), "print('hello from up', 6 * 7)\n");

            SandqProcess submit = SandqProcess.start(tmp, "submit", List.of("submit", "--bootstrap-servers",
                    bootstrap, "--timeout", "PT60S", program.toString()));
            assertEquals(0, submit.awaitExit(Duration.ofSeconds(90)), submit::logs);
            JsonNode reply = new ObjectMapper().readTree(submit.stdout());
            assertEquals("ok", reply.get("status").asText(), submit::logs);
            assertEquals("hello from up 42\n", reply.get("stdout").asText());

            // Jobs with the network run by default (Dify always asks for it), only through the egress proxy.
            assertTrue(up.stderr().contains("sandq: jobs with enable_network run, only through the egress proxy"),
                    up::logs);
            Path networked = Files.writeString(tmp.resolve("networked.json"), new ObjectMapper().writeValueAsString(
                    new ObjectMapper().createObjectNode().put("language", "python3").put("enable_network", true)
                            .put("code", String.join("\n",
                                    "import requests",
                                    "for url in ('http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/'):",
                                    "    print(requests.get(url, timeout=10).text.strip())"))));
            SandqProcess refused = SandqProcess.start(tmp, "networked", List.of("submit", "--bootstrap-servers",
                    bootstrap, "--timeout", "PT60S", networked.toString()));
            assertEquals(0, refused.awaitExit(Duration.ofSeconds(90)), refused::logs);
            JsonNode refusedReply = new ObjectMapper().readTree(refused.stdout());
            assertEquals("ok", refusedReply.get("status").asText(), refused::logs);
            assertEquals("sandq egress: refused GET http://169.254.169.254:80: 169.254.169.254 is link-local (cloud "
                    + "metadata services live there)\nsandq egress: refused GET http://10.0.0.1:80: 10.0.0.1 is in the "
                    + "denied range 10.0.0.0/8 (operator's egress deny list)\n", refusedReply.get("stdout").asText(),
                    refused::logs);

            assertEquals(0, up.terminate(Duration.ofSeconds(60)), up::logs);
            assertTrue(up.stderr().contains("sandq: worker stopped"), up::logs);
            assertTrue(up.stderr().contains("embedded Kafka broker stopped (data kept in " + data), up::logs);
        }
        assertTrue(Files.exists(data.resolve("log").resolve("meta.properties")), "the broker's data is kept");
    }

    @Test
    void exitsThreeWithTheReasonAndStartsNoBrokerWhenTheSandboxCannotIsolate() throws Exception {
        Path data = tmp.resolve("kafka");
        try (SandqProcess up = SandqProcess.start(tmp, "up", List.of("up", "--port", "0", "--data-dir",
                data.toString(), "--metrics-port", "-1", "--launcher", tmp.resolve("no-launcher").toString()))) {
            assertEquals(3, up.awaitExit(Duration.ofSeconds(60)), up::logs);
            assertTrue(up.stderr().contains("no-launcher does not exist"), up::logs);
            assertFalse(up.stdout().contains("SANDQ_BOOTSTRAP_SERVERS"), up::logs);
        }
        assertFalse(Files.exists(data), "no broker was started");
    }

    private static String awaitBootstrap(SandqProcess up) {
        return Await.untilPresent(Duration.ofSeconds(90), Duration.ofMillis(50), () -> {
            Matcher m = BOOTSTRAP.matcher(up.stdout());
            if (m.find() && up.stderr().contains("partitions assigned")) {
                return Optional.of(m.group(1));
            }
            assertTrue(up.alive(), up::logs);
            return Optional.empty();
        }, () -> "sandq up to come up (its address printed, its partitions assigned)\n" + up.logs());
    }
}
