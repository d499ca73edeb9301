package jp.tsunagi.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/monitoring/tsunagi-alerts.yml is a Prometheus rule file: checked by promtool where it is installed, and always
 * read here (each rule has a name, an expression, a duration, a severity and a description). That each expression
 * names metrics the gateway exposes is MetricsEndToEndTest's.
 */
class MonitoringRulesTest {
    private static final Path RULES = Path.of("../docs/monitoring/tsunagi-alerts.yml");

    @Test
    void every_alert_rule_has_a_name_an_expression_a_duration_a_severity_and_a_description() throws Exception {
        JsonNode groups = new YAMLMapper().readTree(RULES.toFile()).get("groups");

        assertThat(groups).isNotEmpty();
        for (JsonNode group : groups) {
            assertThat(group.get("rules")).isNotEmpty();
            for (JsonNode rule : group.get("rules")) {
                assertThat(rule.path("alert").asText()).matches("Tsunagi[A-Za-z]+");
                assertThat(rule.path("expr").asText()).isNotBlank();
                assertThat(rule.path("for").asText()).matches("\\d+[smh]");
                assertThat(rule.at("/labels/severity").asText()).isIn("critical", "warning");
                assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
                assertThat(rule.at("/annotations/description").asText()).isNotBlank();
            }
        }
    }

    @Test
    void promtool_accepts_the_alert_rules_where_it_is_installed() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed here");

        Process check = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 10 rules found");
    }
}
