package jp.tsunagi.gateway.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.console.JapanTimeText;
import jp.tsunagi.gateway.operations.Operations;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.PayloadCipher;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the operating commands ({@code referral}, {@code outbox}, {@code deadletter}): {@code --conf},
 * {@code --db} and {@code --keys} as the audit commands take them, and {@code --actor}, who is recorded in the audit
 * trail (default: the operating-system user). They open the store as the audit commands do, so they work beside the
 * running gateway, and act through the same services as the console.
 */
final class OperationsOptions {
    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Administrator recorded in the audit trail (a login name). Default: the operating-system user.")
    String actor;

    /** What a command does with the services. */
    @FunctionalInterface
    interface Work {
        int on(Operations operations, String actor) throws java.sql.SQLException, java.io.IOException;
    }

    /** Opens the store, builds the services (audited with the gateway's key), does the work, closes the store. */
    int run(String failure, Work work) {
        return AuditStoreOptions.run(failure, () -> {
            String who = AuditStoreOptions.actor(actor);
            AgencyDirectory agencies = conf.agencies();
            var chain = store.chain(agencies, conf.directory);
            Path keys = store.keyDirectory(conf.directory);
            boolean approval = SettingsFile.load(conf.directory).get(Settings.CONSOLE_REQUEUE_APPROVAL);
            try (Database db = store.open(conf.directory)) {
                // the running gateway's workers poll the outbox: a requeued copy is picked up at their next look
                Operations operations = Operations.of(db.dataSource(), chain, PayloadCipher.fromKeyDirectory(keys),
                        agencies.suspendedIds(), approval, Clock.systemUTC(), () -> { });
                int exit = work.on(operations, who);
                // what the command recorded is chained now, whether or not a gateway's sequencer runs (architecture D12)
                chain.chainCommitted(db.dataSource());
                return exit;
            }
        });
    }

    /** A time as the command line shows it: Japan time, or "-" for none. */
    static String time(Instant at) {
        return at == null ? "-" : JapanTimeText.show(at.atOffset(ZoneOffset.UTC));
    }
}
