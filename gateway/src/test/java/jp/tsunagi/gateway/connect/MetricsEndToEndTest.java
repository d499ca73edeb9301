package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics of a gateway that took in a tax desk file through its connector and a message over HTTP: each intake
 * path counted, the outbox's backlog, latency histograms, JVM and process, the build; nothing about a person; and
 * every metric docs/monitoring/ alerts on or charts is one the gateway really exposes.
 */
class MetricsEndToEndTest {
    private static final Charset SJIS = FixedWidthText.WINDOWS_31J;
    private static final Path MONITORING = Path.of("../docs/monitoring");
    /** Series Prometheus makes itself, not the gateway. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    @TempDir
    Path dir;
    AgencyFolder taxDesk;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        taxDesk = AgencyFolder.create(dir.resolve("exchange/tax-desk"));
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-tax", "route", "direct:tax-desk-out");
            ConnectorConf.route(conf, "tax-desk.yaml", ConnectorConf.taxDeskRoutes(taxDesk));
        });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void metrics_count_each_intake_path_and_show_backlog_latencies_jvm_and_build_without_personal_data() throws Exception {
        byte[] badBirthDate = TaxDeskSystem.record(new TaxDeskSystem.Referral("TAX-2026-000002", "鈴木", "一郎", "ｽｽﾞｷ",
                "ｲﾁﾛｳ", "5011301", "CNS-2026-000002", "5080615", "5090614"));
        taxDesk.drop("TSUNAGI_20261122.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(1)), badBirthDate)));
        Await.until(() -> Files.exists(taxDesk.in().resolve("TSUNAGI_20261122.DAT.result.csv")) ? true : null);
        gateway.awaitCopies("tsunagi-hub", 1);
        int httpStatus = gateway.send(gateway.sample("F1-")).statusCode();

        String metrics = Await.until(() -> {
            String scraped = scrape();
            return Pattern.compile("(?m)^tsunagi_delivery_latency_seconds_count [1-9]").matcher(scraped).find() ? scraped : null;
        });

        assertThat(value(metrics, "tsunagi_intake_messages_total", "path=\"connector\"", "agency=\"tsunagi-tax\"", "outcome=\"accepted\"")).isEqualTo(1.0);
        assertThat(value(metrics, "tsunagi_intake_messages_total", "path=\"connector\"", "outcome=\"rejected\"", "code=\"mapping.invalid_value\"")).isEqualTo(1.0);
        assertThat(value(metrics, "tsunagi_intake_messages_total", "path=\"http\"")).as("HTTP %d", httpStatus).isEqualTo(1.0);
        assertThat(value(metrics, "tsunagi_intake_seconds_count", "path=\"connector\"")).isEqualTo(2.0);
        assertThat(metrics).contains("tsunagi_intake_seconds_bucket{", "tsunagi_delivery_latency_seconds_bucket{");
        assertThat(value(metrics, "tsunagi_outbox_copies", "state=\"dead\"")).isZero();
        assertThat(metrics).containsPattern("(?m)^tsunagi_outbox_copies\\{state=\"pending\"\\} ")
                .containsPattern("(?m)^tsunagi_outbox_oldest_pending_age_seconds ")
                .containsPattern("(?m)^tsunagi_store_up 1")
                .containsPattern("(?m)^tsunagi_build_info\\{version=\"[^\"]+\"\\} 1")
                .containsPattern("(?m)^jvm_memory_used_bytes\\{")
                .containsPattern("(?m)^jvm_threads_live_threads ")
                .containsPattern("(?m)^process_cpu_usage ")
                .containsPattern("(?m)^process_uptime_seconds ");
        for (String personal : List.of("佐藤", "サトウ", "ｻﾄｳ", "鈴木", "090-3814-2267", "1979-08-21")) {
            assertThat(metrics).doesNotContain(personal);
        }

        for (String family : documentedFamilies()) {
            assertThat(metrics).as("docs/monitoring/ uses %s", family).containsPattern("(?m)^" + family + "[{ ]");
        }
    }

    private String scrape() {
        try {
            return gateway.get("/metrics", null).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every metric the alert rules and the Grafana dashboard name. */
    private static Set<String> documentedFamilies() throws Exception {
        List<String> expressions = new ArrayList<>();
        JsonNode rules = new YAMLMapper().readTree(MONITORING.resolve("tsunagi-alerts.yml").toFile());
        rules.get("groups").forEach(g -> g.get("rules").forEach(r -> expressions.add(r.get("expr").asText())));
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("tsunagi-grafana-dashboard.json").toFile());
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> expressions.add(t.get("expr").asText())));
        Set<String> families = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:tsunagi|jvm|process)_[a-z0-9_]+|up)\\b").matcher(String.join("\n", expressions));
        while (m.find()) {
            if (!PROMETHEUS_OWN.contains(m.group(1))) {
                families.add(m.group(1));
            }
        }
        assertThat(families).hasSizeGreaterThan(10);
        return families;
    }

    /** The value of the one series of the family carrying all the labels. */
    private static double value(String metrics, String family, String... labels) {
        List<Double> values = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(family + "{") && List.of(labels).stream().allMatch(line::contains)) {
                values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(values).as("%s with %s", family, List.of(labels)).hasSize(1);
        return values.get(0);
    }
}
