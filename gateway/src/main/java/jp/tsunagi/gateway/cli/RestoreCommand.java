package jp.tsunagi.gateway.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.AuditSearch;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.H2Backup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi restore FILE}: the embedded H2 database replaced by a backup, with the gateway stopped. */
@Command(name = "restore",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Restore the embedded H2 database (リストア) from FILE, a backup written by 'tsunagi backup'.",
                "",
                "Refuses while the gateway (or any process) has the database open: stop the gateway first. The "
                        + "database file it replaces is kept beside it (<name>.mv.db.replaced-<time>). The restore is "
                        + "recorded in the restored audit trail (DATABASE_RESTORED, code: the backup's last entry), "
                        + "so 'tsunagi audit verify' checks the restored chain and its continuation.",
                "",
                "On PostgreSQL use pg_restore (printed by this command, exit 2).",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:restored",
                "2:bad usage, not a backup, the gateway runs, no gateway key, or a PostgreSQL database"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi restore backups/tsunagi-2026-12-01.zip"})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "A zip written by 'tsunagi backup'.")
    Path file;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Administrator recorded as restoring (a login name). Default: the operating-system user.")
    String actor;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        return AuditStoreOptions.run("cannot restore the database", () -> {
            String url = store.jdbcUrl(conf.directory);
            if (!Database.isH2File(url)) {
                return BackupCommand.postgresql();
            }
            String who = AuditStoreOptions.actor(actor);
            var chain = store.chain(conf.agencies(), conf.directory);
            Path kept = H2Backup.restore(file, H2Backup.H2File.of(url), Instant.now());
            var keys = store.gatewayKeys(conf.agencies(), conf.directory);
            return store.withDatabase(conf.directory, db -> {
                long head;
                try (var c = db.dataSource().getConnection()) {
                    head = AuditSearch.head(c, keys).map(h -> h.seq()).orElse(0L);
                }
                chain.appendCommitted(db.dataSource(), AuditEvent.of(AuditAction.DATABASE_RESTORED, who)
                        .withOutcome("restored").withCode("seq:" + head));
                Terminal.out().println("restored from " + file + " (audit trail up to seq " + head + ")"
                        + (kept == null ? "" : "; the replaced database is kept as " + kept));
                return ExitCodes.OK;
            });
        });
    }
}
