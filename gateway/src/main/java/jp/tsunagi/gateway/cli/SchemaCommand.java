package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi schema ...}: the message schema as files for vendors. */
@Command(name = "schema",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = "The message schema (メッセージ仕様) for vendors' systems.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = SchemaExportCommand.class,
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class SchemaCommand {
}
