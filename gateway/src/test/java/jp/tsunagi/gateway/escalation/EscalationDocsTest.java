package jp.tsunagi.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.model.ReferralStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the guides say about escalation is what the gateway does. */
class EscalationDocsTest {
    private static final Path ADMINISTRATOR_GUIDE = Path.of("../docs/administrator-guide.md");
    private static final Path INTEGRATOR_GUIDE = Path.of("../docs/integrator-guide.md");

    @Test
    void the_integrator_guide_shows_the_note_the_sender_receives_word_for_word() throws Exception {
        ReferralRecord referral = new ReferralRecord("REF-2026-000141", "tsunagi-welfare", "tsunagi-hub",
                ReferralStatus.RECEIVED, "CNS-2026-0027", null, Instant.parse("2026-09-18T06:00:00Z"),
                Instant.parse("2026-09-18T06:00:05Z"));

        String note = OverdueNotice.note(referral, LocalDate.of(2026, 9, 18), LocalDate.of(2026, 9, 30), 5);

        assertThat(Files.readString(INTEGRATOR_GUIDE)).contains("\n" + note + "\n");
    }

    @Test
    void the_administrator_guides_example_dates_are_those_the_calendar_gives() {
        MunicipalCalendar calendar = MunicipalCalendar.standard();
        assertThat(calendar.plusBusinessDays(LocalDate.of(2026, 9, 18), 5)).isEqualTo(LocalDate.of(2026, 9, 30));
        assertThat(calendar.businessDaysBetween(LocalDate.of(2026, 9, 18), LocalDate.of(2026, 9, 23))).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void the_administrator_guides_query_of_escalated_referrals_runs(TestDatabases.Kind kind) throws Exception {
        String guide = Files.readString(ADMINISTRATOR_GUIDE);
        String section = guide.substring(guide.indexOf("## 7. Escalation (督促)"));
        int start = section.indexOf("```sql") + 6;
        String sql = section.substring(start, section.indexOf("```", start)).strip();
        sql = sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;

        try (Database db = TestDatabases.fresh(kind); Connection c = db.dataSource().getConnection();
             ResultSet r = c.createStatement().executeQuery(sql)) {
            assertThat(r.getMetaData().getColumnCount()).isEqualTo(8);
            assertThat(r.next()).isFalse();
        }
    }
}
