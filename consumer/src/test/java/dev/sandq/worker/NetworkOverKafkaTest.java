package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.Status;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * enable_network through Kafka: refused by a worker that does not allow the network; on one that
 * does, the job still cannot reach the broker that feeds it (on this host's loopback) nor a
 * metadata address.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NetworkOverKafkaTest {

    @Test
    void enableNetworkIsRejectedByAWorkerThatDoesNotAllowIt() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1);
             Sandbox sandbox = LocalSandbox.create(SandboxConfig.builder().slots(1).build())) {
            kit.startWorker(kit.config().slots(1).build(), sandbox);
            kit.send(kit.job("{\"id\":\"net\",\"language\":\"python3\",\"code\":\"print('ran')\",\"enable_network\":true}"));
            JobReply r = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
            assertEquals(Status.REJECTED, r.status(), r.toString());
            assertTrue(r.error().contains("does not allow jobs to use the network"), r.toString());
            assertEquals("", r.stdout());
        }
    }

    @Test
    void aJobWithTheNetworkCannotReachTheBrokerOrTheMetadataService() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1);
             Sandbox sandbox = LocalSandbox.create(SandboxConfig.builder().slots(1).networkAllowed(true).build())) {
            kit.startWorker(kit.config().slots(1).build(), sandbox);
            String broker = kit.bootstrap.replace("localhost", "127.0.0.1");
            String code = """
                    import http.client
                    for target in ["%s", "169.254.169.254:80"]:
                        host, port = target.rsplit(":", 1)
                        c = http.client.HTTPConnection("127.0.0.1", 3128, timeout=10)
                        c.set_tunnel(host, int(port))
                        try:
                            c.connect()
                            print(target, "connected")
                        except OSError as e:
                            print(target, e)
                    """.formatted(broker);
            kit.send(kit.job("{\"id\":\"net\",\"language\":\"python3\",\"enable_network\":true,\"code\":"
                    + KafkaTestKit.quote(code) + "}"));
            JobReply r = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
            assertAll(
                    () -> assertEquals(Status.OK, r.status(), r.toString()),
                    () -> assertTrue(r.stdout().contains(broker + " Tunnel connection failed: 403"), r.toString()),
                    () -> assertTrue(r.stdout().contains("169.254.169.254:80 Tunnel connection failed: 403"), r.toString()),
                    () -> assertTrue(!r.stdout().contains("connected"), r.toString()));
        }
    }
}
