package jp.tsunagi.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.H2Backup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi backup FILE}: a consistent copy of the embedded H2 database, taken while the gateway runs. */
@Command(name = "backup",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Back up the embedded H2 database (バックアップ) to FILE, a zip, while the gateway runs.",
                "",
                "The copy is H2's online backup, consistent to one moment. The backup is recorded in the audit trail "
                        + "(DATABASE_BACKED_UP) first, so the copy holds its own record. Back up the key directory "
                        + "apart from it: the documents in the copy are encrypted with store.key.",
                "",
                "On PostgreSQL this command copies nothing: it prints the pg_dump and pg_restore commands to use "
                        + "and exits 2.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:backup written",
                "2:bad usage, FILE exists, no database, no gateway key, or a PostgreSQL database (use pg_dump)"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi backup backups/tsunagi-2026-12-01.zip",
                "  tsunagi backup /var/backups/tsunagi.zip --conf /etc/tsunagi"})
final class BackupCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The zip file to write; it must not exist.")
    Path file;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Administrator recorded as taking the backup (a login name). Default: the operating-system user.")
    String actor;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        return AuditStoreOptions.run("cannot back up the database", () -> {
            if (!Database.isH2File(store.jdbcUrl(conf.directory))) {
                return postgresql();
            }
            H2Backup.refuseExisting(file); // before anything is recorded
            String who = AuditStoreOptions.actor(actor);
            var chain = store.chain(conf.agencies(), conf.directory);
            return store.withDatabase(conf.directory, db -> {
                chain.appendCommitted(db.dataSource(), AuditEvent.of(AuditAction.DATABASE_BACKED_UP, who).withOutcome("written"));
                H2Backup.backup(db.dataSource(), file);
                Terminal.out().println("backup written to " + file);
                return ExitCodes.OK;
            });
        });
    }

    /** Pretending would be worse than refusing: PostgreSQL is copied with its own tools. */
    static int postgresql() {
        Terminal.err().println("the database is not an embedded H2 file database: tsunagi does not copy it. "
                + "On PostgreSQL back up and restore with:");
        H2Backup.POSTGRESQL.forEach(line -> Terminal.err().println("  " + line));
        return ExitCodes.BAD_INPUT;
    }
}
