package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md describes the production CLI as picocli's model of it says: the shared
 * option groups once each, then every command with the groups it takes and its own options.
 * (devkit's DevCommandsReferenceTest checks the development commands' part.) On a difference the
 * test fails and writes the expected text to consumer/target/; {@code -Dsandq.updateDocs=true}
 * rewrites the page (DocSection.REGENERATE is the whole command).
 */
@Fast
class ConfigurationReferenceTest {
    private static final CliOptions CLI = CliOptions.production();
    private static final ConfigurationReference REFERENCE = ConfigurationReference.of(CLI);

    @Test
    void sharedOptionGroupsMatchTheCli() throws Exception {
        String expected = REFERENCE.sharedGroups();
        new DocSection(ConfigurationReference.PAGE, "shared-options", "ConfigurationReferenceTest").assertIs(expected);
        assertTrue(expected.contains("### Kafka options") && expected.contains("| `--bootstrap-servers` | `SANDQ_BOOTSTRAP_SERVERS` |"),
                expected);
        assertTrue(expected.contains("### Sandbox options") && expected.contains("### Packages directory"), expected);
    }

    @Test
    void productionCommandsMatchTheCli() throws Exception {
        String expected = REFERENCE.commands(CLI, CLI.commands());
        new DocSection(ConfigurationReference.PAGE, "commands", "ConfigurationReferenceTest").assertIs(expected);
        assertTrue(expected.contains("### `sandq worker`") && expected.contains("| `--group` | `SANDQ_GROUP` |"), expected);
        assertTrue(!expected.contains("| `--bootstrap-servers` |"), "a shared option is described again per command");
    }
}
