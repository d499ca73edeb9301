package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;

/** docs/administrator-guide.md says what the code does: every action and tampering kind, and SQL that runs. */
class AdministratorGuideTest {
    private static final Path GUIDE = Path.of("../docs/administrator-guide.md");

    @Test
    void every_action_and_every_kind_of_tampering_is_explained() throws Exception {
        String guide = Files.readString(GUIDE);

        for (AuditAction action : AuditAction.values()) {
            assertThat(guide).contains("| `" + action.name() + "` | " + action.label() + " |");
        }
        for (Tampering kind : Tampering.values()) {
            assertThat(guide).contains("| `" + kind.words() + "` |");
        }
    }

    @Test
    void the_postgresql_hardening_sql_of_the_guide_runs_and_keeps_the_trail_append_only() throws Exception {
        String guide = Files.readString(GUIDE);
        String section = guide.substring(guide.indexOf("## 6. Hardening on PostgreSQL"));
        String sql = section.substring(section.indexOf("```sql") + 6, section.indexOf("```", section.indexOf("```sql") + 6));

        try (AuditDatabase db = AuditDatabase.fresh(TestDatabases.Kind.POSTGRESQL)) {
            AuditFixtures.write(db.dataSource, 3);
            db.sql(sql);
            AuditFixtures.write(db.dataSource, 12);

            for (String refused : new String[] {"UPDATE audit_entry SET actor = 'x' WHERE seq = 2",
                    "DELETE FROM audit_entry WHERE seq = 15", "TRUNCATE audit_entry",
                    "DELETE FROM audit_checkpoint", "UPDATE audit_checkpoint SET kid = 'x'"}) {
                assertThatThrownBy(() -> db.sql(refused)).as(refused).isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
            assertThat(new AuditVerifier(AuditDatabase.GATEWAY_KEYS).verify(db.dataSource).summary())
                    .isEqualTo("intact: 15 entries, 2 checkpoints");
        }
    }
}
