package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi config ...}: configuration commands. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = "Configuration (設定) of the gateway: agencies, policy, settings, routes, mappings.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ConfigCheckCommand.class, ConfigSettingsCommand.class})
final class ConfigCommand {
}
