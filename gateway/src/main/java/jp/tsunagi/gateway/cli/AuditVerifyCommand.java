package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.AuditBundle;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.schema.signature.KeyResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsunagi audit verify}: recomputes the whole chain and checks every signature; 0 intact, 3 tampered. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Verify the audit trail (監査ログの検証): recompute the whole hash chain and check every signed "
                        + "checkpoint and the signed head with the gateway's public key.",
                "",
                "Finds any entry changed, deleted, inserted or reordered directly in the database, the newest "
                        + "entries deleted (truncation), and deleted checkpoints. Prints 'intact: N entries, M "
                        + "checkpoints' and the signed head (write its hash down: a later verify that shows an older "
                        + "head means the whole trail was rolled back), or 'tampered at seq S (kind): why' naming the "
                        + "first bad entry.",
                "",
                "Then 'unchained: N entries, the oldest T s old': entries committed but not linked into the chain yet "
                        + "(the gateway's sequencer links them within tsunagi.audit.chain-delay); 'overdue' when one "
                        + "waited longer than twice that delay plus 5 s, which means no gateway is chaining. Unchained "
                        + "entries are not checked: nothing signed covers them yet. They do not change the exit code.",
                "",
                "With --bundle FILE: verifies an offline verification bundle (from 'audit export --bundle' or the "
                        + "console) alone, without the database: every entry's hash and link, the signatures of its "
                        + "checkpoints and head, and that its last entry is one the gateway signed. The bundle carries "
                        + "the gateway's public keys: compare the printed fingerprints with the gateway's published key.",
                "",
                "Changes nothing in the trail, and runs while the gateway runs on PostgreSQL; the H2 file "
                        + "database admits one process at a time: stop the gateway, or verify a copy with --db.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:intact",
                "2:bad usage or configuration, no database, or no public key of the gateway",
                "3:tampered (the first bad sequence number and why on standard output)"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi audit verify", "  tsunagi audit verify --bundle audit-2024-04.bundle.json",
                "  tsunagi audit verify --db jdbc:postgresql://db.example.lg.jp:5432/tsunagi"})
final class AuditVerifyCommand implements Callable<Integer> {
    /** docs/contract.md section 2: the audit trail is not intact. */
    static final int TAMPERED = 3;

    @Option(names = "--bundle", paramLabel = "FILE",
            description = "Verify an offline verification bundle instead of the database.")
    Path bundle;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        if (bundle != null) {
            return AuditStoreOptions.run("cannot read the bundle", this::verifyBundle);
        }
        return AuditStoreOptions.run("cannot read the audit trail", () -> {
            KeyResolver gatewayKeys = store.gatewayKeys(conf.agencies(), conf.directory);
            VerificationResult result = store.withDatabase(conf.directory,
                    db -> new AuditVerifier(gatewayKeys).verify(db.dataSource()));
            PrintStream out = Terminal.out();
            out.println(result.summary());
            if (result.headHash() != null) {
                out.println("head: seq " + result.headSeq() + ", entry hash " + result.headHash());
            }
            out.println(result.unchainedSummary(store.chainOverdue(conf.directory)));
            return result.intact() ? ExitCodes.OK : TAMPERED;
        });
    }

    private int verifyBundle() throws IOException {
        AuditBundle.Check check;
        try (InputStream in = Files.newInputStream(bundle)) {
            check = AuditBundle.verify(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(bundle + ": no such file");
        }
        VerificationResult result = check.result();
        PrintStream out = Terminal.out();
        out.println(result.summary());
        if (result.headHash() != null) {
            out.println("head: seq " + result.headSeq() + ", entry hash " + result.headHash());
        }
        for (String key : check.keys()) {
            out.println("bundle key: " + key);
        }
        return result.intact() ? ExitCodes.OK : TAMPERED;
    }
}
