package jp.tsunagi.gateway.intake;

import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.function.LongPredicate;

/** A fictitious person whose name and phone must never appear in clear outside the encrypted store. */
final class Canary {
    static final String FAMILY = "鳥羽";
    static final String GIVEN = "カナリア";
    static final String PHONE = "090-0000-4649";
    static final List<String> VALUES = List.of(FAMILY, GIVEN, PHONE);

    private Canary() {
    }

    /** The number a query answers, after the audit entries committed so far are chained (they may be asserted on). */
    static long count(GatewayFixture g, String sql) throws Exception {
        g.gateway.awaitAuditChained();
        try (var c = g.gateway.database().dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits up to 20 s for the number a query answers (a count, a MAX; null counts as 0) to be ready, polling the
     * database: how a test waits for what the delivery workers record, never for a fixed time.
     *
     * @return the last number read (the caller asserts on it)
     */
    static long await(GatewayFixture g, String sql, LongPredicate ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long value = count(g, sql);
        while (!ready.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = count(g, sql);
        }
        return value;
    }

    /** Every column of every row of the table as text (binary columns read as UTF-8). */
    static String rows(GatewayFixture g, String table) throws Exception {
        g.gateway.awaitAuditChained();
        StringBuilder all = new StringBuilder();
        try (var c = g.gateway.database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    all.append(value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            : String.valueOf(value)).append('|');
                }
            }
        }
        return all.toString();
    }
}
