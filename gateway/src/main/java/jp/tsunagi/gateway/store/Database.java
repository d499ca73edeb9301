package jp.tsunagi.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import jp.tsunagi.gateway.settings.Settings;
import org.flywaydb.core.Flyway;

/**
 * The durable store: an H2 file database in PostgreSQL mode by default, any PostgreSQL 14+ in production. The
 * migrations under {@code db/migration} are written once, in the SQL both understand.
 */
public final class Database implements AutoCloseable {
    /** The default database of {@code demo} and {@code serve} (docs/contract.md section 2), declared as a setting. */
    public static final String DEFAULT_URL = Settings.DB_URL.defaultValue();

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens a pool on the URL and brings the schema up to date. */
    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2InPostgresMode(jdbcUrl));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setAutoCommit(true);
        config.setPoolName("tsunagi");
        config.setExceptionOverride(new StoreFailures()); // a connection to a database gone under it is replaced
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    /**
     * H2 URLs always get PostgreSQL mode, so the one dialect holds, and WRITE_DELAY=0: by default H2 writes a
     * commit to disk up to 500 ms later, so a kill -9 would lose messages already acknowledged with 202.
     */
    static String h2InPostgresMode(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase();
        String result = url;
        if (!upper.contains(";MODE=")) {
            result += ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
        if (!upper.contains(";WRITE_DELAY=")) {
            result += ";WRITE_DELAY=0";
        }
        return result;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
