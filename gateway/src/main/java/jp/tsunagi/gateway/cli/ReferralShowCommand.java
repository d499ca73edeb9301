package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.operations.ReferralDesk;
import jp.tsunagi.gateway.store.CopyState;
import jp.tsunagi.gateway.store.ReferralEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tsunagi referral show ID}: one referral's timeline, audited. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Show one referral (紹介): its business states (SENT, RECEIVED, ACCEPTED, ...), each copy's delivery "
                        + "(attempts, last code, next try, delivered, dead-lettered or cancelled) and each notice sent "
                        + "to its sender.",
                "",
                "Agencies, ids, states, codes and times only: nothing of the person. The view is recorded in the "
                        + "audit trail (REFERRAL_VIEWED, with --actor) before it is shown; this needs the gateway's "
                        + "private key. Works while the gateway runs."},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:no such referral", "2:bad usage, configuration, no database, or no gateway key"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi referral show REF-2026-000152", "  tsunagi referral show REF-2026-000152 --actor yamada"})
final class ReferralShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The referral id (referralId), e.g. REF-2026-000152.")
    String referralId;

    @Mixin
    OperationsOptions options;

    @Override
    public Integer call() {
        return options.run("cannot read the referral", (operations, actor) -> {
            var timeline = operations.referrals().timeline(referralId, actor, null);
            if (timeline.isEmpty()) {
                Terminal.err().println("no referral " + referralId);
                return ExitCodes.REFUSED;
            }
            print(timeline.get(), Terminal.out());
            return ExitCodes.OK;
        });
    }

    private static void print(ReferralDesk.Timeline t, PrintStream out) {
        ReferralDesk.Summary r = t.referral();
        out.println("referral " + r.referralId() + "  " + r.sender() + " -> " + r.recipient() + "  " + r.status()
                + "  created " + OperationsOptions.time(r.createdAt()) + "  updated " + OperationsOptions.time(r.updatedAt()));
        out.println("states:");
        for (ReferralEvent e : t.states()) {
            out.println("  " + OperationsOptions.time(e.at()) + "  " + e.status() + "  by " + e.byAgency()
                    + (e.reason() == null ? "" : "  reason " + e.reason())
                    + (e.messageId() == null ? "" : "  message " + e.messageId()));
        }
        copies(out, "copies to the recipient:", t.copies());
        copies(out, "notices to the sender:", t.notices());
    }

    private static void copies(PrintStream out, String heading, List<CopyState> copies) {
        out.println(heading);
        if (copies.isEmpty()) {
            out.println("  (none)");
        }
        for (CopyState c : copies) {
            out.println("  " + OutboxListCommand.line(c));
        }
    }
}
