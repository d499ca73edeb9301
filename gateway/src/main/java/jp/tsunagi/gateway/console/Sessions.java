package jp.tsunagi.gateway.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory (a restart logs everyone out). A session id is 256 random bits; it is replaced at login,
 * so an id planted before login is worthless after. Before login a session exists only to carry the login form's CSRF
 * token. A session ends after {@link ConsoleSettings#idleTimeout} without a request, and {@link
 * ConsoleSettings#absoluteTimeout} after login in any case.
 */
final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_SESSIONS = 10_000;

    /** One session; {@code account} null before login. */
    static final class Session {
        final String id;
        final String csrf;
        final Account account;
        final Instant started;
        volatile Instant lastUsed;

        Session(String id, String csrf, Account account, Instant started) {
            this.id = id;
            this.csrf = csrf;
            this.account = account;
            this.started = started;
            this.lastUsed = started;
        }

        boolean loggedIn() {
            return account != null;
        }
    }

    /** Why a session was found no longer valid, for the audit entry of its end. */
    enum Expiry {
        IDLE("idle"), ABSOLUTE("absolute");

        final String code;

        Expiry(String code) {
            this.code = code;
        }
    }

    /** A lookup: the live session, or the expired one and why. */
    record Lookup(Session session, Session expired, Expiry expiry) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ConsoleSettings settings;
    private final Clock clock;

    Sessions(ConsoleSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The session of the id, touched; an expired one is removed and reported. */
    Lookup find(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            return new Lookup(null, null, null);
        }
        Instant now = clock.instant();
        Expiry expiry = null;
        if (now.isAfter(s.lastUsed.plus(settings.idleTimeout()))) {
            expiry = Expiry.IDLE;
        } else if (s.loggedIn() && now.isAfter(s.started.plus(settings.absoluteTimeout()))) {
            expiry = Expiry.ABSOLUTE;
        }
        if (expiry != null) {
            sessions.remove(id);
            return new Lookup(null, s, expiry);
        }
        s.lastUsed = now;
        return new Lookup(s, null, null);
    }

    /** A session before login: it carries the CSRF token of the login form. */
    Session anonymous() {
        return put(null);
    }

    /** A new session for the account (a new id); the session it logged in from ends. */
    Session login(Session previous, Account account) {
        if (previous != null) {
            sessions.remove(previous.id);
        }
        return put(account);
    }

    void end(Session session) {
        sessions.remove(session.id);
    }

    /** Ends every session of the account (e.g. disabled). */
    void endAll(String accountName) {
        sessions.values().removeIf(s -> s.loggedIn() && s.account.name().equals(accountName));
    }

    private Session put(Account account) {
        if (sessions.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            sessions.values().removeIf(s -> now.isAfter(s.lastUsed.plus(settings.idleTimeout())));
            if (sessions.size() >= MAX_SESSIONS) {
                // a flood of anonymous sessions must not lock out those logged in: drop the anonymous ones
                sessions.values().removeIf(s -> !s.loggedIn());
            }
        }
        Session s = new Session(random(), random(), account, clock.instant());
        sessions.put(s.id, s);
        return s;
    }

    Optional<Session> byId(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
