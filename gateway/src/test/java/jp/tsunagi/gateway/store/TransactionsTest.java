package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void theReadinessRehearsalLeavesItsPooledConnectionWithoutAQueryTimeout(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            for (int i = 0; i < 10; i++) { // every connection of the pool, whichever the rehearsal got
                Transactions.rehearseWrite(db.dataSource());
            }
            java.util.List<Connection> pool = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    pool.add(db.dataSource().getConnection());
                }
                for (Connection c : pool) {
                    try (java.sql.Statement s = c.createStatement()) {
                        assertThat(s.getQueryTimeout()).as("H2 keeps it for the session: claims were cancelled").isZero();
                    }
                }
            } finally {
                for (Connection c : pool) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void commitsAllOrNothingAndRestoresAutocommit(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind); Connection c = db.dataSource().getConnection()) {
            Transactions.inTransaction(c, x -> insert(x, "a"));
            assertThat(c.getAutoCommit()).isTrue();

            assertThatThrownBy(() -> Transactions.inTransaction(c, x -> {
                insert(x, "b");
                throw new IllegalStateException("audit unavailable");
            })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Transactions.inTransaction(c, x -> {
                insert(x, "c");
                throw new SQLException("disk full");
            })).isInstanceOf(SQLException.class);
            assertThat(c.getAutoCommit()).isTrue();

            try (var r = c.createStatement().executeQuery(
                    "SELECT meta_name FROM tsunagi_meta WHERE meta_name LIKE 't-%' ORDER BY meta_name")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("t-a");
                assertThat(r.next()).as("b and c were rolled back").isFalse();
            }
            assertThat(Transactions.<Integer>inTransaction(db.dataSource(), x -> 42)).isEqualTo(42);

            // nested: the inner work joins the outer transaction and is rolled back with it
            assertThatThrownBy(() -> Transactions.inTransaction(c, outer -> {
                Transactions.inTransaction(outer, inner -> insert(inner, "d"));
                throw new IllegalStateException("signer unavailable");
            })).isInstanceOf(IllegalStateException.class);
            try (var r = c.createStatement().executeQuery("SELECT COUNT(*) FROM tsunagi_meta WHERE meta_name = 't-d'")) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
        }
    }

    private static Void insert(Connection c, String name) throws SQLException {
        try (var s = c.prepareStatement("INSERT INTO tsunagi_meta (meta_name, meta_value) VALUES (?, 'x')")) {
            s.setString(1, "t-" + name);
            s.executeUpdate();
        }
        return null;
    }
}
