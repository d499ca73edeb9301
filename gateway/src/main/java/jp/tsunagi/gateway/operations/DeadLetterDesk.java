package jp.tsunagi.gateway.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.delivery.DeadLetters;
import jp.tsunagi.gateway.store.CopyState;
import jp.tsunagi.gateway.store.DeadLetter;
import jp.tsunagi.gateway.store.DeadLetterRequests;
import jp.tsunagi.gateway.store.DeadLetterRequests.Action;
import jp.tsunagi.gateway.store.DeadLetterRequests.Request;
import jp.tsunagi.gateway.store.DeadLetterRequests.State;
import jp.tsunagi.gateway.store.ReferralView;
import jp.tsunagi.gateway.store.Transactions;

/**
 * Dead letters (配信エラー) for administrators, the console's and the command line's one source: list, detail, requeue
 * one or many with a reason, cancel, and, under the two-person rule (二人承認, {@code tsunagi.console.requeue-approval}),
 * approve another administrator's requeue. A requeue re-checks the copy's lawful basis first ({@link DeadLetters}) and
 * is refused with the code; when the requeued copy is then delivered, the referral ledger moves its referral from
 * FAILED to RECEIVED and tells the sender (受信). A cancel leaves the referral as it is (FAILED) and tells nobody.
 *
 * <p>Every request, done or refused, is a row of {@code dead_letter_request} (with the reason, free text) and an audit
 * entry in the same transaction (naming the request by id, never the reason): no record, no action.
 */
public final class DeadLetterDesk {
    /** The longest reason accepted. */
    public static final int REASON_MAX = 500;

    /** How a request ended. */
    public enum Outcome { REQUEUED, AWAITING_APPROVAL, CANCELLED, REFUSED }

    /** The end of one request: {@code code} says why when refused; {@code requestId} names its record (0: none). */
    public record Result(long copyId, Outcome outcome, String code, long requestId) {
    }

    /** A dead letter with its copy's delivery and the requests about it, for the detail page. */
    public record Detail(CopyState copy, DeadLetter letter, List<Request> requests) {
    }

    private final DataSource dataSource;
    private final DeadLetters deadLetters;
    private final AuditChain audit;
    private final boolean approvalRequired;
    private final Clock clock;
    private final Runnable wakeUp;

    /**
     * @param approvalRequired the two-person rule: a requeue waits for a second administrator's approval
     * @param wakeUp           lets the delivery workers look at once after a requeue (a no-op from the command line)
     */
    public DeadLetterDesk(DataSource dataSource, DeadLetters deadLetters, AuditChain audit, boolean approvalRequired,
                          Clock clock, Runnable wakeUp) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.approvalRequired = approvalRequired;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
    }

    public boolean approvalRequired() {
        return approvalRequired;
    }

    /** Up to {@code limit} dead letters not cancelled, with an id above {@code afterId}, oldest first. */
    public List<DeadLetter> list(long afterId, int limit) throws SQLException {
        return deadLetters.list(afterId, limit);
    }

    /** One outbox row with its requests; {@code letter} is empty unless it is a dead letter one may act on. */
    public Optional<Detail> detail(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Optional<CopyState> copy = ReferralView.copy(c, id);
            if (copy.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Detail(copy.get(), deadLetters.find(c, id).orElse(null),
                    DeadLetterRequests.ofCopy(c, id)));
        }
    }

    /** Requeue requests waiting for a second administrator, oldest first. */
    public List<Request> awaitingApproval() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return DeadLetterRequests.awaitingApproval(c);
        }
    }

    /**
     * Requeues the dead letter {@code id} after re-checking its lawful basis, or, under the two-person rule, records
     * the request for another administrator's approval.
     *
     * @throws IllegalArgumentException when the reason is missing or not one line of at most {@value #REASON_MAX}
     */
    public Result requeue(long id, String actor, String reason) throws SQLException {
        String why = reason(reason);
        Result result = Transactions.inTransaction(dataSource, c -> {
            Instant now = clock.instant();
            Optional<CopyState> copy = ReferralView.copy(c, id);
            if (approvalRequired) {
                Optional<DeadLetter> letter = deadLetters.find(c, id);
                if (letter.isEmpty()) {
                    return refuse(c, AuditAction.DEAD_LETTER_REQUEUED, actor, id, copy, Action.REQUEUE, why,
                            copy.isEmpty() ? "deadletter.unknown" : "deadletter.not_dead");
                }
                long request = DeadLetterRequests.add(c, id, Action.REQUEUE, why, actor, now, State.AWAITING_APPROVAL, null);
                audit.append(c, entry(AuditAction.DEAD_LETTER_REQUEUED, actor, copy).withOutcome("awaiting_approval")
                        .withCode("request:" + request));
                return new Result(id, Outcome.AWAITING_APPROVAL, null, request);
            }
            DeadLetters.Requeue requeue = deadLetters.requeue(c, id, actor);
            if (!requeue.requeued()) {
                return refuse(c, AuditAction.DEAD_LETTER_REQUEUED, actor, id, copy, Action.REQUEUE, why, code(requeue));
            }
            long request = DeadLetterRequests.add(c, id, Action.REQUEUE, why, actor, now, State.DONE, null);
            audit.append(c, entry(AuditAction.DEAD_LETTER_REQUEUED, actor, copy).withOutcome("requeued")
                    .withCode("request:" + request));
            return new Result(id, Outcome.REQUEUED, null, request);
        });
        if (result.outcome() == Outcome.REQUEUED) {
            wakeUp.run();
        }
        return result;
    }

    /** {@link #requeue} of each id in turn, each in its own transaction, with the same reason. */
    public List<Result> requeueAll(List<Long> ids, String actor, String reason) throws SQLException {
        reason(reason);
        List<Result> results = new ArrayList<>();
        for (long id : ids) {
            results.add(requeue(id, actor, reason));
        }
        return results;
    }

    /**
     * Approves another administrator's requeue request: the copy's lawful basis is re-checked now and it is requeued
     * or refused. The one who asked cannot approve their own request ({@code approval.own_request}).
     */
    public Result approve(long requestId, String approver) throws SQLException {
        Result result = Transactions.inTransaction(dataSource, c -> {
            Optional<Request> found = DeadLetterRequests.lock(c, requestId);
            if (found.isEmpty() || found.get().state() != State.AWAITING_APPROVAL) {
                audit.append(c, AuditEvent.of(AuditAction.DEAD_LETTER_APPROVED, approver).withOutcome("refused")
                        .withCode("approval.not_awaiting"));
                return new Result(0, Outcome.REFUSED, "approval.not_awaiting", requestId);
            }
            Request request = found.get();
            Optional<CopyState> copy = ReferralView.copy(c, request.outboxId());
            if (request.requestedBy().equals(approver)) {
                audit.append(c, entry(AuditAction.DEAD_LETTER_APPROVED, approver, copy).withOutcome("refused")
                        .withCode("approval.own_request"));
                return new Result(request.outboxId(), Outcome.REFUSED, "approval.own_request", requestId);
            }
            DeadLetters.Requeue requeue = deadLetters.requeue(c, request.outboxId(), approver);
            String code = requeue.requeued() ? null : code(requeue);
            DeadLetterRequests.decide(c, requestId, requeue.requeued() ? State.DONE : State.REFUSED, approver,
                    clock.instant(), code);
            audit.append(c, entry(AuditAction.DEAD_LETTER_APPROVED, approver, copy)
                    .withOutcome(requeue.requeued() ? "requeued" : "refused")
                    .withCode(requeue.requeued() ? "request:" + requestId : code));
            return new Result(request.outboxId(), requeue.requeued() ? Outcome.REQUEUED : Outcome.REFUSED, code, requestId);
        });
        if (result.outcome() == Outcome.REQUEUED) {
            wakeUp.run();
        }
        return result;
    }

    /** Cancels the dead letter {@code id}: it stays a dead letter, its referral stays FAILED, nobody is told. */
    public Result cancel(long id, String actor, String reason) throws SQLException {
        String why = reason(reason);
        return Transactions.inTransaction(dataSource, c -> {
            Optional<CopyState> copy = ReferralView.copy(c, id);
            if (!deadLetters.cancel(c, id)) {
                return refuse(c, AuditAction.DEAD_LETTER_CANCELLED, actor, id, copy, Action.CANCEL, why,
                        copy.isEmpty() ? "deadletter.unknown" : "deadletter.not_dead");
            }
            long request = DeadLetterRequests.add(c, id, Action.CANCEL, why, actor, clock.instant(), State.DONE, null);
            audit.append(c, entry(AuditAction.DEAD_LETTER_CANCELLED, actor, copy).withOutcome("cancelled")
                    .withCode("request:" + request));
            return new Result(id, Outcome.CANCELLED, null, request);
        });
    }

    private Result refuse(Connection c, AuditAction action, String actor, long id, Optional<CopyState> copy, Action kind,
                          String reason, String code) throws SQLException {
        long request = DeadLetterRequests.add(c, id, kind, reason, actor, clock.instant(), State.REFUSED, code);
        audit.append(c, entry(action, actor, copy).withOutcome("refused").withCode(code));
        return new Result(id, Outcome.REFUSED, code, request);
    }

    private static AuditEvent entry(AuditAction action, String actor, Optional<CopyState> copy) {
        return AuditEvent.of(action, actor).withMessage(copy.map(CopyState::messageId).orElse(null),
                copy.map(CopyState::referralId).orElse(null));
    }

    /** The stable code of a requeue that did not happen. */
    private static String code(DeadLetters.Requeue requeue) {
        return switch (requeue.outcome()) {
            case NOT_LAWFUL -> requeue.code();
            case CONSENT_WITHDRAWN -> jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_WITHDRAWN;
            case NOT_FOUND -> "deadletter.unknown";
            case NOT_DEAD -> "deadletter.not_dead";
            case CANCELLED -> "deadletter.cancelled";
            case PAYLOAD_PURGED -> "deadletter.payload_purged";
            case REQUEUED -> throw new IllegalStateException("requeued");
        };
    }

    /** The reason as recorded: one line, not blank, at most {@value #REASON_MAX} characters. */
    static String reason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("a reason is required (理由を入力してください)");
        }
        if (why.length() > REASON_MAX || why.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the reason must be one line of at most " + REASON_MAX
                    + " characters (理由は" + REASON_MAX + "文字以内の1行で入力してください)");
        }
        return why;
    }
}
