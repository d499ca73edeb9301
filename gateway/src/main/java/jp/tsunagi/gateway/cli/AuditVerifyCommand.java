package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.schema.signature.KeyResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tsunagi audit verify}: recomputes the whole chain and checks every signature; 0 intact, 3 tampered. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Verify the audit trail (監査ログの検証): recompute the whole hash chain and check every signed "
                        + "checkpoint and the signed head with the gateway's public key.",
                "",
                "Finds any entry changed, deleted, inserted or reordered directly in the database, and the newest "
                        + "entries deleted (truncation). Prints 'intact: N entries, M checkpoints' and the signed head "
                        + "(write its hash down: a later verify that shows an older head means the whole trail was "
                        + "rolled back), or 'tampered at seq S (kind): why' naming the first bad entry.",
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
        footer = {"  tsunagi audit verify", "  tsunagi audit verify --db jdbc:postgresql://db.example.lg.jp:5432/tsunagi"})
final class AuditVerifyCommand implements Callable<Integer> {
    /** docs/contract.md section 2: the audit trail is not intact. */
    static final int TAMPERED = 3;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        return AuditStoreOptions.run("cannot read the audit trail", () -> {
            KeyResolver gatewayKeys = store.gatewayKeys(conf.agencies(), conf.directory);
            VerificationResult result = store.withDatabase(conf.directory,
                    db -> new AuditVerifier(gatewayKeys).verify(db.dataSource()));
            PrintStream out = Terminal.out();
            out.println(result.summary());
            if (result.headHash() != null) {
                out.println("head: seq " + result.headSeq() + ", entry hash " + result.headHash());
            }
            return result.intact() ? ExitCodes.OK : TAMPERED;
        });
    }
}
