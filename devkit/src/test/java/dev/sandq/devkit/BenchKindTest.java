package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Language;
import dev.sandq.testing.Fast;
import dev.sandq.wire.JobMode;
import dev.sandq.wire.JobParseOutcome;
import dev.sandq.wire.JobParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What `sandq bench` sends for each kind is a valid job, and its baseline the matching bare start. */
@Fast
class BenchKindTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "python3, script, /usr/bin/python3 -c pass, ''",
            "nodejs, script, /usr/bin/node -e 0, ''",
            "python3, function, /usr/bin/python3 -c pass, /usr/bin/python3 -c 'import jinja2'",
            "nodejs, function, /usr/bin/node -e 0, ''",
            "python3, template, /usr/bin/python3 -c 'import jinja2', ''"})
    void eachKindIsAValidJobWithItsBaseline(String lang, String mode, String baseline, String yardstick)
            throws Exception {
        BenchKind kind = BenchKind.of(Language.fromWireName(lang).orElseThrow(),
                JobMode.fromWireName(mode).orElseThrow(), null, "/usr/bin/python3", "/usr/bin/node");
        JobParseOutcome parsed = new JobParser(1_000_000).parse(kind.body(MAPPER));
        assertEquals(JobParseOutcome.Valid.class, parsed.getClass(), parsed.toString());
        assertEquals(baseline, kind.baselineCommand());
        assertEquals(yardstick, kind.yardstickCommand(), "issue 13's yardstick, printed beside the baseline");
        assertEquals(lang + " " + mode, kind.label());
    }

    @Test
    void theCodeCanBeGivenAndANodeTemplateIsRefused() throws Exception {
        BenchKind kind = BenchKind.of(Language.PYTHON3, JobMode.SCRIPT, "print(1)", "python3", "node");
        assertEquals("{\"language\":\"python3\",\"code\":\"print(1)\"}",
                new String(kind.body(MAPPER), StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchKind.of(Language.NODEJS, JobMode.TEMPLATE, null, "python3", "node"));
        assertEquals("template jobs are Jinja2, rendered by python3: --lang nodejs does not apply", e.getMessage());
        assertEquals(List.of("python3", "-c", "import jinja2"),
                BenchKind.of(Language.PYTHON3, JobMode.TEMPLATE, null, "python3", "node").baseline());
    }
}
