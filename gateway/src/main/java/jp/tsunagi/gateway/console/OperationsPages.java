package jp.tsunagi.gateway.console;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jp.tsunagi.gateway.operations.DeadLetterDesk;
import jp.tsunagi.gateway.operations.Operations;
import jp.tsunagi.gateway.operations.ReferralDesk;
import jp.tsunagi.gateway.store.CopyState;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * The console's referral (紹介) and dead-letter (配信エラー) pages over the operations services the command line uses
 * too. What they show holds no personal data; the person's pseudonym and consent are shown to an auditor (監査者) only,
 * with a stated purpose, and that view is audited. Only an administrator (管理者) acts on dead letters; the roles are
 * checked by {@link Console} before a page is built, and again here where a page has parts for one role only.
 */
final class OperationsPages {
    private static final int LIMIT = 200;

    /** What to show: a template with its model and status. */
    record View(int status, String template, Map<String, Object> model) {
    }

    /** A referral as the pages show it. */
    public record ReferralRow(String referralId, String sender, String recipient, String status, String created,
                              String updated) {
    }

    /** A business state as the timeline shows it. */
    public record StateRow(String at, String status, String by, String reason, String messageId) {
    }

    /** A copy or notice as the pages show it. */
    public record CopyRow(long id, String messageId, String recipient, String referralId, String state, boolean dead,
                          boolean referralCopy, int attempts, String lastCode, String next, String delivered,
                          String deadAt, String cancelled, String created) {
    }

    /** A request (requeue or cancel) as the pages show it. */
    public record RequestRow(long id, long copyId, String action, String requestedBy, String requestedAt, String state,
                             String decidedBy, String code, String reason) {
    }

    /** The outcome of one action, in words. */
    public record ResultRow(long copyId, boolean ok, String text) {
    }

    private final Operations operations;
    private final List<String> agencies;

    OperationsPages(Operations operations, List<String> agencies) {
        this.operations = Objects.requireNonNull(operations);
        this.agencies = List.copyOf(agencies);
    }

    // --- referrals ---

    View referrals(ConsoleRequest r) throws SQLException {
        Map<String, Object> model = new HashMap<>();
        Map<String, String> f = new HashMap<>();
        for (String name : List.of("status", "sender", "recipient", "days")) {
            f.put(name, Optional.ofNullable(r.parameter(name)).orElse(""));
        }
        model.put("f", f);
        model.put("statuses", Arrays.stream(ReferralStatus.values())
                .map(s -> new Console.Option(s.name(), status(s))).toList());
        model.put("agencies", agencies);
        ReferralStatus status;
        Duration olderThan;
        try {
            status = r.parameter("status") == null ? null : ReferralStatus.valueOf(r.parameter("status"));
            long days = r.parameter("days") == null ? 0 : Long.parseLong(r.parameter("days"));
            if (days < 0) {
                throw new NumberFormatException();
            }
            olderThan = days == 0 ? null : Duration.ofDays(days);
        } catch (IllegalArgumentException e) {
            model.put("error", Pages.message("referrals.filter.invalid"));
            model.put("rows", List.of());
            return new View(400, "referrals", model);
        }
        model.put("rows", operations.referrals().list(new ReferralDesk.Filter(status, r.parameter("sender"),
                r.parameter("recipient"), olderThan), LIMIT).stream().map(s -> new ReferralRow(s.referralId(), s.sender(),
                s.recipient(), status(s.status()), time(s.createdAt()), time(s.updatedAt()))).toList());
        return new View(200, "referrals", model);
    }

    View referral(ConsoleRequest r, String viewer, Role role) throws SQLException {
        String id = r.parameter("id");
        String purpose = r.parameter("purpose");
        Map<String, Object> model = new HashMap<>();
        boolean mayShowPerson = role == Role.AUDITOR;
        if (purpose != null && (!mayShowPerson || !Console.PURPOSES.contains(purpose))) {
            return new View(mayShowPerson ? 400 : 403, mayShowPerson ? "error" : "forbidden",
                    mayShowPerson ? Map.of("message", Pages.message("filter.purpose.required")) : Map.of());
        }
        Optional<ReferralDesk.Timeline> found = id == null ? Optional.empty()
                : operations.referrals().timeline(id, viewer, purpose);
        if (found.isEmpty()) {
            return new View(404, "error", Map.of("message", Pages.message("error.notfound")));
        }
        ReferralDesk.Timeline t = found.get();
        ReferralDesk.Summary s = t.referral();
        model.put("referral", new ReferralRow(s.referralId(), s.sender(), s.recipient(), status(s.status()),
                time(s.createdAt()), time(s.updatedAt())));
        List<StateRow> states = new ArrayList<>();
        for (ReferralEvent e : t.states()) {
            states.add(new StateRow(time(e.at()), status(e.status()), e.byAgency(), e.reason(), e.messageId()));
        }
        model.put("states", states);
        model.put("copies", t.copies().stream().map(OperationsPages::copy).toList());
        model.put("notices", t.notices().stream().map(OperationsPages::copy).toList());
        model.put("person", t.person());
        model.put("mayShowPerson", mayShowPerson);
        model.put("purposes", Console.PURPOSES.stream().map(p -> new Console.Option(p, Pages.message("purpose." + p))).toList());
        return new View(200, "referral", model);
    }

    // --- dead letters ---

    View deadLetters(Role role, List<ResultRow> results, String error) throws SQLException {
        Map<String, Object> model = new HashMap<>();
        model.put("rows", operations.deadLetters().list(0, LIMIT).stream().map(d -> new CopyRow(d.id(), d.messageId(),
                d.recipient(), d.referralId(), state("dead"), true, false, d.attempts(), d.lastErrorCode(), null, null,
                time(d.deadAt()), null, time(d.createdAt()))).toList());
        model.put("approvals", operations.deadLetters().awaitingApproval().stream().map(OperationsPages::request).toList());
        model.put("mayAct", role == Role.ADMINISTRATOR);
        model.put("approvalRequired", operations.deadLetters().approvalRequired());
        model.put("results", results);
        model.put("error", error);
        return new View(error == null ? 200 : 400, "deadletters", model);
    }

    View deadLetter(long id, Role role, ResultRow result, String error) throws SQLException {
        Optional<DeadLetterDesk.Detail> found = id > 0 ? operations.deadLetters().detail(id) : Optional.empty();
        if (found.isEmpty()) {
            return new View(404, "error", Map.of("message", Pages.message("error.notfound")));
        }
        DeadLetterDesk.Detail d = found.get();
        Map<String, Object> model = new HashMap<>();
        model.put("copy", copy(d.copy()));
        model.put("actionable", d.letter() != null);
        model.put("requests", d.requests().stream().map(OperationsPages::request).toList());
        model.put("mayAct", role == Role.ADMINISTRATOR);
        model.put("approvalRequired", operations.deadLetters().approvalRequired());
        model.put("result", result);
        model.put("error", error);
        return new View(error == null ? 200 : 400, "deadletter", model);
    }

    /** POST: requeue the copies ticked on the list ({@code copy-ID}) or the one of the detail page ({@code id}). */
    View requeue(ConsoleRequest r, String actor, Role role) throws SQLException {
        List<Long> ids = ids(r);
        String single = r.parameter("id");
        if (ids.isEmpty()) {
            return deadLetters(role, List.of(), Pages.message("deadletters.none.selected"));
        }
        List<DeadLetterDesk.Result> results;
        try {
            results = operations.deadLetters().requeueAll(ids, actor, r.parameters().get("reason"));
        } catch (IllegalArgumentException e) {
            return single != null ? deadLetter(ids.get(0), role, null, Pages.message("deadletter.reason.invalid"))
                    : deadLetters(role, List.of(), Pages.message("deadletter.reason.invalid"));
        }
        List<ResultRow> rows = results.stream().map(OperationsPages::result).toList();
        return single != null ? deadLetter(ids.get(0), role, rows.get(0), null) : deadLetters(role, rows, null);
    }

    /** POST: cancel the copy of the detail page. */
    View cancel(ConsoleRequest r, String actor, Role role) throws SQLException {
        long id = number(r.parameter("id"));
        if (id <= 0) {
            return new View(404, "error", Map.of("message", Pages.message("error.notfound")));
        }
        try {
            return deadLetter(id, role, result(operations.deadLetters().cancel(id, actor, r.parameters().get("reason"))), null);
        } catch (IllegalArgumentException e) {
            return deadLetter(id, role, null, Pages.message("deadletter.reason.invalid"));
        }
    }

    /** POST: approve another administrator's requeue request (two-person rule). */
    View approve(ConsoleRequest r, String actor, Role role) throws SQLException {
        long request = number(r.parameter("request"));
        return deadLetters(role, List.of(result(operations.deadLetters().approve(request, actor))), null);
    }

    static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Long> ids(ConsoleRequest r) {
        List<Long> ids = new ArrayList<>();
        if (r.parameter("id") != null) {
            long id = number(r.parameter("id"));
            if (id > 0) {
                ids.add(id);
            }
            return ids;
        }
        r.parameters().keySet().stream().filter(k -> k.startsWith("copy-")).map(k -> number(k.substring(5)))
                .filter(id -> id > 0).sorted().forEach(ids::add);
        return ids;
    }

    private static ResultRow result(DeadLetterDesk.Result r) {
        return switch (r.outcome()) {
            case REQUEUED -> new ResultRow(r.copyId(), true, Pages.message("deadletter.requeued", r.copyId()));
            case AWAITING_APPROVAL -> new ResultRow(r.copyId(), true,
                    Pages.message("deadletter.awaiting", r.copyId(), r.requestId()));
            case CANCELLED -> new ResultRow(r.copyId(), true, Pages.message("deadletter.cancelled", r.copyId()));
            case REFUSED -> new ResultRow(r.copyId(), false, Pages.message("deadletter.refused", r.copyId(), r.code(),
                    Pages.message("code." + r.code())));
        };
    }

    private static CopyRow copy(CopyState c) {
        return new CopyRow(c.id(), c.messageId(), c.recipient(), c.referralId(), state(c.state()),
                "dead".equals(c.state()), c.referralCopy(), c.attempts(), c.lastErrorCode(),
                c.status() == jp.tsunagi.gateway.store.OutboxStatus.PENDING ? time(c.nextAttemptAt()) : null,
                time(c.deliveredAt()), time(c.deadAt()), time(c.cancelledAt()), time(c.createdAt()));
    }

    private static RequestRow request(jp.tsunagi.gateway.store.DeadLetterRequests.Request q) {
        return new RequestRow(q.id(), q.outboxId(), Pages.message("request.action." + q.action().name()), q.requestedBy(),
                time(q.requestedAt()), Pages.message("request.state." + q.state().name()), q.decidedBy(), q.code(),
                q.reason());
    }

    private static String state(String state) {
        return Pages.message("copy.state." + state);
    }

    private static String status(ReferralStatus status) {
        return Pages.message("referral.status." + status.name());
    }

    private static String time(Instant at) {
        return at == null ? null : JapanTimeText.show(at.atOffset(ZoneOffset.UTC));
    }
}
