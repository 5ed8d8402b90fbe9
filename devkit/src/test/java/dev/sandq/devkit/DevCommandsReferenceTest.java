package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.ops.CliOptions;
import dev.sandq.ops.ConfigurationReference;
import dev.sandq.ops.DocSection;
import dev.sandq.testing.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's part on the development commands (those of `./sandq` that the
 * production jar lacks) is what picocli's model of them says, with the production CLI's shared
 * option groups; consumer's ConfigurationReferenceTest checks the rest of the page.
 * {@code -Dsandq.updateDocs=true} rewrites it (DocSection.REGENERATE is the whole command).
 */
@Fast
class DevCommandsReferenceTest {
    @Test
    void developmentCommandsMatchTheCli() throws Exception {
        CliOptions production = CliOptions.production();
        CliOptions withDevkit = CliOptions.load(List.of(new DevCommands()));
        List<String> development = withDevkit.commands().stream().filter(c -> !production.commands().contains(c))
                .toList();
        String expected = ConfigurationReference.of(production).commands(withDevkit, development);
        new DocSection(ConfigurationReference.PAGE, "dev-commands", "DevCommandsReferenceTest").assertIs(expected);
        assertTrue(expected.contains("### `sandq up`") && expected.contains("| `--data-dir` | `SANDQ_DATA_DIR` |"),
                expected);
        assertTrue(expected.contains("the options of [`sandq worker`](#sandq-worker)"), expected);
    }
}
