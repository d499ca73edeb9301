package jp.tsunagi.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
    /**
     * Parsed statements H2 keeps per connection. Its default of 8 is fewer than the statements of one message (intake,
     * claim, re-check, outcome, notice, chaining: about 40 distinct ones), so each was parsed again every time: 9 % of
     * the gateway's CPU under load (docs/benchmarks.md).
     */
    static final int QUERY_CACHE_SIZE = 256;

    static {
        // the automatic mixed mode's TCP server (AUTO_SERVER) listens on this machine only, never on the LGWAN side;
        // set before H2 reads its system properties (an operator may still choose another address with -D)
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private final HikariDataSource dataSource;
    /** null unless this is an H2 file database (see {@link H2Housekeeping}) */
    private final H2Housekeeping housekeeping;

    private Database(HikariDataSource dataSource, H2Housekeeping housekeeping) {
        this.dataSource = dataSource;
        this.housekeeping = housekeeping;
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
        // a store that cannot give a connection in 5 s (a full disk, a database gone) is answered 503 at once instead of
        // holding each request for HikariCP's default 30 s, longer than many senders wait
        config.setConnectionTimeout(5_000);
        config.setAutoCommit(true);
        config.setPoolName("tsunagi");
        config.setExceptionOverride(new StoreFailures()); // a connection to a database gone under it is replaced
        if (isH2File(jdbcUrl)) {
            migrateBeforeThePool(config);
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        H2Housekeeping housekeeping = null;
        if (isH2File(jdbcUrl)) {
            try {
                housekeeping = H2Housekeeping.start(() -> dedicatedConnection(dataSource));
            } catch (SQLException e) {
                dataSource.close();
                throw new IllegalStateException("cannot open the H2 database " + jdbcUrl, e);
            }
        }
        return new Database(dataSource, housekeeping);
    }

    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    /**
     * Migrates an H2 file on connections of Flyway's own, closed when it is done, so that H2 closes the database
     * before the pool opens it again. H2 (2.4) keeps a {@code CHECK (x IN (...))} constraint bound to the session that
     * created it: once that session closed, every insert into its table failed ("Check constraint invalid"). The
     * 30-minute soak found it: at minute 24 the pool retired the connection that had run the migrations, and every
     * message was refused from then on. Reopened, H2 reads the constraints anew in a session of its own.
     */
    private static void migrateBeforeThePool(HikariConfig config) {
        Flyway.configure().dataSource(config.getJdbcUrl(), config.getUsername() == null ? "" : config.getUsername(),
                config.getPassword() == null ? "" : config.getPassword())
                .locations("classpath:db/migration").load().migrate();
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    /**
     * H2 URLs always get PostgreSQL mode, so the one dialect holds, and WRITE_DELAY=0: by default H2 writes a
     * commit to disk up to 500 ms later, so a kill -9 would lose messages already acknowledged with 202. An H2 file
     * database also gets AUTO_SERVER=TRUE (H2's automatic mixed mode): the first process to open the file serves it
     * to the others over a local TCP port H2 writes into the lock file, so that the command line reads the store
     * while the gateway runs, instead of failing with "the file is locked". The URL still names the same file.
     * Other H2 URLs get DB_CLOSE_ON_EXIT=FALSE (H2 refuses it beside AUTO_SERVER): H2's own shutdown hook closed the
     * database while the gateway's was still stopping, so deliveries in flight could not record their outcome. A file
     * database is safe from that because serve and demo handle SIGINT and SIGTERM themselves (StopSignal): the gateway
     * closes, the database last, before the JVM's shutdown hooks run.
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
        if (!upper.contains(";QUERY_CACHE_SIZE=")) {
            result += ";QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE;
        }
        boolean autoServer = upper.contains(";AUTO_SERVER=TRUE") || isH2File(url) && !upper.contains(";AUTO_SERVER=");
        if (isH2File(url) && !upper.contains(";AUTO_SERVER=")) {
            result += ";AUTO_SERVER=TRUE";
        }
        if (!autoServer && !upper.contains(";DB_CLOSE_ON_EXIT=")) { // H2 refuses the two together
            result += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return result;
    }

    /** An embedded H2 database in a file (not in memory, not reached through an H2 server). */
    public static boolean isH2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length());
        return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:") && !rest.startsWith("zip:");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A connection of its own, outside the pool, for a session that must outlive any transaction: the audit
     * sequencer's advisory lock (PostgreSQL releases it when the session ends). The caller closes it.
     */
    public Connection dedicatedConnection() throws SQLException {
        return dedicatedConnection(dataSource);
    }

    private static Connection dedicatedConnection(HikariDataSource dataSource) throws SQLException {
        return DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
    }

    /** Whether the connection is to PostgreSQL (else H2): for the few statements the two must say differently. */
    public static boolean isPostgres(Connection c) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    }

    public boolean isPostgres() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        dataSource.close();
    }
}
