package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/clients.md shows each client example exactly as ClientExamplesTest runs it. */
@Fast
class ClientsPageTest {
    private static final String PAGE = "docs/clients.md";

    @Test
    void clientsPageShowsEachExampleAsTheTestsRunIt() throws Exception {
        String page = Files.readString(OpsFiles.path(PAGE));
        for (String file : List.of("consumer/src/test/java/dev/sandq/ops/clients/PlainJavaClient.java",
                "consumer/src/test/java/dev/sandq/ops/clients/SpringClient.java",
                "consumer/src/test/java/dev/sandq/ops/clients/SandqClientExample.java")) {
            String src = Files.readString(OpsFiles.path(file));
            String region = src.substring(src.indexOf("// docs:begin\n") + "// docs:begin\n".length(),
                    src.indexOf("    // docs:end"));
            String shown = region.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                    .collect(Collectors.joining("\n"));
            assertTrue(page.contains(shown), PAGE + " lacks the example of " + file + " (between its docs:begin "
                    + "and docs:end, one indent less):\n" + shown);
        }
        for (String file : List.of("ops/clients/kcat-submit.sh", "ops/clients/submit-kafka-python.py",
                "ops/clients/submit-kafkajs.js", "ops/clients/sandq-client-example.py")) {
            assertTrue(page.contains(Files.readString(OpsFiles.path(file))), PAGE + " lacks " + file + " verbatim");
        }
    }
}
