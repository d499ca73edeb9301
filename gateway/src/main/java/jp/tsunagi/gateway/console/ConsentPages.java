package jp.tsunagi.gateway.console;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.intake.IntakeService;
import jp.tsunagi.gateway.intake.Submission;
import jp.tsunagi.gateway.people.ConsentRegister;
import jp.tsunagi.schema.model.ConsentMethod;
import jp.tsunagi.schema.model.LegalBasis;

/**
 * 同意: the consents data travelled under, one consent's file (scope, uses, withdrawal, the copies it stopped), and
 * recording a withdrawal the person made at a counter (窓口での撤回), which goes through the intake's one withdrawal
 * path: the same rules and effects as a withdrawal message. Ids, codes and agency ids only; the person appears as a
 * pseudonym, and only to 管理者 and 監査者. Every page shown and every withdrawal recorded is an audit entry with the
 * account as actor, written before the page. (Public only so that templates may call the row types and {@link Times}.)
 */
public final class ConsentPages {
    /** Why an administrator records the withdrawal in the console (理由), recorded as code {@code counter:<reason>}. */
    static final List<String> REASONS = List.of("in_person", "representative", "in_writing");
    /** A consent id as the message schema allows it. */
    private static final Pattern CONSENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:\\-]{0,63}");
    private static final Set<Role> SEE_PSEUDONYMS = Set.of(Role.ADMINISTRATOR, Role.AUDITOR);

    private final Console console;
    private final DataSource dataSource;
    private final AuditChain audit;
    private final ConsentRegister register;
    private final IntakeService intake;
    private final List<String> agencies;

    ConsentPages(Console console, DataSource dataSource, AuditChain audit, ConsentRegister register, IntakeService intake,
            List<String> agencies) {
        this.console = console;
        this.dataSource = dataSource;
        this.audit = audit;
        this.register = Objects.requireNonNull(register);
        this.intake = Objects.requireNonNull(intake);
        this.agencies = List.copyOf(agencies);
    }

    /** {@code GET /admin/consents}: the list; with {@code ?id=} one consent's file. */
    ConsoleResponse show(ConsoleRequest r, Sessions.Session session) throws SQLException {
        String id = r.parameter("id");
        if (id == null) {
            audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.CONSENT_READ, session.account.name()).withOutcome("listed"));
            List<ConsentRegister.Summary> consents;
            try (Connection c = dataSource.getConnection()) {
                consents = register.list(c);
            }
            Map<String, Object> model = new HashMap<>();
            model.put("consents", consents);
            model.put("limit", ConsentRegister.LIST_LIMIT);
            model.put("t", Times.INSTANCE);
            return console.page(200, "consents", session, model);
        }
        if (!CONSENT_ID.matcher(id).matches()) {
            refusedInput(session, null);
            return console.page(400, "error", session, Map.of("message", Pages.message("consent.id.invalid")));
        }
        return file(id, session, r.parameter("recorded") != null ? Pages.message("consent.withdraw.recorded") : null, null, 200);
    }

    /** {@code POST /admin/consents/withdraw} (管理者): a counter withdrawal. */
    ConsoleResponse withdraw(ConsoleRequest r, Sessions.Session session) throws SQLException {
        String consentId = r.parameter("consentId");
        if (consentId == null || !CONSENT_ID.matcher(consentId).matches()) {
            refusedInput(session, null);
            return console.page(400, "error", session, Map.of("message", Pages.message("consent.id.invalid")));
        }
        String reason = r.parameter("reason");
        String recordedBy = r.parameter("recordedBy");
        ConsentMethod method;
        OffsetDateTime withdrawnAt;
        try {
            method = ConsentMethod.valueOf(String.valueOf(r.parameter("method")));
            withdrawnAt = JapanTimeText.parse(Pages.message("consent.withdraw.at"), r.parameter("withdrawnAt"), false);
        } catch (IllegalArgumentException e) {
            method = null;
            withdrawnAt = null;
        }
        if (reason == null || !REASONS.contains(reason) || recordedBy == null || !agencies.contains(recordedBy)
                || method == null || withdrawnAt == null) {
            refusedInput(session, consentId);
            return file(consentId, session, null, Pages.message("consent.withdraw.incomplete"), 400);
        }
        Submission outcome = intake.withdrawAtCounter(new IntakeService.CounterWithdrawal(consentId,
                withdrawnAt.toInstant(), recordedBy, method, session.account.name(), reason));
        if (outcome instanceof Submission.Accepted) {
            return console.redirect(Console.ROOT + "consents?id=" + consentId + "&recorded=1", Map.of());
        }
        if (outcome instanceof Submission.Refused refused) {
            return file(consentId, session, null, Pages.message("consent.withdraw.refused", refused.rejection().code()),
                    refused.status());
        }
        return console.page(503, "error", session, Map.of("message", Pages.message("error.store")));
    }

    private ConsoleResponse file(String consentId, Sessions.Session session, String notice, String error, int status)
            throws SQLException {
        audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.CONSENT_READ, session.account.name())
                .withBasis(LegalBasis.CONSENT, consentId).withOutcome("viewed"));
        ConsentRegister.ConsentFile file;
        try (Connection c = dataSource.getConnection()) {
            file = register.file(c, consentId);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("file", file);
        model.put("subjects", SEE_PSEUDONYMS.contains(session.account.role()) ? file.subjectRefs() : null);
        model.put("canWithdraw", session.account.role() == Role.ADMINISTRATOR && file.withdrawal() == null);
        model.put("agencies", agencies);
        model.put("methods", java.util.Arrays.stream(ConsentMethod.values())
                .map(m -> new Console.Option(m.name(), jp.tsunagi.schema.CodeLists.label(m))).toList());
        model.put("reasons", REASONS.stream().map(x -> new Console.Option(x, Pages.message("consent.reason." + x))).toList());
        model.put("notice", notice);
        model.put("error", error);
        model.put("t", Times.INSTANCE);
        model.put("title", Pages.message("consent.heading", consentId));
        return console.page(status, "consent", session, model);
    }

    /** A form that cannot become a withdrawal is refused before it reaches the intake, and audited. */
    private void refusedInput(Sessions.Session session, String consentId) throws SQLException {
        AuditEvent event = AuditEvent.of(AuditAction.REJECTED, session.account.name()).withCode("console.input_invalid")
                .withOutcome("rejected.400");
        audit.appendCommitted(dataSource, consentId == null ? event : event.withBasis(LegalBasis.CONSENT, consentId));
    }

    /** Times as the pages show them (Japan time), for templates: {@code ${t.show(x)}}. */
    public static final class Times {
        static final Times INSTANCE = new Times();

        public String show(java.time.Instant at) {
            return at == null ? "" : JapanTimeText.show(OffsetDateTime.ofInstant(at, jp.tsunagi.schema.JapanTime.ZONE));
        }
    }
}
