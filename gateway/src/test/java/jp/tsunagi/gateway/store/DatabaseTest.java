package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void theSchemaIsMigratedOnOpenOnH2AndOnPostgresql(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind);
             var c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("select count(*) from flyway_schema_history")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
            assertThat(db.isPostgres()).isEqualTo(kind == TestDatabases.Kind.POSTGRESQL);
        }
    }

    @Test
    void anH2ConnectionKeepsTheParsedStatementsOfAWholeMessageInsteadOfParsingThemAgain() throws Exception {
        try (Database db = TestDatabases.fresh(TestDatabases.Kind.H2);
             var c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery(
                     "select setting_value from information_schema.settings where setting_name = 'QUERY_CACHE_SIZE'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Database.QUERY_CACHE_SIZE).isGreaterThan(8); // H2's own default is 8
        }
    }
}
