package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sandq.testing.Fast;
import org.junit.jupiter.api.Test;

@Fast
class PolicyCommandTest {

    @Test
    void showPrintsTheEffectivePolicyOfEachLanguage() {
        for (String language : new String[] {"python3", "nodejs"}) {
            CliRun run = new CliRun().execute("policy", "show", language, "--network", "--extra-syscall", "mbind");
            assertEquals(ExitCodes.OK, run.exitCode, run::toString);
            assertFalse(run.out.isBlank(), run::toString);
        }
    }

    @Test
    void showRejectsAnInvalidExtraSyscall() {
        CliRun run = new CliRun().execute("policy", "show", "python3", "--extra-syscall", "../etc");
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
    }
}
