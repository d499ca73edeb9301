package jp.tsunagi.gateway.intake;

import java.sql.ResultSet;
import java.util.List;

/** A fictitious person whose name and phone must never appear in clear outside the encrypted store. */
final class Canary {
    static final String FAMILY = "鳥羽";
    static final String GIVEN = "カナリア";
    static final String PHONE = "090-0000-4649";
    static final List<String> VALUES = List.of(FAMILY, GIVEN, PHONE);

    private Canary() {
    }

    static long count(GatewayFixture g, String sql) throws Exception {
        try (var c = g.gateway.database().dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every column of every row of the table as text (binary columns read as UTF-8). */
    static String rows(GatewayFixture g, String table) throws Exception {
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
