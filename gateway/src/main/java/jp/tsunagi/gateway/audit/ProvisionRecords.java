package jp.tsunagi.gateway.audit;

import jp.tsunagi.schema.JapanTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;

/**
 * The provision records (提供記録) of APPI art. 69 (public bodies) and art. 27-30 (private operators such as a
 * contracted council of social welfare): one per forward, written in the same transaction as the outbox row, kept
 * for 3 years as a rule, and what {@code disclose} shows a person who asks who received their data.
 */
public final class ProvisionRecords {
    /** The retention of the rules under APPI art. 30(3) for the usual case. */
    public static final Period RETENTION = Period.ofYears(3);
    /** Retention is counted in Japanese calendar days. */
    static final ZoneId JAPAN = JapanTime.ZONE;

    private final Clock clock;

    public ProvisionRecords(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    public ProvisionRecords() {
        this(Clock.systemUTC());
    }

    /** Records one forward in the caller's transaction. */
    public ProvisionRecord record(Connection c, Provision p) throws SQLException {
        OffsetDateTime at = AuditTime.of(clock.instant());
        ProvisionRecord record = new ProvisionRecord(UUID.randomUUID().toString(), at, p,
                at.atZoneSameInstant(JAPAN).toLocalDate().plus(RETENTION));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO provision_record (id, at, sender, recipient, "
                + "subject_ref, data_categories, basis, basis_ref, message_id, referral_id, keep_until) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, record.id());
            s.setObject(2, at);
            s.setString(3, p.sender());
            s.setString(4, p.recipient());
            s.setString(5, p.subjectRef());
            s.setString(6, AuditEvent.categoryList(p.categories()));
            s.setString(7, p.basis().name());
            s.setString(8, p.basisRef());
            s.setString(9, p.messageId());
            s.setString(10, p.referralId());
            s.setObject(11, record.keepUntil());
            s.executeUpdate();
        }
        return record;
    }

    /** Every record of one person, oldest first. */
    public List<ProvisionRecord> forSubject(Connection c, String subjectRef) throws SQLException {
        List<ProvisionRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, at, sender, recipient, subject_ref, data_categories, "
                + "basis, basis_ref, message_id, referral_id, keep_until FROM provision_record WHERE subject_ref = ? "
                + "ORDER BY at, id")) {
            s.setString(1, subjectRef);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Provision p = new Provision(rs.getString(3), rs.getString(4), rs.getString(5),
                            categories(rs.getString(6)), LegalBasis.valueOf(rs.getString(7)), rs.getString(8),
                            rs.getString(9), rs.getString(10));
                    records.add(new ProvisionRecord(rs.getString(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)),
                            p, rs.getObject(11, LocalDate.class)));
                }
            }
        }
        return records;
    }

    /** Deletes the records whose keep-until date has passed; returns how many (the caller audits RETENTION_PURGED). */
    public int purgeExpired(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM provision_record WHERE keep_until < ?")) {
            s.setObject(1, LocalDate.now(clock.withZone(JAPAN)));
            return s.executeUpdate();
        }
    }

    private static Set<DataCategory> categories(String list) {
        Set<DataCategory> set = EnumSet.noneOf(DataCategory.class);
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(DataCategory::valueOf).forEach(set::add);
        return set;
    }
}
