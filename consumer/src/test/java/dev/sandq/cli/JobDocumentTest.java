package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Job;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDocumentTest {

    @Test
    void readsEveryJobFieldOfTheWireContract() throws Exception {
        Job job = JobDocument.parse("""
                {"id": "job-1", "language": "python3", "code": "print(input())", "mode": "script",
                 "stdin": "héllo", "enable_network": true, "deadline": "2030-01-01T00:00:00Z",
                 "limits": {"wall_time_ms": 200, "cpu_time_ms": 150, "memory_mb": 64,
                            "max_output_bytes": 65536, "max_processes": 4, "max_file_bytes": 1024}}
                """);
        assertEquals(Language.PYTHON3, job.language());
        assertEquals("print(input())", job.code());
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), job.stdin());
        assertTrue(job.enableNetwork());
        assertEquals(new JobLimits(200L, 150L, 64L, 65536L, 4L, 1024L), job.limits());
    }

    @Test
    void onlyLanguageAndCodeAreRequired() throws Exception {
        Job job = JobDocument.parse("{\"language\": \"nodejs\", \"code\": \"1\"}");
        assertEquals(Language.NODEJS, job.language());
        assertEquals(0, job.stdin().length);
        assertFalse(job.enableNetwork());
        assertEquals(JobLimits.DEFAULTS, job.limits());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json                       | {language                                                   | not JSON",
        "an array                       | []                                                          | JSON object",
        "missing language               | {\"code\": \"1\"}                                           | 'language' is required",
        "missing code                   | {\"language\": \"python3\"}                                 | 'code' is required",
        "unknown language               | {\"language\": \"ruby\", \"code\": \"1\"}                   | ruby",
        "code not a string              | {\"language\": \"python3\", \"code\": 1}                    | 'code' must be a string",
        "misspelt field                 | {\"language\": \"python3\", \"code\": \"\", \"limit\": {}}  | unknown field 'limit'",
        "misspelt limit                 | {\"language\": \"python3\", \"code\": \"\", \"limits\": {\"wall_ms\": 1}} | limits.wall_ms",
        "negative limit                 | {\"language\": \"python3\", \"code\": \"\", \"limits\": {\"memory_mb\": -1}} | limits.memory_mb",
        "fractional limit               | {\"language\": \"python3\", \"code\": \"\", \"limits\": {\"memory_mb\": 1.5}} | limits.memory_mb",
        "network not a boolean          | {\"language\": \"python3\", \"code\": \"\", \"enable_network\": \"yes\"} | enable_network",
        "function mode                  | {\"language\": \"python3\", \"code\": \"\", \"mode\": \"function\"} | only script",
    })
    void rejectsDocumentsThatAreNotJobsNamingTheProblem(String what, String json, String expectedInMessage) {
        JobDocument.InvalidJobException e =
                assertThrows(JobDocument.InvalidJobException.class, () -> JobDocument.parse(json));
        assertTrue(e.getMessage().contains(expectedInMessage), () -> what + ": " + e.getMessage());
    }
}
