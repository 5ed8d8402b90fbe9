package dev.sandq.executor.internal.warm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.testing.Fast;
import java.util.Set;
import org.junit.jupiter.api.Test;

@Fast
class TemplatesExpectedTest {
    private static final Job CODE = Job.of(Language.PYTHON3, "import jinja2  # named, but not expected");
    private static final Job TEMPLATE = Job.of(Language.PYTHON3, "harness").withExpectedImports(Set.of("jinja2"));

    @Test
    void templatesAreExpectedForAWindowOfJobsAfterOne() {
        TemplatesExpected expected = new TemplatesExpected();
        assertFalse(expected.expected(), "nothing ran yet");
        expected.ran(CODE);
        assertFalse(expected.expected(), "only the hint counts, not the code's text");
        expected.ran(TEMPLATE);
        assertTrue(expected.expected());
        for (int i = 1; i < TemplatesExpected.WINDOW; i++) {
            expected.ran(CODE);
            assertTrue(expected.expected(), "after " + i + " code jobs");
        }
        expected.ran(CODE);
        assertFalse(expected.expected(), "after " + TemplatesExpected.WINDOW + " code jobs");
        expected.ran(TEMPLATE);
        assertTrue(expected.expected(), "again after another template");
    }
}
