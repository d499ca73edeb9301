package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi admin ...}: administration of the console (管理画面). */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {"Administration of the console (管理画面): its accounts.",
                "",
                "The console is served at /admin/ by 'serve' and 'demo' (see docs/administrator-guide.md)."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {AdminUserCommand.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class AdminCommand {
}
