package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi outbox ...}: the delivery outbox (送信待ち). */
@Command(name = "outbox",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {"The delivery outbox (送信待ち): every forwarded copy and notice, and how its delivery stands."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {OutboxListCommand.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class OutboxCommand {
}
