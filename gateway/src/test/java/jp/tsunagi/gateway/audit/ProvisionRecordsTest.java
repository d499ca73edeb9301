package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProvisionRecordsTest {
    private static final String KINDS = "jp.tsunagi.gateway.store.TestDatabases#kinds";
    private static final String PERSON = "b".repeat(64);
    private static final String OTHER = "c".repeat(64);

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_disclosure_lists_one_persons_provisions_and_is_itself_audited(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            // 2024-03-31 23:30 in Japan is still the 31st there, whatever UTC says
            AuditChainTest.MutableClock clock = new AuditChainTest.MutableClock(Instant.parse("2024-03-31T14:30:00Z"));
            ProvisionRecords records = new ProvisionRecords(clock);
            try (Connection c = db.dataSource.getConnection()) {
                records.record(c, new Provision("tsunagi-tax", "tsunagi-hub", PERSON,
                        EnumSet.of(DataCategory.TAX_ARREARS, DataCategory.IDENTITY), LegalBasis.CONSENT, "consent-001",
                        "7f8e1b7a-0c8e-4a57-9d2c-2f1b0f6f4a10", "REF-1"));
                clock.now = clock.now.plusSeconds(3600);
                records.record(c, new Provision("tsunagi-hub", "tsunagi-welfare", PERSON,
                        EnumSet.of(DataCategory.IDENTITY, DataCategory.HEALTH), LegalBasis.SUPPORT_MEETING, "meeting-7",
                        "8f8e1b7a-0c8e-4a57-9d2c-2f1b0f6f4a10", null));
                records.record(c, new Provision("tsunagi-tax", "tsunagi-hub", OTHER, EnumSet.of(DataCategory.IDENTITY),
                        LegalBasis.CONSENT, "consent-002", "9f8e1b7a-0c8e-4a57-9d2c-2f1b0f6f4a10", "REF-2"));
            }
            AuditChain chain = AuditFixtures.chain(Clock.systemUTC());

            List<ProvisionRecord> disclosed = new Disclosure(chain, records).disclose(db.dataSource, "admin-yamada", PERSON);

            assertThat(disclosed).hasSize(2);
            assertThat(disclosed.get(0).provision().categories()).containsExactly(DataCategory.IDENTITY, DataCategory.TAX_ARREARS);
            assertThat(disclosed.get(0).keepUntil()).isEqualTo(LocalDate.of(2027, 3, 31));
            assertThat(disclosed).extracting(r -> r.provision().recipient()).containsExactly("tsunagi-hub", "tsunagi-welfare");
            AuditEntry audited = AuditVerifierTest.entry(db, 1);
            assertThat(audited.action()).isEqualTo("DISCLOSED");
            assertThat(audited.actor()).isEqualTo("admin-yamada");
            assertThat(audited.subjectRef()).isEqualTo(PERSON);

            String report = DisclosureReport.render(PERSON, disclosed,
                    Map.of("tsunagi-tax", "つなぎ市税務課", "tsunagi-hub", "つなぎ市自立相談支援センター")::get);
            assertThat(report).contains("提供記録の開示", "2 件", "つなぎ市税務課 (tsunagi-tax)", "tsunagi-welfare",
                    "本人同意 consent-001", "支援会議 meeting-7", "税の滞納", "健康(要配慮個人情報)", "2024-03-31 23:30",
                    "2024-04-01 00:30",
                    "REF-1", "2027-03-31");
            List<String> lines = report.lines().dropWhile(l -> !l.startsWith("No ")).filter(l -> !l.startsWith("---"))
                    .toList();
            assertThat(lines).hasSize(3);
            int column = DisclosureReport.width(lines.get(0).substring(0, lines.get(0).indexOf("提供元")));
            for (String line : lines) {
                String[] cells = line.split("  +");
                assertThat(DisclosureReport.width(line.substring(0, line.indexOf(cells[2])))).as("aligned: " + line).isEqualTo(column);
            }

            records.purgeExpired(db.dataSource.getConnection());
            assertThat(db.count("provision_record")).as("nothing is past its retention yet").isEqualTo(3);
        }
    }

    @Test
    void no_records_is_said_plainly() {
        assertThat(DisclosureReport.render(PERSON, List.of(), id -> null)).contains("提供記録はありません", "No provision records");
    }

    @Test
    void a_provision_holds_ids_and_codes_only() {
        assertThatThrownBy(() -> new Provision("tsunagi-tax", "つなぎ市", PERSON, EnumSet.of(DataCategory.IDENTITY),
                LegalBasis.CONSENT, null, "m-1", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Provision("tsunagi-tax", "tsunagi-hub", "サトウ", EnumSet.of(DataCategory.IDENTITY),
                LegalBasis.CONSENT, null, "m-1", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Provision("tsunagi-tax", "tsunagi-hub", PERSON, EnumSet.noneOf(DataCategory.class),
                LegalBasis.CONSENT, null, "m-1", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
