package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * 開示: answering a person's disclosure request (APPI) with their provision records: who received which categories
 * of their data, when, on which basis. Every disclosure is recorded in the audit trail (DISCLOSED, with the person's
 * pseudonym) before anything is read; if it cannot be recorded, nothing is disclosed.
 */
public final class Disclosure {
    private final AuditChain chain;
    private final ProvisionRecords records;

    public Disclosure(AuditChain chain, ProvisionRecords records) {
        this.chain = Objects.requireNonNull(chain);
        this.records = Objects.requireNonNull(records);
    }

    /** @param actor who discloses: an administrator's login name (a code, see {@link AuditEvent#CODE}) */
    public List<ProvisionRecord> disclose(DataSource dataSource, String actor, String subjectRef) throws SQLException {
        return disclose(dataSource, AuditEvent.of(AuditAction.DISCLOSED, actor).withSubject(subjectRef)
                .withOutcome("disclosed"));
    }

    /**
     * The same with the entry as the caller words it (e.g. the console's, with the stated purpose): a
     * {@link AuditAction#DISCLOSED} entry naming the person, committed before anything is read.
     */
    public List<ProvisionRecord> disclose(DataSource dataSource, AuditEvent entry) throws SQLException {
        if (entry.action() != AuditAction.DISCLOSED || entry.subjectRef() == null) {
            throw new IllegalArgumentException("a disclosure is recorded as DISCLOSED with the person's pseudonym");
        }
        chain.appendCommitted(dataSource, entry);
        try (Connection c = dataSource.getConnection()) {
            return records.forSubject(c, entry.subjectRef());
        }
    }
}
