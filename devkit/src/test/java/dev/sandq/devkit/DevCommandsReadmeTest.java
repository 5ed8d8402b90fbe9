package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.ops.CliOptions;
import dev.sandq.ops.ReadmeSection;
import dev.sandq.testing.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's table of the development commands (those of `./sandq` that the production jar
 * lacks) is what picocli's model of them says; consumer's ReadmeReferenceTest checks the
 * production commands' table. {@code -Dsandq.updateReadme=true} rewrites it.
 */
@Fast
class DevCommandsReadmeTest {
    @Test
    void developmentCommandsTableMatchesTheCli() throws Exception {
        CliOptions production = CliOptions.production();
        CliOptions withDevkit = CliOptions.load(List.of(new DevCommands()));
        List<String> development = withDevkit.commands().stream().filter(c -> !production.commands().contains(c))
                .toList();
        String expected = withDevkit.table(development);
        new ReadmeSection("dev-config-table", "DevCommandsReadmeTest").assertIs(expected);
        assertTrue(expected.contains("| `sandq up` | `--data-dir` | `SANDQ_DATA_DIR` |"), expected);
    }
}
