package jp.tsunagi.gateway.console;

import java.util.function.Supplier;
import java.time.Instant;
import jp.tsunagi.schema.JapanTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditBundle;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEntry;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.AuditExport;
import jp.tsunagi.gateway.audit.AuditSearch;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.gateway.intake.IntakeService;
import jp.tsunagi.gateway.people.ConsentRegister;
import jp.tsunagi.gateway.people.PersonDisclosure;
import jp.tsunagi.schema.signature.KeyResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator console (管理画面) at {@code /admin/}: one request in, one response out, without HTTP (the Camel
 * adapter is {@link ConsoleRoutes}). It checks on every request, in this order: the session (login required), that
 * the account is still active, the CSRF token of a POST, and the role the page needs; only POST changes anything.
 * Every read of audit entries, every export and verification, every login, failed login and logout is an entry of
 * the audit chain with the account as actor, written before the page is shown (no record, no page).
 */
public final class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final String ROOT = "/admin/";
    static final String LOGIN = ROOT + "login";
    private static final int PAGE_SIZE = 50;
    private static final int MAX_PASSWORD = 1024;
    /** 利用目的: why someone opens a page about one person; recorded with the view. */
    static final List<String> PURPOSES = List.of("disclosure", "audit", "incident", "legal");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(JapanTime.ZONE);

    private final DataSource dataSource;
    private final AuditChain audit;
    private final Map<String, PublicKey> gatewayKeys;
    private final KeyResolver keyResolver;
    private final List<String> agencies;
    private final boolean tls;
    private final Clock clock;
    private final Accounts accounts;
    private final Sessions sessions;
    private final Pages pages = new Pages();
    private final String cookieName;

    /**
     * @param gatewayKeys the gateway's public keys by kid: they check the signed head and checkpoints, and go into
     *                    offline verification bundles
     * @param agencies    the agency ids offered by the audit trail page's agency filter
     * @param tls         whether the server speaks HTTPS: the session cookie is then {@code Secure} with the
     *                    {@code __Host-} prefix
     */
    /**
     * The state of the configuration the gateway runs (routes and mappings of conf/): how many changes it has seen,
     * and why the last one was refused (null if it applied). Named by file, line and route id, never by content.
     */
    public record ConfigurationState(int changes, Instant at, String refusal) {
    }

    private volatile Supplier<ConfigurationState> configuration = () -> null;
    private volatile RunningGateway running = RunningGateway.NONE;

    /** What the dashboard and the agencies page show of the running gateway (its configuration, keys and routes). */
    public Console showingGateway(RunningGateway running) {
        this.running = Objects.requireNonNull(running);
        return this;
    }

    private volatile OperationsPages operations;

    /** The referral (紹介) and dead-letter (配信エラー) pages, over the services the command line uses too. */
    public Console operating(jp.tsunagi.gateway.operations.Operations services) {
        this.operations = new OperationsPages(services, agencies);
        return this;
    }

    private volatile ConsentPages consentPages;
    private volatile DisclosurePages disclosurePages;

    /**
     * The consents (同意) and a person's disclosure (本人開示) pages, over the consent register, the intake's withdrawal
     * path (a counter withdrawal) and the disclosure of provision records.
     */
    public Console servingConsentsAndDisclosure(ConsentRegister consents, IntakeService intake, PersonDisclosure disclosure) {
        this.consentPages = new ConsentPages(this, dataSource, audit, consents, intake, agencies);
        this.disclosurePages = new DisclosurePages(this, dataSource, audit, disclosure, clock);
        return this;
    }

    private ConsoleResponse notServed(Sessions.Session session) {
        return page(404, "error", session, Map.of("message", Pages.message("error.notfound")));
    }

    /** What the home page shows of the configuration's reloads (設定の再読み込み). */
    public Console showingConfiguration(Supplier<ConfigurationState> state) {
        this.configuration = Objects.requireNonNull(state);
        return this;
    }

    public Console(DataSource dataSource, AuditChain audit, Map<String, PublicKey> gatewayKeys, List<String> agencies,
            ConsoleSettings settings, boolean tls, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.audit = Objects.requireNonNull(audit);
        this.gatewayKeys = Map.copyOf(gatewayKeys);
        this.keyResolver = KeyResolver.of(this.gatewayKeys);
        this.agencies = List.copyOf(agencies);
        this.tls = tls;
        this.clock = Objects.requireNonNull(clock);
        this.accounts = new Accounts(dataSource, audit, settings, clock);
        this.sessions = new Sessions(settings, clock);
        this.cookieName = tls ? "__Host-tsunagi_console" : "tsunagi_console";
    }

    /** The session cookie's name: {@code __Host-tsunagi_console} with TLS, {@code tsunagi_console} without. */
    public String cookieName() {
        return cookieName;
    }

    public ConsoleResponse handle(ConsoleRequest r) {
        try {
            return route(r);
        } catch (SQLException e) {
            // fail closed: what cannot be recorded is not shown
            LOG.warn("console: the store is unavailable ({})", e.getClass().getSimpleName());
            return page(503, "error", null, Map.of("message", Pages.message("error.store")));
        } catch (RuntimeException | IOException e) {
            LOG.warn("console: request failed ({})", e.getClass().getSimpleName());
            return page(500, "error", null, Map.of("message", Pages.message("error.internal")));
        }
    }

    private ConsoleResponse route(ConsoleRequest r) throws SQLException, IOException {
        String path = r.path();
        if (path.equals("/admin")) {
            return redirect(ROOT, Map.of());
        }
        if (path.equals(ROOT + "console.css")) {
            return new ConsoleResponse(200, "text/css; charset=UTF-8", Stylesheet.bytes(), securityHeaders());
        }
        boolean post = "POST".equals(r.method());
        if (!post && !"GET".equals(r.method())) {
            Map<String, String> headers = securityHeaders();
            headers.put("Allow", "GET, POST");
            return page(405, "error", null, Map.of("message", Pages.message("error.method")), headers);
        }
        Sessions.Lookup lookup = sessions.find(r.cookies().get(cookieName));
        if (lookup.expired() != null && lookup.expired().loggedIn()) {
            audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.CONSOLE_LOGOUT, lookup.expired().account.name())
                    .withOutcome(lookup.expiry().code));
        }
        Sessions.Session session = lookup.session();
        if (path.equals(LOGIN) && !post && session != null && session.loggedIn()) {
            return redirect(ROOT, Map.of());
        }
        if (path.equals(LOGIN)) {
            return post ? login(r, session) : loginPage(session, r.parameter("expired") != null ? "login.expired"
                    : r.parameter("bye") != null ? "login.bye" : null, 200);
        }
        if (session == null || !session.loggedIn()) {
            return redirect(LOGIN + (lookup.expired() != null ? "?expired=1" : ""), Map.of());
        }
        if (!accounts.active(session.account.name())) {
            sessions.endAll(session.account.name());
            return redirect(LOGIN, Map.of());
        }
        if (post && !csrfValid(r, session)) {
            return page(403, "error", session, Map.of("message", Pages.message("error.csrf")));
        }
        Route route = Route.of(path);
        if (route == null) {
            return page(404, "error", session, Map.of("message", Pages.message("error.notfound")));
        }
        if (route.post != post) {
            Map<String, String> headers = securityHeaders();
            headers.put("Allow", route.post ? "POST" : "GET");
            return page(405, "error", session, Map.of("message", Pages.message("error.method")), headers);
        }
        if (!route.roles.contains(session.account.role())) {
            return page(403, "forbidden", session, Map.of());
        }
        switch (route) {
            case HOME:
                return home(session);
            case LOGOUT:
                return logout(session);
            case AUDIT:
                return auditTrail(r, session);
            case AUDIT_EXPORT:
                return auditExport(r, session);
            case AUDIT_ENTRY:
                return auditEntry(path, session);
            case INTEGRITY:
                return integrity(session, null, null);
            case VERIFY:
                return verify(r, session);
            case BUNDLE:
                return bundle(r, session);
            case ACCOUNTS:
                return accountList(session);
            case AGENCIES:
                return page(200, "agencies", session, new AgenciesPage(running, clock).model());
            case REFERRALS:
                return show(operations().referrals(r), session);
            case REFERRAL:
                return show(operations().referral(r, session.account.name(), session.account.role()), session);
            case DEAD_LETTERS:
                return show(operations().deadLetters(session.account.role(), List.of(), null), session);
            case DEAD_LETTER:
                return show(operations().deadLetter(OperationsPages.number(r.parameter("id")), session.account.role(),
                        null, null), session);
            case REQUEUE:
                return show(operations().requeue(r, session.account.name(), session.account.role()), session);
            case CANCEL:
                return show(operations().cancel(r, session.account.name(), session.account.role()), session);
            case APPROVE:
                return show(operations().approve(r, session.account.name(), session.account.role()), session);
            case CONSENTS:
                return consentPages == null ? notServed(session) : consentPages.show(r, session);
            case CONSENT_WITHDRAW:
                return consentPages == null ? notServed(session) : consentPages.withdraw(r, session);
            case DISCLOSURE:
                return disclosurePages == null ? notServed(session) : disclosurePages.form(session);
            case DISCLOSURE_SHOW:
                return disclosurePages == null ? notServed(session) : disclosurePages.show(r, session);
            case DISCLOSURE_DOWNLOAD:
                return disclosurePages == null ? notServed(session) : disclosurePages.download(r, session);
            default:
                throw new IllegalStateException("unrouted " + route);
        }
    }

    /** The pages behind login: path, method and the roles that may open them. */
    private enum Route {
        HOME(ROOT, false, Role.values()),
        LOGOUT(ROOT + "logout", true, Role.values()),
        AUDIT(ROOT + "audit", false, Role.AUDITOR),
        AUDIT_EXPORT(ROOT + "audit/export", false, Role.AUDITOR),
        AUDIT_ENTRY(ROOT + "audit/entries/", false, Role.AUDITOR),
        INTEGRITY(ROOT + "integrity", false, Role.AUDITOR),
        VERIFY(ROOT + "integrity/verify", true, Role.AUDITOR),
        BUNDLE(ROOT + "integrity/bundle", false, Role.AUDITOR),
        ACCOUNTS(ROOT + "accounts", false, Role.ADMINISTRATOR),
        AGENCIES(ROOT + "agencies", false, Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
        REFERRALS(ROOT + "referrals", false, Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
        REFERRAL(ROOT + "referrals/show", false, Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
        DEAD_LETTERS(ROOT + "deadletters", false, Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
        DEAD_LETTER(ROOT + "deadletters/show", false, Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
        REQUEUE(ROOT + "deadletters/requeue", true, Role.ADMINISTRATOR),
        CANCEL(ROOT + "deadletters/cancel", true, Role.ADMINISTRATOR),
        APPROVE(ROOT + "deadletters/approve", true, Role.ADMINISTRATOR),
        CONSENTS(ROOT + "consents", false, Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
        CONSENT_WITHDRAW(ROOT + "consents/withdraw", true, Role.ADMINISTRATOR),
        DISCLOSURE(ROOT + "disclosure", false, Role.ADMINISTRATOR, Role.AUDITOR),
        DISCLOSURE_SHOW(ROOT + "disclosure/show", true, Role.ADMINISTRATOR, Role.AUDITOR),
        DISCLOSURE_DOWNLOAD(ROOT + "disclosure/download", true, Role.ADMINISTRATOR, Role.AUDITOR);

        final String path;
        final boolean post;
        final Set<Role> roles;

        Route(String path, boolean post, Role... roles) {
            this.path = path;
            this.post = post;
            this.roles = Set.copyOf(Arrays.asList(roles));
        }

        static Route of(String path) {
            for (Route route : values()) {
                if (route == AUDIT_ENTRY ? path.startsWith(route.path) && path.length() > route.path.length()
                        : path.equals(route.path)) {
                    return route;
                }
            }
            return null;
        }
    }

    // --- login and logout ---

    private ConsoleResponse loginPage(Sessions.Session session, String notice, int status) {
        Sessions.Session anonymous = session != null && !session.loggedIn() ? session : sessions.anonymous();
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", anonymous.csrf);
        model.put("notice", notice == null ? null : Pages.message(notice));
        model.put("title", Pages.message("login.title"));
        Map<String, String> headers = securityHeaders();
        headers.put("Set-Cookie", cookie(anonymous.id));
        return ConsoleResponse.html(status, pages.render("login", model), headers);
    }

    private ConsoleResponse login(ConsoleRequest r, Sessions.Session session) throws SQLException {
        if (session == null || !csrfValid(r, session)) {
            return loginPage(null, "login.retry", 403);
        }
        String name = r.parameter("name");
        String password = r.parameters().getOrDefault("password", "");
        if (name == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
            return loginPage(session, "login.failed", 401);
        }
        Accounts.Login result = accounts.login(name, password.toCharArray(), r.parameter("totp"));
        if (!result.ok()) {
            return loginPage(session, "login.failed", 401);
        }
        Sessions.Session renewed = sessions.login(session, result.account());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Set-Cookie", cookie(renewed.id));
        return redirect(ROOT, headers);
    }

    private ConsoleResponse logout(Sessions.Session session) throws SQLException {
        sessions.end(session);
        audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.CONSOLE_LOGOUT, session.account.name()).withOutcome("logout"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Set-Cookie", cookieName + "=; Path=" + cookiePath() + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : ""));
        return redirect(LOGIN + "?bye=1", headers);
    }

    private boolean csrfValid(ConsoleRequest r, Sessions.Session session) {
        String sent = r.parameters().get("_csrf");
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrf.getBytes(StandardCharsets.UTF_8));
    }

    // --- pages ---

    /** The home page is the dashboard (概要). */
    private ConsoleResponse home(Sessions.Session session) throws SQLException {
        Map<String, Object> model = new Dashboard(dataSource, keyResolver, running, clock).model();
        model.put("configuration", configuration.get());
        return page(200, "home", session, model);
    }

    private ConsoleResponse auditTrail(ConsoleRequest r, Sessions.Session session) throws SQLException {
        Map<String, Object> model = filterModel(r);
        AuditSearch.Filter filter;
        String purpose;
        try {
            filter = filter(r);
            purpose = purpose(r, filter);
        } catch (IllegalArgumentException e) {
            model.put("error", e.getMessage());
            return page(400, "audit", session, model);
        }
        long before = number(r.parameter("before"));
        audit.chainCommitted(dataSource); // what the sequencer does within its delay: the page shows the trail as of now
        AuditSearch.Page page;
        try (Connection c = dataSource.getConnection()) {
            page = AuditSearch.newestFirst(c, filter, before, PAGE_SIZE);
        }
        List<AuditEntry> shown = page.entries();
        String range = shown.isEmpty() ? "none" : "seq:" + shown.get(shown.size() - 1).seq() + "-" + shown.get(0).seq();
        audit.appendCommitted(dataSource, read(AuditAction.AUDIT_READ, session, filter, purpose).withOutcome("listed").withCode(range));
        model.put("rows", shown.stream().map(this::row).toList());
        model.put("next", page.nextBefore() == null ? null : ROOT + "audit?" + query(r, "before", page.nextBefore().toString()));
        model.put("exportJsonl", ROOT + "audit/export?" + query(r, "format", "jsonl"));
        model.put("exportCsv", ROOT + "audit/export?" + query(r, "format", "csv"));
        return page(200, "audit", session, model);
    }

    private ConsoleResponse auditExport(ConsoleRequest r, Sessions.Session session) throws SQLException, IOException {
        AuditSearch.Filter filter;
        String purpose;
        AuditExport.Format format;
        try {
            filter = filter(r);
            purpose = purpose(r, filter);
            format = AuditExport.Format.of(Optional.ofNullable(r.parameter("format")).orElse("jsonl"));
        } catch (IllegalArgumentException e) {
            Map<String, Object> model = filterModel(r);
            model.put("error", e.getMessage());
            return page(400, "audit", session, model);
        }
        String kind = format.name().toLowerCase(Locale.ROOT);
        audit.appendCommitted(dataSource, read(AuditAction.AUDIT_EXPORTED, session, filter, purpose).withOutcome("exported")
                .withCode(kind + ":" + bound(filter.from()) + "/" + bound(filter.to())));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (Connection c = dataSource.getConnection(); Writer out = new OutputStreamWriter(body, StandardCharsets.UTF_8)) {
            AuditExport.write(c, filter, format, out);
        }
        return download(format == AuditExport.Format.CSV ? "text/csv; charset=UTF-8" : "application/x-ndjson",
                "audit-" + FILE_TIME.format(clock.instant()) + "." + kind, body.toByteArray());
    }

    private ConsoleResponse auditEntry(String path, Sessions.Session session) throws SQLException {
        long seq = number(path.substring(Route.AUDIT_ENTRY.path.length()));
        Map<String, Object> model = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Optional<AuditEntry> entry = seq > 0 ? AuditSearch.entry(c, seq) : Optional.empty();
            if (entry.isEmpty()) {
                return page(404, "error", session, Map.of("message", Pages.message("error.notfound")));
            }
            audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.AUDIT_READ, session.account.name())
                    .withOutcome("viewed").withCode("seq:" + seq));
            AuditEntry e = entry.get();
            model.put("row", row(e));
            model.put("hashMatches", e.recomputeHash().equals(e.entryHash()));
            model.put("checkpoint", AuditSearch.coveringCheckpoint(c, seq, keyResolver).orElse(null));
            model.put("head", AuditSearch.head(c, keyResolver).orElse(null));
        }
        return page(200, "entry", session, model);
    }

    private ConsoleResponse integrity(Sessions.Session session, VerificationResult result, String error)
            throws SQLException {
        Map<String, Object> model = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            model.put("head", AuditSearch.head(c, keyResolver).orElse(null));
            model.put("checkpoint", AuditSearch.lastCheckpoint(c, keyResolver).orElse(null));
            model.put("lastVerification", AuditSearch.last(c, AuditAction.AUDIT_VERIFIED).map(this::row).orElse(null));
            AuditChain.Backlog backlog = AuditChain.backlog(c, clock); // committed, not chained yet (architecture D12)
            model.put("unchained", backlog.entries());
            model.put("unchainedAge", String.format(java.util.Locale.ROOT, "%.1f", backlog.oldest().toMillis() / 1000.0));
        }
        model.put("result", result);
        model.put("tampering", result == null || result.intact() ? null : Pages.message("tampering." + result.tampering().name()));
        model.put("error", error);
        model.put("keys", gatewayKeys.entrySet().stream()
                .map(k -> k.getKey() + " sha256:" + AuditBundle.fingerprint(k.getValue())).toList());
        return page(error == null ? 200 : 400, "integrity", session, model);
    }

    private ConsoleResponse verify(ConsoleRequest r, Sessions.Session session) throws SQLException {
        long from = number(r.parameter("fromSeq"));
        long to = number(r.parameter("toSeq"));
        if (from < 0 || to < 0 || (from > 0 && to > 0 && to < from)) {
            return integrity(session, null, Pages.message("integrity.range.invalid"));
        }
        boolean whole = from == 0 && to == 0;
        VerificationResult result;
        if (whole) {
            result = new AuditVerifier(keyResolver).verify(dataSource);
        } else {
            try (Connection c = dataSource.getConnection()) {
                result = AuditBundle.verifyRange(c, Math.max(from, 1), to == 0 ? Long.MAX_VALUE : to, gatewayKeys);
            }
        }
        String range = whole ? "all" : "seq:" + Math.max(from, 1) + "-" + (to == 0 ? "head" : Long.toString(to));
        audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.AUDIT_VERIFIED, session.account.name())
                .withOutcome(result.intact() ? "intact" : "tampered:" + result.firstBadSeq()).withCode(range));
        return integrity(session, result, null);
    }

    private ConsoleResponse bundle(ConsoleRequest r, Sessions.Session session) throws SQLException, IOException {
        OffsetDateTime from;
        OffsetDateTime to;
        try {
            from = JapanTimeText.parse(Pages.message("filter.from"), r.parameter("from"), false);
            to = JapanTimeText.parse(Pages.message("filter.to"), r.parameter("to"), true);
        } catch (IllegalArgumentException e) {
            return integrity(session, null, e.getMessage());
        }
        audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.AUDIT_EXPORTED, session.account.name())
                .withOutcome("exported").withCode("bundle:" + bound(from) + "/" + bound(to)));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (Connection c = dataSource.getConnection()) {
            AuditBundle.write(c, from, to, gatewayKeys, body);
        }
        return download("application/json", "audit-bundle-" + FILE_TIME.format(clock.instant()) + ".json", body.toByteArray());
    }

    private ConsoleResponse accountList(Sessions.Session session) throws SQLException {
        Map<String, Object> model = new HashMap<>();
        model.put("accounts", Accounts.list(dataSource).stream().map(a -> new AccountRow(a.name(), a.role().label(),
                a.disabled(), a.totp(), JapanTimeText.show(a.lastLoginAt()))).toList());
        return page(200, "accounts", session, model);
    }

    /** An account as the accounts page shows it. */
    public record AccountRow(String name, String role, boolean disabled, boolean totp, String lastLogin) {
    }

    /** An entry as pages show it: the entry, its time in Japan time and its action's Japanese label. */
    public record Row(AuditEntry entry, String at, String actionLabel) {
    }

    private Row row(AuditEntry e) {
        String label;
        try {
            label = AuditAction.valueOf(e.action()).label();
        } catch (IllegalArgumentException unknown) {
            label = e.action();
        }
        return new Row(e, JapanTimeText.show(e.at()), label);
    }

    // --- filters ---

    private static AuditSearch.Filter filter(ConsoleRequest r) {
        String action = r.parameter("action");
        if (action != null) {
            AuditAction.valueOf(action.toUpperCase(Locale.ROOT)); // IllegalArgumentException: not an action
        }
        String subject = r.parameter("subject");
        if (subject != null && !AuditEvent.SUBJECT_REF.matcher(subject).matches()) {
            throw new IllegalArgumentException(Pages.message("filter.subject.invalid"));
        }
        try {
            return new AuditSearch.Filter(JapanTimeText.parse(Pages.message("filter.from"), r.parameter("from"), false),
                    JapanTimeText.parse(Pages.message("filter.to"), r.parameter("to"), true),
                    action == null ? null : action.toUpperCase(Locale.ROOT), r.parameter("actor"), r.parameter("agency"),
                    r.parameter("referralId"), r.parameter("messageId"), r.parameter("code"), subject);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Pages.message("filter.time.invalid"));
        }
    }

    /** The stated purpose, required (and only allowed) when the page concerns one person. */
    private static String purpose(ConsoleRequest r, AuditSearch.Filter filter) {
        String purpose = r.parameter("purpose");
        if (filter.subjectRef() == null) {
            return null;
        }
        if (purpose == null || !PURPOSES.contains(purpose)) {
            throw new IllegalArgumentException(Pages.message("filter.purpose.required"));
        }
        return purpose;
    }

    /** The entry of a read or export: the person concerned and the stated purpose (利用目的) when there is one. */
    private static AuditEvent read(AuditAction action, Sessions.Session session, AuditSearch.Filter filter, String purpose) {
        return new AuditEvent(session.account.name(), action, null, null, filter.subjectRef(), Set.of(),
                purpose == null ? null : "PURPOSE:" + purpose, null, null);
    }

    private Map<String, Object> filterModel(ConsoleRequest r) {
        Map<String, Object> model = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        for (String name : List.of("from", "to", "action", "actor", "agency", "referralId", "messageId", "code", "subject",
                "purpose")) {
            values.put(name, Optional.ofNullable(r.parameter(name)).orElse(""));
        }
        model.put("f", values);
        model.put("actions", Arrays.stream(AuditAction.values()).map(a -> new Option(a.name(), a.label())).toList());
        model.put("agencies", agencies);
        model.put("purposes", PURPOSES.stream().map(p -> new Option(p, Pages.message("purpose." + p))).toList());
        model.put("rows", List.of());
        return model;
    }

    /** A choice of a select: value and label. */
    public record Option(String value, String label) {
    }

    /** The request's filter parameters with one parameter set (for the next page and export links). */
    private static String query(ConsoleRequest r, String name, String value) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("from", "to", "action", "actor", "agency", "referralId", "messageId", "code", "subject",
                "purpose")) {
            String v = r.parameter(key);
            if (v != null) {
                parts.add(key + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        return String.join("&", parts);
    }

    private static long number(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String bound(OffsetDateTime time) {
        return time == null ? ".." : AuditSearch.canonicalTime(time);
    }

    // --- responses ---

    ConsoleResponse page(int status, String template, Sessions.Session session, Map<String, Object> model) {
        return page(status, template, session, model, securityHeaders());
    }

    private ConsoleResponse page(int status, String template, Sessions.Session session, Map<String, Object> model,
            Map<String, String> headers) {
        Map<String, Object> all = new HashMap<>(model);
        if (session != null && session.loggedIn()) {
            all.put("account", session.account.name());
            all.put("role", session.account.role().label());
            all.put("csrf", session.csrf);
            all.put("nav", Arrays.stream(Route.values()).filter(route -> !route.post && route != Route.AUDIT_ENTRY
                            && route != Route.AUDIT_EXPORT && route != Route.BUNDLE && route != Route.REFERRAL
                            && route != Route.DEAD_LETTER && route.roles.contains(session.account.role()))
                    .map(route -> new Option(route.path, Pages.message("nav." + route.name().toLowerCase(Locale.ROOT))))
                    .toList());
        }
        all.put("page", template);
        all.putIfAbsent("title", Pages.message("title." + template));
        return ConsoleResponse.html(status, pages.render(template, all), headers);
    }

    private OperationsPages operations() {
        if (operations == null) {
            throw new IllegalStateException("the console was built without its operations services");
        }
        return operations;
    }

    private ConsoleResponse show(OperationsPages.View view, Sessions.Session session) {
        return page(view.status(), view.template(), session, view.model());
    }

    ConsoleResponse redirect(String location, Map<String, String> extra) {
        Map<String, String> headers = securityHeaders();
        headers.putAll(extra);
        headers.put("Location", location);
        return new ConsoleResponse(303, "text/plain; charset=UTF-8", new byte[0], headers);
    }

    ConsoleResponse download(String contentType, String fileName, byte[] body) {
        Map<String, String> headers = securityHeaders();
        headers.put("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        return new ConsoleResponse(200, contentType, body, headers);
    }

    private String cookie(String id) {
        return cookieName + "=" + id + "; Path=" + cookiePath() + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }

    private String cookiePath() {
        return tls ? "/" : ROOT; // the __Host- prefix requires Path=/
    }

    /** On every console response: no script at all, no framing, nothing cached (pages may show personal data). */
    private Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        if (tls) {
            headers.put("Strict-Transport-Security", "max-age=31536000");
        }
        return headers;
    }
}
