package jp.tsunagi.gateway.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.AuditSearch;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;

/**
 * A suspension (利用停止) is set and lifted in {@code agencies.yaml} and takes effect when the gateway starts; at that
 * start, each agency whose state differs from the last one the trail recorded gets an {@link AuditAction#AGENCY_SUSPENDED}
 * or {@link AuditAction#AGENCY_RESUMED} entry (actor the gateway, outcome the agency id). The reason stays in the
 * file: the trail holds codes only.
 */
final class SuspensionAudit {
    static final String SUSPENDED = "agency.suspended";
    static final String RESUMED = "agency.resumed";

    private SuspensionAudit() {
    }

    /** Appends an entry for every agency whose suspension changed since the trail last said. */
    static void recordChanges(Connection c, AuditChain audit, AgencyDirectory agencies) throws SQLException {
        Set<String> lastSuspended = lastAuditedSuspended(c);
        for (Agency agency : agencies.agencies()) {
            boolean was = lastSuspended.contains(agency.id());
            if (agency.isSuspended() != was) {
                audit.append(c, AuditEvent.of(was ? AuditAction.AGENCY_RESUMED : AuditAction.AGENCY_SUSPENDED,
                        agencies.gateway().id())
                        .withOutcome(agency.id()).withCode(was ? RESUMED : SUSPENDED));
            }
        }
    }

    /** The agencies whose last suspension entry says suspended. */
    private static Set<String> lastAuditedSuspended(Connection c) throws SQLException {
        Set<String> suspended = new HashSet<>();
        for (AuditSearch.Recorded r : AuditSearch.inTrailOrder(c, List.of(AuditAction.AGENCY_SUSPENDED, AuditAction.AGENCY_RESUMED))) {
            if (AuditAction.AGENCY_SUSPENDED.name().equals(r.action())) {
                suspended.add(r.outcome());
            } else {
                suspended.remove(r.outcome());
            }
        }
        return suspended;
    }
}
