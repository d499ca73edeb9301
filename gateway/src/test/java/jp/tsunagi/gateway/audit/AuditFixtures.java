package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import javax.sql.DataSource;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;

/** Realistic entries for chains under test: what the gateway records for a stream of referrals. */
final class AuditFixtures {
    static final String SUBJECT = "a".repeat(64);

    private AuditFixtures() {
    }

    static AuditEvent event(int i) {
        String messageId = String.format("00000000-0000-4000-8000-%012d", i);
        return switch (i % 5) {
            case 0 -> AuditEvent.of(AuditAction.ACCEPTED, "tsunagi-tax").withMessage(messageId, "REF-" + i)
                    .withSubject(SUBJECT).withCategories(EnumSet.of(DataCategory.IDENTITY, DataCategory.TAX_ARREARS))
                    .withBasis(LegalBasis.CONSENT, "consent-" + i).withOutcome("accepted");
            case 1 -> AuditEvent.of(AuditAction.CONSENT_DECISION, "gateway").withMessage(messageId, "REF-" + i)
                    .withOutcome("allowed").withCode("consent.in-scope");
            case 2 -> AuditEvent.of(AuditAction.MINIMIZED, "gateway").withMessage(messageId, "REF-" + i)
                    .withCategories(EnumSet.of(DataCategory.HEALTH));
            case 3 -> AuditEvent.of(AuditAction.REJECTED, "tsunagi-hub").withMessage(messageId, null)
                    .withOutcome("refused").withCode("consent.expired");
            default -> AuditEvent.of(AuditAction.DELIVERY_ATTEMPT, "gateway").withMessage(messageId, "REF-" + i)
                    .withOutcome("http-503");
        };
    }

    /** A chain of n entries with a checkpoint every 10 (so at seq 1, 11, 21, ...), each entry committed alone. */
    static AuditChain chain(Clock clock) {
        return new AuditChain(AuditDatabase.GATEWAY_KEY, new CheckpointPolicy(10, Duration.ofHours(1)), clock);
    }

    static List<AuditEntry> write(DataSource dataSource, int n) throws SQLException {
        AuditChain chain = chain(Clock.systemUTC());
        try (Connection c = dataSource.getConnection()) {
            for (int i = 1; i <= n; i++) {
                chain.append(c, event(i));
            }
            return chainAll(chain, c);
        }
    }

    /** What the sequencer does: chains every committed entry, in batches; the entries chained, in order. */
    static List<AuditEntry> chainAll(AuditChain chain, Connection c) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        for (List<AuditEntry> batch = chain.chainBatch(c); !batch.isEmpty(); batch = chain.chainBatch(c)) {
            entries.addAll(batch);
        }
        return entries;
    }
}
