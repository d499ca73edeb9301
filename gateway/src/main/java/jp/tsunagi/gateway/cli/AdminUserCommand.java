package jp.tsunagi.gateway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.console.Account;
import jp.tsunagi.gateway.console.Accounts;
import jp.tsunagi.gateway.console.ConsoleSettings;
import jp.tsunagi.gateway.console.Role;
import jp.tsunagi.gateway.console.Totp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi admin user ...}: console accounts; every change is recorded in the audit trail. */
@Command(name = "user",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {"Console accounts (管理画面のアカウント): add, list, disable, reset a password.",
                "",
                "Roles: administrator (管理者), auditor (監査者), operator (運用担当), viewer (閲覧). Each change is "
                        + "recorded in the audit trail with --actor (default: the operating-system user), which needs "
                        + "the gateway's private key. Passwords are read from standard input, never from the command "
                        + "line, and stored as Argon2id hashes."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {AdminUserCommand.Add.class, AdminUserCommand.ListAccounts.class, AdminUserCommand.Disable.class,
                AdminUserCommand.ResetPassword.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class AdminUserCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ZoneId.of("Asia/Tokyo"));

    /** The options every account command shares: the store, the configuration, who acts. */
    static final class Store {
        @Mixin
        AuditStoreOptions store;

        @Mixin
        ConfOption conf;

        @Option(names = "--actor", paramLabel = "NAME",
                description = "Administrator recorded as making the change (a login name). Default: the operating-system user.")
        String actor;

        /** Opens the store and runs the work on its accounts; problems are one line and exit code 2. */
        int run(String failure, AccountWork work) {
            return AuditStoreOptions.run(failure, () -> {
                String who = AuditStoreOptions.actor(actor);
                ConsoleSettings settings = ConsoleSettings.inConfDirectory(conf.directory);
                var chain = store.chain(conf.agencies(), conf.directory);
                return store.withDatabase(conf.directory, db -> {
                    int exit = work.on(new Accounts(db.dataSource(), chain, settings, java.time.Clock.systemUTC()), who);
                    chain.chainCommitted(db.dataSource()); // no sequencer runs here: the entries are chained at once
                    return exit;
                });
            });
        }
    }

    @FunctionalInterface
    interface AccountWork {
        int on(Accounts accounts, String actor) throws java.sql.SQLException, IOException;
    }

    /** The first line of standard input, without its line end. */
    static char[] passwordFromStdin() throws IOException {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return line.toCharArray();
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = TsunagiCli.Version.class,
            description = {"Add a console account; its password is the first line of standard input.",
                    "With --totp (or when tsunagi.console.totp-required=true) the account gets a one-time-password "
                            + "secret (RFC 6238), printed once: enter it in an authenticator app."},
            exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:added", "2:bad name, role or password, the name is taken, or bad configuration"},
            footerHeading = "%nExamples:%n",
            footer = {"  printf '%s\\n' \"$PASSWORD\" | tsunagi admin user add suzuki --role auditor --password-stdin"})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Login name: letters, digits, '.', '_', '@', '-' (not a full name).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "administrator, auditor, operator or viewer.")
        String role;

        @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
        boolean passwordStdin;

        @Option(names = "--totp", description = "Give the account a TOTP second factor.")
        boolean totp;

        @Mixin
        Store options;

        @Override
        public Integer call() {
            return options.run("cannot add the account", (accounts, actor) -> {
                Role chosen = Role.of(role);
                String secret = accounts.add(name, chosen, passwordFromStdin(), totp, actor);
                PrintStream out = Terminal.out();
                out.println("added " + name + " (" + chosen.id() + ", " + chosen.label() + ")");
                if (secret != null) {
                    out.println("TOTP secret: " + secret);
                    out.println("TOTP URI: " + Totp.uri(name, secret));
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = TsunagiCli.Version.class,
            description = "List console accounts, one line each: name, role, state, second factor, last login.",
            exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "2:bad configuration or no database"})
    static final class ListAccounts implements Callable<Integer> {
        @Mixin
        AuditStoreOptions store;

        @Mixin
        ConfOption conf;

        @Override
        public Integer call() {
            return AuditStoreOptions.run("cannot list the accounts", () -> store.withDatabase(conf.directory, db -> {
                PrintStream out = Terminal.out();
                for (Account a : Accounts.list(db.dataSource())) {
                    out.println(a.name() + "\t" + a.role().id() + "\t" + (a.disabled() ? "disabled" : "active")
                            + "\t" + (a.totp() ? "totp" : "password-only")
                            + "\t" + (a.lastLoginAt() == null ? "never" : TIME.format(a.lastLoginAt())));
                }
                return ExitCodes.OK;
            }));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, versionProvider = TsunagiCli.Version.class,
            description = "Disable a console account: it can no longer log in, and its open sessions end.",
            exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:disabled", "2:no such account or bad configuration"})
    static final class Disable implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        Store options;

        @Override
        public Integer call() {
            return options.run("cannot disable the account", (accounts, actor) -> {
                accounts.disable(name, actor);
                Terminal.out().println("disabled " + name);
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true, versionProvider = TsunagiCli.Version.class,
            description = "Set a new password (first line of standard input); enables the account and lifts a lockout.",
            exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:reset", "2:no such account, bad password or bad configuration"})
    static final class ResetPassword implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
        boolean passwordStdin;

        @Mixin
        Store options;

        @Override
        public Integer call() {
            return options.run("cannot reset the password", (accounts, actor) -> {
                accounts.resetPassword(name, passwordFromStdin(), actor);
                Terminal.out().println("password reset for " + name);
                return ExitCodes.OK;
            });
        }
    }

    private AdminUserCommand() {
    }
}
