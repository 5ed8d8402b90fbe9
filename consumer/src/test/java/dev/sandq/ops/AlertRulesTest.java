package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules pass promtool and each has a runbook section. */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AlertRulesTest {
    private static final Path RULES = OpsFiles.path("ops/prometheus/sandq-alerts.yaml");

    @Test
    void alertRulesPassPromtool() throws Exception {
        String promtool = Tool.require("promtool", "run ops/install-deps --test (Debian package prometheus)");
        Tool.Run run = Tool.run(OpsFiles.root(), Map.of(), 60, promtool, "check", "rules", RULES.toString());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("SUCCESS: 9 rules found"), run.output());
    }

    @Test
    void promtoolRejectsABrokenRule(@TempDir Path dir) throws Exception {
        String promtool = Tool.require("promtool", "run ops/install-deps --test (Debian package prometheus)");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(RULES).replace("> 0.05", "> > 0.05"));
        Tool.Run run = Tool.run(dir, Map.of(), 60, promtool, "check", "rules", broken.toString());
        assertNotEquals(0, run.exitCode(), run.output());
    }

    @Test
    void everyAlertHasARunbookSectionAndLinksToIt() throws Exception {
        String runbook = Files.readString(OpsFiles.path("ops/runbook.md"));
        Set<String> missing = new TreeSet<>();
        for (JsonNode group : new YAMLMapper().readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                if (!runbook.contains("\n## " + alert + "\n")
                        || !rule.path("annotations").path("runbook_url").asText().endsWith("#" + alert.toLowerCase())) {
                    missing.add(alert);
                }
            }
        }
        assertEquals(Set.of(), missing, "alerts without a '## Name' section in ops/runbook.md or a matching runbook_url");
    }
}
