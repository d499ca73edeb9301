package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.config.KeyInventory;
import jp.tsunagi.schema.JapanTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tsunagi keys list}: every registered key with its algorithm, certificate expiry and state. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "List the registered keys (鍵の一覧) of the gateway and every agency of agencies.yaml.",
                "",
                "One line per key: kid, owner, algorithm, the expiry of the certificate carrying it (the registered "
                        + "PEM when it is a certificate, else <id>.crt.pem or <id>.<n>.crt.pem of the key directory; "
                        + "'no certificate' otherwise), and its state: current (signs), accepted, retiring until "
                        + "<time> (grace period of a rotation) or retired. A certificate expiring within 60 days is "
                        + "marked 'EXPIRES SOON'; an expired one 'EXPIRED'.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:bad usage or configuration"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi keys list", "  tsunagi keys list --conf /etc/tsunagi --keys /var/lib/tsunagi/keys"})
final class KeysListCommand implements Callable<Integer> {
    /** How far ahead an expiry is worth a warning (the dashboard uses the same). */
    static final Duration SOON = Duration.ofDays(60);

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        return AuditStoreOptions.run("cannot list the keys", () -> {
            PrintStream out = Terminal.out();
            Instant now = Instant.now();
            for (KeyInventory.Key key : KeyInventory.of(conf.agencies(), store.keyDirectory(conf.directory))) {
                out.println(String.join("  ", key.kid(), key.owner(),
                        key.problem() != null ? key.problem() : key.algorithm(), expiry(key, now), state(key, now)));
            }
            return ExitCodes.OK;
        });
    }

    private static String expiry(KeyInventory.Key key, Instant now) {
        if (key.notAfter() == null) {
            return "no certificate";
        }
        String date = "expires " + LocalDate.ofInstant(key.notAfter(), JapanTime.ZONE);
        return key.expiresBefore(now) ? date + " EXPIRED" : key.expiresBefore(now.plus(SOON)) ? date + " EXPIRES SOON" : date;
    }

    private static String state(KeyInventory.Key key, Instant now) {
        String state = key.state(now);
        return state.equals("retiring") ? "retiring until " + key.retires().atOffset(JapanTime.OFFSET) : state;
    }
}
