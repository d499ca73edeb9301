package jp.tsunagi.gateway.cli;

import jp.tsunagi.schema.JapanTime;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.AuditExport;
import jp.tsunagi.gateway.console.JapanTimeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsunagi audit export}: entries of a time range as JSON Lines or CSV on standard output; the export is audited. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Export audit entries (監査ログの出力) as JSON Lines or CSV on standard output.",
                "",
                "No personal data in clear: people appear only as their keyed pseudonym (subject_ref). Each line "
                        + "holds seq, at, actor, action, messageId, referralId, subjectRef, dataCategories, basis, "
                        + "outcome, code, prevHash and entryHash, so an auditor can recompute the chain from the file.",
                "",
                "The export itself is recorded in the trail (AUDIT_EXPORTED, with --actor and the range) before "
                        + "anything is written; this needs the gateway's private key.",
                "",
                "With --bundle FILE: an offline verification bundle (オフライン検証用バンドル) instead: one JSON file "
                        + "with the entries of the range, the gateway's signed checkpoints and head that cover them and "
                        + "its public keys; 'tsunagi audit verify --bundle FILE' checks it without the database. The "
                        + "console's download (完全性) is the same bundle.",
                "",
                "Times: ISO 8601 with offset (2024-04-01T09:00:00+09:00), or a date (2024-04-01) in Japan time; "
                        + "--from is inclusive, --to exclusive, and a --to date includes that whole day.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:exported",
                "2:bad usage, time or configuration, no database, or no gateway key"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi audit export --from 2024-04-01 --to 2024-04-30 > audit-2024-04.jsonl",
                "  tsunagi audit export --format csv --actor yamada > audit.csv",
                "  tsunagi audit export --bundle audit-2024-04.bundle.json --from 2024-04-01 --to 2024-04-30"})
final class AuditExportCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "ISO", description = "First time included (ISO 8601 or date). Default: the beginning.")
    String from;

    @Option(names = "--to", paramLabel = "ISO", description = "End of the range, excluded (a date: that day included). Default: no end.")
    String to;

    @Option(names = "--format", paramLabel = "jsonl|csv", defaultValue = "jsonl",
            description = "jsonl (JSON Lines) or csv (RFC 4180, UTF-8). Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--bundle", paramLabel = "FILE",
            description = "Write an offline verification bundle to FILE instead of entries to standard output.")
    Path bundle;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Administrator recorded as exporting (a login name). Default: the operating-system user.")
    String actor;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        return AuditStoreOptions.run("cannot export the audit trail", () -> {
            AuditExport.Format chosen = AuditExport.Format.of(format);
            OffsetDateTime lower = time("--from", from, false);
            OffsetDateTime upper = time("--to", to, true);
            String who = AuditStoreOptions.actor(actor);
            var chain = store.chain(conf.agencies(), conf.directory);
            if (bundle != null) {
                var keys = store.gatewayPublicKeys(conf.agencies(), conf.directory);
                return store.withDatabase(conf.directory, db -> {
                    AuditBundles.export(chain, db.dataSource(), who, lower, upper, keys, bundle);
                    Terminal.out().println("bundle written to " + bundle);
                    return ExitCodes.OK;
                });
            }
            return store.withDatabase(conf.directory, db -> {
                Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                new AuditExport(chain).export(db.dataSource(), who, lower, upper, chosen, out);
                out.flush();
                return ExitCodes.OK;
            });
        });
    }

    /** ISO 8601 with offset; without offset, or a date, in Japan time; an end date includes its whole day. */
    static OffsetDateTime time(String option, String text, boolean end) {
        return text == null ? null : JapanTimeText.parse(option, text, end);
    }
}
