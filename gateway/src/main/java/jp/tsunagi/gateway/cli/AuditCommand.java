package jp.tsunagi.gateway.cli;

import picocli.CommandLine.Command;

/** {@code tsunagi audit ...}: the audit trail (監査ログ). */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "The audit trail (監査ログ): verify that it is intact, or export it.",
                "",
                "Every acceptance, rejection, consent decision, minimization, delivery attempt, dead letter, status "
                        + "change and consent withdrawal is an entry, hash-chained to the one before and signed by the "
                        + "gateway at checkpoints and at its head. Entries hold codes, ids, hashes and keyed "
                        + "pseudonyms of people, never names."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class AuditCommand {
}
