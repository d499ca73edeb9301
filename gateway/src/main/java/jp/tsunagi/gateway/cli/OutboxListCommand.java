package jp.tsunagi.gateway.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.store.CopyState;
import jp.tsunagi.gateway.store.ReferralView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsunagi outbox list [--status ...]}: the copies, one line each, id first. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "List the outbox's copies, one line each, oldest first, separated by tabs: id, state (pending, "
                        + "retrying, delivered, dead, cancelled), recipient, referral id, message id, attempts, last "
                        + "code (- for none), and the time that matters for the state: the next try, the delivery, "
                        + "the dead letter or the cancel (Japan time).",
                "",
                "Ids and codes only, never a document. Use the id with 'tsunagi deadletter requeue|cancel'. Works "
                        + "while the gateway runs; listing is not audited (it names no person)."},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed (also when there is nothing to list)", "2:bad usage, configuration, or no database"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi outbox list --status dead", "  tsunagi outbox list --status retrying --limit 50"})
final class OutboxListCommand implements Callable<Integer> {
    @Option(names = "--status", paramLabel = "pending|retrying|dead|delivered",
            description = "Only copies in this state: pending (not tried yet), retrying (tried, to be tried again), "
                    + "dead (dead letters, cancelled ones too) or delivered. Default: all.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "At most this many lines. Default: ${DEFAULT-VALUE}")
    int limit;

    @Mixin
    OperationsOptions options;

    @Override
    public Integer call() {
        return options.run("cannot read the outbox", (operations, actor) -> {
            ReferralView.CopyFilter filter = filter(status);
            List<CopyState> copies = operations.referrals().copies(filter, 0, Math.max(1, limit));
            for (CopyState c : copies) {
                Terminal.out().println(line(c));
            }
            return ExitCodes.OK;
        });
    }

    private static ReferralView.CopyFilter filter(String status) {
        if (status == null) {
            return null;
        }
        try {
            return ReferralView.CopyFilter.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status must be one of pending, retrying, dead, delivered");
        }
    }

    /** One copy as a line: id first, tab-separated. */
    static String line(CopyState c) {
        String when = switch (c.state()) {
            case "delivered" -> c.deliveredAt() == null ? null : OperationsOptions.time(c.deliveredAt());
            case "dead" -> OperationsOptions.time(c.deadAt());
            case "cancelled" -> OperationsOptions.time(c.cancelledAt());
            default -> OperationsOptions.time(c.nextAttemptAt());
        };
        return String.join("\t", Long.toString(c.id()), c.state(), c.recipient(), c.referralId(), c.messageId(),
                Integer.toString(c.attempts()), c.lastErrorCode() == null ? "-" : c.lastErrorCode(),
                when == null ? "-" : when);
    }
}
