package jp.tsunagi.gateway.cli;

import java.util.concurrent.Callable;
import jp.tsunagi.gateway.operations.DeadLetterDesk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi deadletter requeue|cancel ID --reason TEXT}: dead letters (配信エラー). */
@Command(name = "deadletter",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {"Dead letters (配信エラー): copies the delivery workers gave up on. List them with "
                + "'tsunagi outbox list --status dead'; requeue or cancel one by its id.",
                "",
                "Each request is recorded with its reason and audited (DEAD_LETTER_REQUEUED, DEAD_LETTER_CANCELLED, "
                        + "with --actor); this needs the gateway's private key. The console's dead-letter pages "
                        + "(配信エラー) do the same, through the same services."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {DeadLetterCommand.Requeue.class, DeadLetterCommand.Cancel.class},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT)
final class DeadLetterCommand {

    /** The arguments both actions take. */
    static final class Target {
        @Parameters(paramLabel = "ID", description = "The dead letter's id (the first column of 'tsunagi outbox list').")
        long id;

        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "Why (理由), one line of at most 500 characters, e.g. the recipient's endpoint was fixed. "
                        + "Kept with the request, out of the audit trail. Name no person.")
        String reason;

        @Mixin
        OperationsOptions options;
    }

    @Command(name = "requeue",
            mixinStandardHelpOptions = true,
            versionProvider = TsunagiCli.Version.class,
            description = {
                    "Requeue a dead letter (再送): it goes back in its queue and the running gateway's workers send it "
                            + "at their next look.",
                    "",
                    "The copy's lawful basis is checked again first: a copy whose consent was withdrawn "
                            + "(consent.withdrawn) or has expired (consent.expired), or to a suspended agency "
                            + "(recipient.suspended), is refused with that code, as is one retention already emptied "
                            + "(deadletter.payload_purged) or one cancelled (deadletter.cancelled).",
                    "",
                    "When the requeued copy is delivered, its referral leaves FAILED for RECEIVED and the sender gets "
                            + "a corrected notice (受信) in its own format.",
                    "",
                    "With tsunagi.console.requeue-approval=true (two-person rule, 二人承認) the request waits until "
                            + "another administrator approves it in the console (配信エラー)."},
            exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:requeued, or waiting for approval", "1:refused (the code on standard error)",
                    "2:bad usage, no reason, configuration, no database, or no gateway key"},
            footerHeading = "%nExamples:%n",
            footer = {"  tsunagi deadletter requeue 42 --reason \"welfare office endpoint fixed (ticket 118)\""})
    static final class Requeue implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return target.options.run("cannot requeue the dead letter", (operations, actor) ->
                    report(operations.deadLetters().requeue(target.id, actor, target.reason)));
        }
    }

    @Command(name = "cancel",
            mixinStandardHelpOptions = true,
            versionProvider = TsunagiCli.Version.class,
            description = {
                    "Cancel a dead letter (配信取消): it is never sent, leaves the list of dead letters to act on, and "
                            + "its referral stays FAILED; nobody is sent a notice (the sender already has its 不達)."},
            exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:cancelled", "1:refused: no such dead letter (the code on standard error)",
                    "2:bad usage, no reason, configuration, no database, or no gateway key"},
            footerHeading = "%nExamples:%n",
            footer = {"  tsunagi deadletter cancel 42 --reason \"sent by post instead (ticket 118)\""})
    static final class Cancel implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return target.options.run("cannot cancel the dead letter", (operations, actor) ->
                    report(operations.deadLetters().cancel(target.id, actor, target.reason)));
        }
    }

    private static int report(DeadLetterDesk.Result result) {
        switch (result.outcome()) {
            case REQUEUED:
                Terminal.out().println("requeued " + result.copyId() + " (request " + result.requestId() + ")");
                return ExitCodes.OK;
            case AWAITING_APPROVAL:
                Terminal.out().println("waiting for another administrator's approval in the console: request "
                        + result.requestId() + " for " + result.copyId());
                return ExitCodes.OK;
            case CANCELLED:
                Terminal.out().println("cancelled " + result.copyId() + " (request " + result.requestId() + ")");
                return ExitCodes.OK;
            default:
                Terminal.err().println("refused: " + result.code() + " (" + result.copyId() + ")");
                return ExitCodes.REFUSED;
        }
    }
}
