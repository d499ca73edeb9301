package jp.tsunagi.gateway.app;

import jp.tsunagi.gateway.intake.IntakeService;
import jp.tsunagi.gateway.intake.ReferralQueryToken;
import jp.tsunagi.gateway.intake.Rejection;
import jp.tsunagi.gateway.intake.Submission;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditSequencer;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.http.Answer;
import jp.tsunagi.gateway.http.Intake;
import jp.tsunagi.gateway.http.Problems;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.gateway.store.StoreFailures;
import jp.tsunagi.gateway.store.Transactions;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.validation.MessageRejectedException;

/** The HTTP interface over {@link IntakeService}: answers, referral status for its parties, health and metrics. */
final class GatewayIntake implements Intake {
    /** A referral query token is valid this long, so a captured one cannot be replayed later. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    private final IntakeService service;
    private final DataSource dataSource;
    private final MessageStore store;
    private final AgencyDirectory agencies;
    private final GatewayMetrics metrics;
    private final BooleanSupplier workersRunning;
    private final Clock clock;
    private final AuditSequencer sequencer;
    private final Duration chainOverdue;

    /** @param chainOverdue how long an audit entry may wait to be chained before health reports it overdue */
    GatewayIntake(IntakeService service, DataSource dataSource, MessageStore store, AgencyDirectory agencies,
            GatewayMetrics metrics, BooleanSupplier workersRunning, Clock clock, AuditSequencer sequencer,
            Duration chainOverdue) {
        this.sequencer = sequencer;
        this.chainOverdue = chainOverdue;
        this.service = service;
        this.dataSource = dataSource;
        this.store = store;
        this.agencies = agencies;
        this.metrics = metrics;
        this.workersRunning = workersRunning;
        this.clock = clock;
    }

    @Override
    public Answer submit(byte[] body, String contentType, String clientAgency) {
        long started = System.nanoTime();
        Submission outcome = service.submit(body, contentType, clientAgency);
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - started);
        if (outcome instanceof Submission.Accepted accepted) {
            metrics.submission(202, "accepted");
            metrics.intake("http", "-", "accepted", "accepted", took);
            return new Answer(202, accepted.format().mediaType(), accepted.receipt());
        }
        if (outcome instanceof Submission.Repeat repeat) {
            metrics.submission(200, "repeat");
            metrics.intake("http", "-", "duplicate", "message.duplicate", took);
            return new Answer(200, repeat.format().mediaType(), repeat.receipt());
        }
        return refused(outcome, took);
    }

    /** Audited, as every refusal of a submission is (actor unknown: no message was read). */
    @Override
    public Answer refuseUnknownClient() {
        long started = System.nanoTime();
        Submission outcome = service.refuseUnmapped("unknown", 401, Intake.UNKNOWN_CLIENT, Intake.UNKNOWN_CLIENT_TITLE);
        return refused(outcome, Duration.ofNanos(System.nanoTime() - started));
    }

    private Answer refused(Submission outcome, Duration took) {
        Rejection r = outcome instanceof Submission.Refused refused ? refused.rejection() : Submission.StoreUnavailable.REJECTION;
        metrics.submission(r.status(), r.code());
        metrics.intake("http", "-", "rejected", r.code(), took);
        return Problems.answer(r.status(), r.code(), r.title(), r.problems(), r.omitted());
    }

    /**
     * Only the sender and the recipient of a referral may read its status. The caller proves who it is with
     * {@code Authorization: Tsunagi <epochSeconds>.<detached JWS over "referral:<id>:<epochSeconds>">} signed with
     * one of its registered keys (see {@link ReferralQueryToken}).
     */
    @Override
    public Answer referral(String referralId, String authorization) {
        String caller;
        try {
            caller = ReferralQueryToken.verify(authorization, referralId, agencies.currentKeys(), clock.instant(), TOKEN_LIFETIME);
        } catch (MessageRejectedException e) {
            return Problems.answer(401, "auth.unauthenticated", "Sign the request with a registered key (Authorization: Tsunagi ...).");
        }
        try {
            return Transactions.inTransaction(dataSource, c -> {
                ReferralRecord referral = store.findReferral(c, referralId).orElse(null);
                if (referral == null || !(caller.equals(referral.sender()) || caller.equals(referral.recipient()))) {
                    // the same answer whether it does not exist or is not the caller's: no probing
                    return Problems.answer(404, "referral.not_found", "No referral of yours has this id.");
                }
                return new Answer(200, "application/json", JsonCodec.write(view(referral, store.referralHistory(c, referralId))));
            });
        } catch (SQLException e) {
            StoreFailures.log("referral status", e);
            return Problems.answer(503, Submission.StoreUnavailable.REJECTION.code(), "The durable store is unavailable.");
        }
    }

    private static ObjectNode view(ReferralRecord referral, List<ReferralEvent> history) {
        ObjectNode view = JsonCodec.mapper().createObjectNode();
        view.put("referralId", referral.referralId());
        view.put("status", referral.status().name());
        view.put("sender", referral.sender());
        view.putArray("recipients").add(referral.recipient());
        ArrayNode events = view.putArray("history");
        for (ReferralEvent e : history) {
            ObjectNode event = events.addObject().put("status", e.status().name()).put("at", e.at().toString()).put("by", e.byAgency());
            if (e.reason() != null) {
                event.put("reason", e.reason());
            }
        }
        return view;
    }

    @Override
    public Answer health() {
        String databaseFailure = databaseFailure();
        boolean database = databaseFailure == null;
        boolean workers = workersRunning.getAsBoolean();
        boolean up = database && workers;
        ObjectNode health = JsonCodec.mapper().createObjectNode();
        health.put("status", up ? "UP" : "DOWN");
        ObjectNode checks = health.putObject("checks");
        ObjectNode databaseCheck = checks.putObject("database").put("status", database ? "UP" : "DOWN");
        if (!database) { // the kind of failure, never the driver's message (it may quote a statement's values)
            databaseCheck.put("detail", "a rolled-back write failed: " + databaseFailure);
        }
        checks.putObject("keys").put("status", "UP");
        checks.putObject("deliveryWorkers").put("status", workers ? "UP" : "DOWN");

        // entries waiting for the sequencer are recorded durably already: the lag is reported, the gateway stays ready
        AuditChain.Backlog backlog = sequencer.backlog();
        health.putObject("auditChain").put("unchained", backlog.entries())
                .put("lagSeconds", backlog.oldest().toMillis() / 1000.0).put("overdue", backlog.overdue(chainOverdue))
                .put("sequencer", sequencer.isLeader() ? "this node" : "another node");
        // a suspension is a decision, not a fault: shown, but the gateway stays ready (the reason is for config check)
        ArrayNode suspended = health.putArray("suspendedAgencies");
        agencies.suspended().forEach(a -> suspended.addObject().put("id", a.id()).put("since", a.suspended().since()));
        return new Answer(up ? 200 : 503, "application/json", JsonCodec.write(health));
    }

    /** The database is ready when the write intake makes first succeeds (rolled back): not merely when it answers. */
    private String databaseFailure() {
        try {
            Transactions.rehearseWrite(dataSource);
            return null;
        } catch (SQLException | RuntimeException e) {
            StoreFailures.log("readiness", e);
            return e.getClass().getSimpleName();
        }
    }

    @Override
    public Answer metrics() {
        return new Answer(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
