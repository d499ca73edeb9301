package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi keys ...}: the key pairs of the gateway and the agencies. */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = "Manage signing keys (署名鍵) and certificates.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {KeysInitCommand.class, KeysListCommand.class, KeysRotateCommand.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class KeysCommand {
}
