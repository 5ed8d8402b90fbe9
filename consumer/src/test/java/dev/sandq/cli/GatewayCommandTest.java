package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class GatewayCommandTest {

    @Test
    void helpDescribesTheDifyApiAndExitsZero() {
        CliRun run = new CliRun().execute("gateway", "--help");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(run.out.startsWith("Usage: sandq gateway"), run::toString);
        assertTrue(run.out.contains("--api-key") && run.out.contains("--listen"), run::toString);
        assertTrue(!run.out.contains("--bench"), "the benchmark is devkit's bench-gateway: " + run);
    }

    @Test
    void withoutAnApiKeyItRefusesToStartWithUsageExitCode() {
        CliRun run = new CliRun();
        run.env = Map.of("SANDQ_BOOTSTRAP_SERVERS", "127.0.0.1:1");
        run.execute("gateway");
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("--api-key or SANDQ_API_KEY"), run::toString);
    }

    @Test
    void badSettingsAreUsageErrorsNamingTheValue() {
        CliRun run = new CliRun();
        run.env = Map.of("SANDQ_API_KEY", "k", "SANDQ_BOOTSTRAP_SERVERS", "127.0.0.1:1");
        run.execute("gateway", "--network-requests", "sometimes");
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("'sometimes'"), run::toString);
        CliRun listen = new CliRun();
        listen.env = run.env;
        listen.execute("gateway", "--listen", "localhost:http");
        assertEquals(ExitCodes.USAGE, listen.exitCode, listen::toString);
        assertTrue(listen.err.contains("'localhost:http'"), listen::toString);
        CliRun max = new CliRun();
        max.env = run.env;
        max.execute("gateway", "--max-requests", "0");
        assertEquals(ExitCodes.USAGE, max.exitCode, max::toString);
        assertTrue(max.err.contains("got 0"), max::toString);
    }
}
