package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table of the production CLI is what picocli's model of it says, and
 * its client examples are the files the tests run. (The development commands' table is checked
 * by devkit's DevCommandsReadmeTest.) On a difference the test fails and writes the expected
 * table to consumer/target/config-table.md; {@code -Dsandq.updateReadme=true} rewrites the README.
 */
@Fast
class ReadmeReferenceTest {
    static final ReadmeSection TABLE = new ReadmeSection("config-table", "ReadmeReferenceTest");

    @Test
    void configurationTableMatchesTheCli() throws Exception {
        CliOptions cli = CliOptions.production();
        String expected = cli.table(cli.commands());
        TABLE.assertIs(expected);
        assertTrue(expected.contains("| `sandq worker` | `--bootstrap-servers` | `SANDQ_BOOTSTRAP_SERVERS` |"), expected);
    }

    @Test
    void readmeShowsEachClientExampleAsTheTestsRunIt() throws Exception {
        String readme = Files.readString(OpsFiles.path("README.md"));
        for (String file : List.of("consumer/src/test/java/dev/sandq/ops/clients/PlainJavaClient.java",
                "consumer/src/test/java/dev/sandq/ops/clients/SpringClient.java")) {
            String src = Files.readString(OpsFiles.path(file));
            String region = src.substring(src.indexOf("// readme:begin\n") + "// readme:begin\n".length(),
                    src.indexOf("    // readme:end"));
            String shown = region.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                    .collect(java.util.stream.Collectors.joining("\n"));
            assertTrue(readme.contains(shown), "README lacks the example of " + file + ":\n" + shown);
        }
        for (String file : List.of("ops/clients/kcat-submit.sh", "ops/clients/submit-kafka-python.py",
                "ops/clients/submit-kafkajs.js")) {
            assertTrue(readme.contains(Files.readString(OpsFiles.path(file))), "README lacks " + file + " verbatim");
        }
    }
}
