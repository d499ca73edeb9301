package jp.tsunagi.gateway.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.tools.Restore;

/**
 * Backup (バックアップ) and restore (リストア) of the embedded H2 file database. A backup is H2's own online backup
 * ({@code BACKUP TO}): a zip of the database file taken inside one transaction, consistent while the gateway keeps
 * writing. A restore replaces the database file with the backup's, only when no process has the database open;
 * the file it replaces is kept beside it. PostgreSQL is backed up with its own tools ({@link #POSTGRESQL}).
 */
public final class H2Backup {
    /** What to run instead on PostgreSQL; the administrator guide (section 12) gives the same commands. */
    public static final List<String> POSTGRESQL = List.of(
            "pg_dump --format=custom --file=tsunagi.dump \"postgresql://HOST:5432/tsunagi\"",
            "pg_restore --clean --if-exists --dbname=\"postgresql://HOST:5432/tsunagi\" tsunagi.dump");

    private H2Backup() {
    }

    /** The database file of an H2 file URL: its directory and name ({@code <dir>/<name>.mv.db}). */
    public record H2File(Path directory, String name) {
        public Path file() {
            return directory.resolve(name + ".mv.db");
        }

        /** @throws IllegalArgumentException when the URL is not an embedded H2 file database */
        public static H2File of(String jdbcUrl) {
            if (!Database.isH2File(jdbcUrl)) {
                throw new IllegalArgumentException("not an embedded H2 file database: " + jdbcUrl);
            }
            String path = jdbcUrl.substring("jdbc:h2:".length());
            if (path.startsWith("file:")) {
                path = path.substring("file:".length());
            }
            int semicolon = path.indexOf(';');
            if (semicolon >= 0) {
                path = path.substring(0, semicolon);
            }
            if (path.startsWith("~")) {
                path = System.getProperty("user.home") + path.substring(1);
            }
            Path p = Path.of(path).toAbsolutePath().normalize();
            return new H2File(p.getParent(), p.getFileName().toString());
        }
    }

    /**
     * Writes a consistent copy of the open database to a new zip file.
     *
     * @throws IllegalArgumentException when the file exists already (a backup is never overwritten)
     */
    public static void backup(DataSource dataSource, Path zip) throws SQLException {
        refuseExisting(zip);
        Path target = zip.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target.getParent(), e);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("BACKUP TO '" + target.toString().replace("'", "''") + "'");
        }
    }

    /** @throws IllegalArgumentException when the file exists: a backup never overwrites one */
    public static void refuseExisting(Path zip) {
        if (Files.exists(zip)) {
            throw new IllegalArgumentException(zip + " exists already: a backup never overwrites a file; give a new name");
        }
    }

    /** Whether another process (the gateway) has the database open now. */
    public static boolean inUse(H2File db) {
        if (!Files.exists(db.file())) {
            return false;
        }
        String exclusive = "jdbc:h2:file:" + db.directory().resolve(db.name()) + ";IFEXISTS=TRUE;AUTO_SERVER=FALSE";
        try (Connection c = DriverManager.getConnection(exclusive)) {
            return false;
        } catch (SQLException e) {
            return e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1;
        }
    }

    /**
     * Replaces the database file with the backup's. The replaced file is kept as {@code <name>.mv.db.replaced-<time>}.
     *
     * @return the kept file, or null if there was no database
     * @throws IllegalArgumentException when the zip holds no database of this name, or the database is in use
     */
    public static Path restore(Path zip, H2File db, Instant now) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("no backup at " + zip);
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.getEntry(db.name() + ".mv.db") == null) {
                throw new IllegalArgumentException(zip + " holds no database named " + db.name()
                        + " (a file written by 'tsunagi backup' of the same database URL)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(zip + " is not a backup written by 'tsunagi backup' (not a zip file)");
        }
        if (inUse(db)) {
            throw new IllegalArgumentException("the database " + db.file() + " is open (the gateway runs): stop the "
                    + "gateway, then restore");
        }
        try {
            Files.createDirectories(db.directory());
            Path kept = null;
            if (Files.exists(db.file())) {
                kept = db.directory().resolve(db.name() + ".mv.db.replaced-" + now.toString().replace(":", ""));
                Files.move(db.file(), kept, StandardCopyOption.ATOMIC_MOVE);
            }
            Restore.execute(zip.toString(), db.directory().toString(), db.name());
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + db.file(), e);
        }
    }
}
