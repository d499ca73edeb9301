package jp.tsunagi.gateway.cli;

import jp.tsunagi.schema.TsunagiSchema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The command line of Tsunagi (つなぎ), {@code bin/tsunagi <command>} (docs/contract.md section 2). Each command is a
 * subcommand class of this package; every command answers {@code --help}.
 */
@Command(name = "tsunagi",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Tsunagi (つなぎ): interoperability gateway for consented referrals between welfare agencies.",
                "",
                "Connects the agencies of a municipality (自立相談支援機関, 福祉事務所, ハローワーク, "
                        + "地域包括支援センター, 税務担当部局, ...) so that a person's consultation is handed on "
                        + "(つなぐ) with their consent (本人同意) or a statutory basis, signed, checked and audited.",
                "",
                "Configuration is read from conf/ and keys from data/keys/ of the directory the command runs in."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
                DemoElsewhereCommand.class,
                ServeCommand.class,
                ConfigCommand.class,
                SendCommand.class,
                KeysCommand.class,
                SignCommand.class,
                VerifyCommand.class,
                SchemaCommand.class,
                AuditCommand.class,
                DiscloseCommand.class,
                ReferralCommand.class,
                OutboxCommand.class,
                DeadLetterCommand.class,
                AdminCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (verify: the message is valid)",
                "1:verify: the message is not valid; referral show: no such referral; deadletter: refused",
                "2:bad input: usage, configuration or input file",
                "3:audit verify: the audit trail was tampered with"},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tsunagi demo",
                "  tsunagi serve --conf conf",
                "  tsunagi send --as tsunagi-tax message.json",
                "  tsunagi keys init",
                "  tsunagi sign --as tsunagi-tax message.json > signed.json",
                "  tsunagi verify signed.json",
                "  tsunagi schema export out/",
                "",
                "Run 'tsunagi COMMAND --help' for the options of a command."})
public final class TsunagiCli {
    static {
        boundDirectBufferCache();
        quietLibraries();
    }

    /** Above this size a temporary direct buffer of the JDK's file and socket I/O is freed after use. */
    static final String MAX_CACHED_BUFFER = "1048576";

    /**
     * The JDK keeps, for each thread, a direct buffer as large as the largest write it made to a file or socket from
     * heap memory, for as long as the thread lives. H2 writes a whole chunk of its file at a time: with the gateway's
     * forty-odd threads committing, these buffers took the direct memory (limited to the heap size) and H2 closed the
     * database under the gateway. Set before the first such write (the JDK reads it once); an operator's -D wins.
     */
    private static void boundDirectBufferCache() {
        if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
            System.setProperty("jdk.nio.maxCachedBufferSize", MAX_CACHED_BUFFER);
        }
    }

    /**
     * A command's output is its answer; libraries may only add warnings. Until the gateway has a logging backend
     * (with Camel): SLF4J (used by the JSON Schema validator) would warn on every command that it has none, and
     * Hibernate Validator logs its version at INFO through java.util.logging. A JUL configuration given with
     * {@code -Djava.util.logging.config.file} is left alone.
     */
    private static void quietLibraries() {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with UTF-8 help and error output, as {@link #main} runs it. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TsunagiCli());
        commandLine.setOut(Terminal.outWriter());
        commandLine.setErr(Terminal.errWriter());
        return commandLine;
    }

    /** The version of the jar (its manifest) and of the message schema it reads and writes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TsunagiCli.class.getPackage().getImplementationVersion();
            return new String[] {
                    "tsunagi " + (version == null ? "(development build)" : version),
                    "message schema " + TsunagiSchema.VERSION + " (" + TsunagiSchema.NAMESPACE + ")"};
        }
    }
}
