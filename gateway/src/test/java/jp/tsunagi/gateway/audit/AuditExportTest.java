package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.Jcs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuditExportTest {
    private static final String KINDS = "jp.tsunagi.gateway.store.TestDatabases#kinds";

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_json_lines_export_lets_an_auditor_recompute_every_hash_and_is_itself_audited(TestDatabases.Kind kind)
            throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            AuditFixtures.write(db.dataSource, 12);
            AuditChain chain = AuditFixtures.chain(Clock.systemUTC());
            StringWriter out = new StringWriter();

            long n = new AuditExport(chain).export(db.dataSource, "admin-yamada", null, null, AuditExport.Format.JSONL, out);

            List<String> lines = out.toString().lines().toList();
            assertThat(n).isEqualTo(13).isEqualTo(lines.size());
            ObjectMapper json = new ObjectMapper();
            String prev = "0".repeat(64);
            for (String line : lines) {
                ObjectNode entry = (ObjectNode) json.readTree(line);
                String entryHash = entry.remove("entryHash").asText();
                assertThat(entry.remove("prevHash").asText()).isEqualTo(prev);
                // the recipe of the administrator guide, with the schema library's JCS
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(prev.getBytes(StandardCharsets.US_ASCII));
                sha256.update(Jcs.canonicalize(entry));
                assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(entryHash);
                prev = entryHash;
            }
            JsonNode last = json.readTree(lines.get(12));
            assertThat(last.get("action").asText()).isEqualTo("AUDIT_EXPORTED");
            assertThat(last.get("actor").asText()).isEqualTo("admin-yamada");
            assertThat(last.get("code").asText()).isEqualTo("jsonl:../..");
            assertThat(new AuditVerifier(AuditDatabase.GATEWAY_KEYS).verify(db.dataSource).intact()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_csv_export_of_a_time_range_has_a_header_and_one_row_per_entry(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            List<AuditEntry> entries = AuditFixtures.write(db.dataSource, 6);
            OffsetDateTime from = entries.get(0).at();
            OffsetDateTime to = entries.get(5).at(); // exclusive; entries may share a microsecond, so count by time
            long expected = entries.stream().filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)).count();
            StringWriter out = new StringWriter();

            long n;
            try (Connection c = db.dataSource.getConnection()) {
                n = AuditExport.write(c, from, to, AuditExport.Format.CSV, out);
            }

            assertThat(n).isEqualTo(expected).isPositive();
            String[] rows = out.toString().split("\r\n");
            assertThat(rows[0]).isEqualTo(String.join(",", AuditExport.CSV_COLUMNS));
            assertThat(rows).hasSize((int) n + 1);
            assertThat(rows[1]).startsWith("1," + AuditTime.canonical(from) + ",gateway,CONSENT_DECISION,");
            StringWriter all = new StringWriter();
            try (Connection c = db.dataSource.getConnection()) {
                AuditExport.write(c, null, null, AuditExport.Format.CSV, all);
            }
            assertThat(all.toString().split("\r\n")[5]).startsWith("5,")
                    .contains(",\"IDENTITY,TAX_ARREARS\",CONSENT:consent-5,accepted,,");
        }
    }

    @Test
    void csv_cells_are_quoted_as_rfc_4180_says() {
        assertThat(AuditExport.csvCell(null)).isEmpty();
        assertThat(AuditExport.csvCell("plain")).isEqualTo("plain");
        assertThat(AuditExport.csvCell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditExport.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditExport.csvCell("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
    }
}
