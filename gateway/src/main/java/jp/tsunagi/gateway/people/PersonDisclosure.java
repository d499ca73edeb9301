package jp.tsunagi.gateway.people;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.Disclosure;
import jp.tsunagi.gateway.audit.ProvisionRecord;
import jp.tsunagi.gateway.audit.SubjectIdentity;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.schema.model.LegalBasis;

/**
 * 本人開示 in the console: a person, found by the keyed pseudonym of their kana name and birth date, is shown every
 * provision of their data (date, sender, recipient, categories, basis, the consent as it stood, the delivery's outcome)
 * and every time someone looked at their records in the console, this disclosure included. The disclosure is
 * recorded ({@code DISCLOSED}, with the account, the person's pseudonym and the stated purpose) before anything is
 * read; if it cannot be recorded, nothing is disclosed.
 */
public final class PersonDisclosure {
    private final Disclosure disclosure;
    private final SubjectPseudonyms pseudonyms;

    public PersonDisclosure(Disclosure disclosure, SubjectPseudonyms pseudonyms) {
        this.disclosure = Objects.requireNonNull(disclosure);
        this.pseudonyms = Objects.requireNonNull(pseudonyms);
    }

    /**
     * One provision with what became of it. {@code delivery} is the copy's outbox status (PENDING, DELIVERED, DEAD) or
     * null once retention removed the row; the consent fields are null for another basis.
     */
    public record Provided(ProvisionRecord record, Instant consentExpiresAt, Instant consentWithdrawnAt, String delivery,
                           Instant deliveredAt, Instant deadAt, String lastCode) {
    }

    /** One look at the person's records: the audit entry that recorded it. {@code purpose} may be null (the CLI's). */
    public record View(long seq, Instant at, String actor, AuditAction action, String purpose, String outcome) {
    }

    /** What is disclosed to the person. */
    public record Report(String subjectRef, List<Provided> provisions, List<View> views) {
    }

    /**
     * Records the disclosure, then reads it.
     *
     * @param actor   the console account
     * @param purpose the stated purpose (利用目的), a code
     * @param outcome how it is given: {@code disclosed} (shown), {@code exported.json}, {@code exported.csv}
     */
    public Report disclose(DataSource dataSource, String actor, SubjectIdentity person, String purpose, String outcome)
            throws SQLException {
        String subjectRef = pseudonyms.subjectRef(person);
        // the purpose as the console's other reads of one person state it (basis PURPOSE:x)
        List<ProvisionRecord> records = disclosure.disclose(dataSource, new AuditEvent(actor, AuditAction.DISCLOSED, null,
                null, subjectRef, Set.of(), "PURPOSE:" + purpose, outcome, null));
        try (Connection c = dataSource.getConnection()) {
            List<Provided> provided = new ArrayList<>();
            for (ProvisionRecord record : records) {
                provided.add(provided(c, record));
            }
            return new Report(subjectRef, provided, views(c, subjectRef));
        }
    }

    private static Provided provided(Connection c, ProvisionRecord record) throws SQLException {
        String status = null;
        Instant deliveredAt = null;
        Instant deadAt = null;
        String lastCode = null;
        String original = null;
        try (PreparedStatement s = c.prepareStatement("SELECT status, delivered_at, dead_at, last_error_code,"
                + " original_message_id FROM outbox WHERE message_id = ?")) {
            s.setString(1, record.provision().messageId());
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    status = r.getString(1);
                    deliveredAt = ConsentRegister.time(r, 2);
                    deadAt = ConsentRegister.time(r, 3);
                    lastCode = r.getString(4);
                    original = r.getString(5);
                }
            }
        }
        Instant expires = null;
        Instant withdrawn = null;
        String consentId = record.provision().basisRef();
        if (record.provision().basis() == LegalBasis.CONSENT && consentId != null) {
            try (PreparedStatement s = c.prepareStatement("SELECT MAX(expires_at) FROM consent_use"
                    + " WHERE consent_id = ? AND (message_id = ? OR message_id = ?)")) {
                s.setString(1, consentId);
                s.setString(2, original);
                s.setString(3, record.provision().messageId());
                try (ResultSet r = s.executeQuery()) {
                    expires = r.next() ? ConsentRegister.time(r, 1) : null;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT withdrawn_at FROM consent_withdrawal WHERE consent_id = ?")) {
                s.setString(1, consentId);
                try (ResultSet r = s.executeQuery()) {
                    withdrawn = r.next() ? ConsentRegister.time(r, 1) : null;
                }
            }
        }
        return new Provided(record, expires, withdrawn, status, deliveredAt, deadAt, lastCode);
    }

    private static List<View> views(Connection c, String subjectRef) throws SQLException {
        List<View> views = new ArrayList<>();
        // a look at records is an action named *_READ or *_EXPORTED (AUDIT_READ, AUDIT_EXPORTED, and any page that
        // adds its own), a referral's timeline shown with the person (REFERRAL_VIEWED carries the pseudonym only then),
        // or a disclosure; the gateway's own processing of the person (ACCEPTED, ...) is not a view
        try (PreparedStatement s = c.prepareStatement("SELECT seq, at, actor, action, basis, outcome FROM audit_entry"
                + " WHERE subject_ref = ? AND (action LIKE '%\\_READ' ESCAPE '\\' OR action LIKE '%\\_EXPORTED' ESCAPE '\\'"
                + " OR action IN ('DISCLOSED', 'REFERRAL_VIEWED')) ORDER BY seq")) {
            s.setString(1, subjectRef);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    views.add(new View(r.getLong(1), ConsentRegister.time(r, 2), r.getString(3),
                            AuditAction.valueOf(r.getString(4)), purpose(r.getString(5)), r.getString(6)));
                }
            }
        }
        return views;
    }

    private static String purpose(String basis) {
        return basis != null && basis.startsWith("PURPOSE:") ? basis.substring("PURPOSE:".length()) : null;
    }
}
