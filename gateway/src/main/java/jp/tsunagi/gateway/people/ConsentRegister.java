package jp.tsunagi.gateway.people;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.StoredMessage;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Consent;
import jp.tsunagi.schema.model.ConsentRecipient;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageRejectedException;

/**
 * The consents the gateway has seen (同意の台帳), read side: which consents data travelled under, where each was used
 * (which referrals and copies), its scope as the referral stated it, and its withdrawal with the copies it stopped
 * and the agencies it told. Ids, agency ids, codes and pseudonyms only: never the person's name. Written by the
 * referral ledger ({@code consent_use}, {@code consent_withdrawal}); nothing here writes.
 */
public final class ConsentRegister {
    /** At most this many consents are listed, the most recently used first. */
    public static final int LIST_LIMIT = 200;

    private final MessageStore store;

    public ConsentRegister(MessageStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** One consent in the list. {@code stopped}: copies under it that its withdrawal stopped. */
    public record Summary(String consentId, int referrals, int recipients, Instant firstUsed, Instant lastUsed,
                          Instant expiresAt, Instant withdrawnAt, int stopped) {
    }

    /** Where the consent was used: one referral's copy to one recipient, and what became of it. */
    public record Use(String referralId, String sender, String recipient, Instant at, Instant expiresAt,
                      String referralStatus, String copyId, String copyStatus, int attempts, Instant deliveredAt,
                      Instant deadAt, String lastCode) {
    }

    /** The scope of the consent as the referral that used it first stated it (labels in Japanese). */
    public record Scope(String givenBy, String representative, String obtainedBy, Instant obtainedAt, String method,
                        List<String> recipients, List<String> purposes, List<String> categories, Instant expiresAt) {
    }

    /** A copy the withdrawal stopped (配信停止). */
    public record Stopped(String copyId, String referralId, String recipient, Instant stoppedAt, String referralStatus) {
    }

    /** An agency told of the withdrawal (撤回通知) and how far that notice got. */
    public record Told(String recipient, String noticeId, String status) {
    }

    /** The withdrawal (同意の撤回): when the person withdrew, where it was recorded, by whom, what it did. */
    public record Withdrawal(Instant withdrawnAt, Instant recordedAt, String recordedBy, String actor, String code,
                             List<Stopped> stopped, List<Told> told) {
    }

    /**
     * One consent: its scope (null when no stored referral states it any more: retention purged it), uses, withdrawal
     * (null if none), and the pseudonyms of the people whose data travelled under it.
     */
    public record ConsentFile(String consentId, Scope scope, List<Use> uses, Withdrawal withdrawal, List<String> subjectRefs) {
        public boolean known() {
            return !uses.isEmpty() || withdrawal != null;
        }
    }

    /** The consents used or withdrawn, the most recently used first, at most {@link #LIST_LIMIT}. */
    public List<Summary> list(Connection c) throws SQLException {
        Map<String, Integer> stopped = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT u.consent_id, COUNT(DISTINCT o.id) FROM outbox o"
                + " JOIN consent_use u ON (u.message_id = o.original_message_id OR u.message_id = o.message_id)"
                + " WHERE o.status = 'DEAD' AND o.last_error_code = ? GROUP BY u.consent_id");
             ResultSet r = query(s, MessageStore.CONSENT_WITHDRAWN)) {
            while (r.next()) {
                stopped.put(r.getString(1), r.getInt(2));
            }
        }
        List<Summary> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT u.consent_id, COUNT(DISTINCT u.referral_id),"
                + " COUNT(DISTINCT u.recipient), MIN(u.at), MAX(u.at), MAX(u.expires_at), MAX(w.withdrawn_at)"
                + " FROM consent_use u LEFT JOIN consent_withdrawal w ON w.consent_id = u.consent_id"
                + " GROUP BY u.consent_id ORDER BY MAX(u.at) DESC, u.consent_id LIMIT " + LIST_LIMIT);
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                list.add(new Summary(r.getString(1), r.getInt(2), r.getInt(3), time(r, 4), time(r, 5), time(r, 6),
                        time(r, 7), stopped.getOrDefault(r.getString(1), 0)));
            }
        }
        // a consent withdrawn before any use reached the gateway (the withdrawal still binds it)
        try (PreparedStatement s = c.prepareStatement("SELECT w.consent_id, w.withdrawn_at FROM consent_withdrawal w"
                + " WHERE NOT EXISTS (SELECT 1 FROM consent_use u WHERE u.consent_id = w.consent_id)"
                + " ORDER BY w.withdrawn_at DESC LIMIT " + LIST_LIMIT);
             ResultSet r = s.executeQuery()) {
            while (r.next() && list.size() < LIST_LIMIT) {
                list.add(new Summary(r.getString(1), 0, 0, null, null, null, time(r, 2), 0));
            }
        }
        return list;
    }

    /** One consent's file; {@link ConsentFile#known()} is false when the gateway never saw it. */
    public ConsentFile file(Connection c, String consentId) throws SQLException {
        List<Use> uses = new ArrayList<>();
        List<String> originals = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT u.referral_id, r.sender, u.recipient, u.at, u.expires_at,"
                + " r.status, o.message_id, o.status, o.attempts, o.delivered_at, o.dead_at, o.last_error_code, u.message_id"
                + " FROM consent_use u LEFT JOIN referral r ON r.referral_id = u.referral_id"
                + " LEFT JOIN outbox o ON o.original_message_id = u.message_id AND o.recipient = u.recipient"
                + " WHERE u.consent_id = ? ORDER BY u.at, u.use_id, o.id");
             ResultSet r = query(s, consentId)) {
            while (r.next()) {
                uses.add(new Use(r.getString(1), r.getString(2), r.getString(3), time(r, 4), time(r, 5), r.getString(6),
                        r.getString(7), r.getString(8), r.getInt(9), time(r, 10), time(r, 11), r.getString(12)));
                originals.add(r.getString(13));
            }
        }
        List<String> subjects = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT subject_ref FROM provision_record"
                + " WHERE basis = 'CONSENT' AND basis_ref = ? ORDER BY subject_ref");
             ResultSet r = query(s, consentId)) {
            while (r.next()) {
                subjects.add(r.getString(1));
            }
        }
        return new ConsentFile(consentId, scope(c, consentId, originals), uses, withdrawal(c, consentId), subjects);
    }

    private Withdrawal withdrawal(Connection c, String consentId) throws SQLException {
        Instant withdrawnAt;
        String messageId;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT withdrawn_at, message_id FROM consent_withdrawal WHERE consent_id = ?");
             ResultSet r = query(s, consentId)) {
            if (!r.next()) {
                return null;
            }
            withdrawnAt = time(r, 1);
            messageId = r.getString(2);
        }
        Optional<StoredMessage> recording = messageId == null ? Optional.empty() : store.find(c, messageId);
        String actor = null;
        String code = null;
        try (PreparedStatement s = c.prepareStatement("SELECT actor, code FROM audit_entry WHERE action = 'CONSENT_WITHDRAWN'"
                + " AND message_id = ? ORDER BY seq");
             ResultSet r = query(s, messageId)) {
            if (r.next()) {
                actor = r.getString(1);
                code = r.getString(2);
            }
        }
        List<Stopped> stopped = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT o.id, o.message_id, o.referral_id, o.recipient,"
                + " o.dead_at, r.status FROM outbox o"
                + " JOIN consent_use u ON (u.message_id = o.original_message_id OR u.message_id = o.message_id)"
                + " LEFT JOIN referral r ON r.referral_id = o.referral_id"
                + " WHERE u.consent_id = ? AND o.status = 'DEAD' AND o.last_error_code = ? ORDER BY o.id")) {
            s.setString(1, consentId);
            s.setString(2, MessageStore.CONSENT_WITHDRAWN);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stopped.add(new Stopped(r.getString(2), r.getString(3), r.getString(4), time(r, 5), r.getString(6)));
                }
            }
        }
        List<Told> told = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT recipient, message_id, status FROM outbox WHERE original_message_id = ? ORDER BY id");
             ResultSet r = query(s, messageId)) {
            while (r.next()) {
                told.add(new Told(r.getString(1), r.getString(2), r.getString(3)));
            }
        }
        return new Withdrawal(withdrawnAt, recording.map(StoredMessage::receivedAt).orElse(null),
                recording.map(StoredMessage::sender).orElse(null), actor, code, stopped, told);
    }

    /** The consent as stated in the first stored referral that used it (subject's basis or a household member's). */
    private Scope scope(Connection c, String consentId, List<String> originalMessageIds) throws SQLException {
        for (String messageId : originalMessageIds.stream().distinct().toList()) {
            Optional<StoredMessage> stored = store.find(c, messageId);
            if (stored.isEmpty() || stored.get().payload() == null) {
                continue; // purged by retention
            }
            Message message;
            try {
                byte[] payload = stored.get().payload();
                message = stored.get().format() == MessageFormat.XML ? XmlCodec.bind(XmlCodec.parse(payload))
                        : JsonCodec.bind(JsonCodec.parse(payload));
            } catch (MessageRejectedException | IllegalArgumentException e) {
                continue;
            }
            if (message.getReferral() == null) {
                continue;
            }
            Stream<Basis> bases = Stream.concat(Stream.of(message.getReferral().getBasis()),
                    message.getReferral().getHousehold().stream().map(HouseholdMember::getBasis));
            Optional<Consent> consent = bases.filter(Objects::nonNull).map(Basis::getConsent).filter(Objects::nonNull)
                    .filter(k -> consentId.equals(k.getConsentId())).findFirst();
            if (consent.isPresent()) {
                return scopeOf(consent.get());
            }
        }
        return null;
    }

    private static Scope scopeOf(Consent k) {
        return new Scope(k.getGivenBy() == null ? null : CodeLists.label(k.getGivenBy()),
                k.getRepresentative() == null || k.getRepresentative().getKind() == null ? null
                        : CodeLists.label(k.getRepresentative().getKind()),
                k.getObtainedBy(), k.getObtainedAt() == null ? null : k.getObtainedAt().toInstant(),
                k.getMethod() == null ? null : CodeLists.label(k.getMethod()),
                k.getRecipients().stream().map(ConsentRegister::recipient).toList(),
                k.getPurposes().stream().map(p -> CodeLists.label(p)).toList(),
                k.getDataCategories().stream().map(d -> CodeLists.label(d)).toList(),
                k.getExpiresAt() == null ? null : k.getExpiresAt().toInstant());
    }

    private static String recipient(ConsentRecipient r) {
        return r.getAgencyId() != null ? r.getAgencyId() : r.getAgencyType() == null ? "?" : CodeLists.label(r.getAgencyType());
    }

    private static ResultSet query(PreparedStatement s, String value) throws SQLException {
        s.setString(1, value);
        return s.executeQuery();
    }

    static Instant time(ResultSet r, int column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
