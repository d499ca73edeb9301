package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi referral ...}: referrals (紹介). */
@Command(name = "referral",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {"Referrals (紹介): where one stands and how each of its copies was delivered.",
                "",
                "The console's referral pages (紹介) show the same, from the same services."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {ReferralShowCommand.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class ReferralCommand {
}
