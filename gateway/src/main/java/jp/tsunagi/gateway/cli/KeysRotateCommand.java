package jp.tsunagi.gateway.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.config.KeyRotation;
import jp.tsunagi.gateway.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi keys rotate AGENCY_ID}: a new key beside the current one, which retires after a grace period. */
@Command(name = "rotate",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Rotate a key (鍵の更新): a new key pair <id>#<n+1> for the agency (or the gateway) beside the current one.",
                "",
                "Writes into the key directory <id>.<n+1>.pub.pem, a new <id>.key.pem and <id>.crt.pem (the replaced "
                        + "ones are kept as <id>.<n>.key.pem and <id>.<n>.crt.pem), and registers the new key first in "
                        + "agencies.yaml (comments kept), so that it signs from the gateway's next start. The replaced key "
                        + "gets 'retires': it stays accepted for tsunagi.keys.rotation-grace (default 30 days), then "
                        + "signatures with it are refused. Restart the gateway to use the new key. The rotation is "
                        + "recorded in the audit trail (KEY_ROTATED) before anything is written.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rotated", "2:bad usage, unknown agency, configuration, no database or gateway key"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi keys rotate tsunagi-tax", "  tsunagi keys rotate gateway --conf /etc/tsunagi"})
final class KeysRotateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "AGENCY_ID", description = "The agency (or the gateway's id) to give a new key.")
    String id;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Administrator recorded as rotating (a login name). Default: the operating-system user.")
    String actor;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        return AuditStoreOptions.run("cannot record the rotation", () -> {
            String who = AuditStoreOptions.actor(actor);
            var agencies = conf.agencies();
            KeyRotation rotation = KeyRotation.prepare(agencies, store.keyDirectory(conf.directory), id,
                    store.settings(conf.directory).get(Settings.KEYS_ROTATION_GRACE), Instant.now());
            var chain = store.chain(agencies, conf.directory);
            return store.withDatabase(conf.directory, db -> {
                chain.appendCommitted(db.dataSource(), AuditEvent.of(AuditAction.KEY_ROTATED, who)
                        .withOutcome(rotation.newKid()).withCode(rotation.oldKid()));
                rotation.apply();
                Terminal.out().println("rotated " + rotation.owner() + ": " + rotation.newKid() + " signs from the next start; "
                        + rotation.oldKid() + " accepted until " + rotation.retires());
                return ExitCodes.OK;
            });
        });
    }
}
