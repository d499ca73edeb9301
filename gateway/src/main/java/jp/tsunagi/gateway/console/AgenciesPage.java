package jp.tsunagi.gateway.console;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.Connector;
import jp.tsunagi.gateway.config.KeyInventory;
import jp.tsunagi.gateway.policy.PolicyConfig;

/**
 * 機関・設定: the agencies the gateway runs with (their keys and expiry, suspension, connector), its connector routes,
 * the policy's flows and support meetings, and the result of {@code config check}. Configuration only, no personal
 * data; administrators, auditors and operators may open it (not 閲覧, who sees the dashboard only).
 */
final class AgenciesPage {
    /** One agency, or the gateway itself, as the page lists it. */
    record AgencyRow(String id, String name, String type, String municipality, String connector, String accepts,
                     String suspendedSince, String suspendedReason, List<Dashboard.KeyRow> keys) {
    }

    private final RunningGateway running;
    private final Clock clock;

    AgenciesPage(RunningGateway running, Clock clock) {
        this.running = running;
        this.clock = clock;
    }

    Map<String, Object> model() {
        Instant now = clock.instant();
        Map<String, Object> model = new HashMap<>();
        AgencyDirectory agencies = running.agencies().get();
        List<KeyInventory.Key> keys = running.keys().get();
        if (agencies != null) {
            var gateway = agencies.gateway();
            List<AgencyRow> rows = new ArrayList<>();
            rows.add(new AgencyRow(gateway.id(), gateway.name(), Pages.message("agencies.gateway"), "", "", "",
                    null, null, keysOf(gateway.id(), keys, now)));
            agencies.agencies().forEach(a -> rows.add(row(a, keys, now)));
            model.put("agencies", rows);
        } else {
            model.put("agencies", List.of());
        }
        PolicyConfig policy = running.policy().get();
        model.put("flows", policy == null ? List.of() : policy.flows());
        model.put("meetings", policy == null ? List.of() : policy.supportMeetings());
        model.put("routes", running.routes().get());
        model.put("check", running.check().get());
        return model;
    }

    private static AgencyRow row(Agency a, List<KeyInventory.Key> keys, Instant now) {
        return new AgencyRow(a.id(), a.name(), a.type() == null ? "" : a.type().name(), a.municipality(), connector(a.connector()),
                String.join(", ", a.accepts().stream().map(Enum::name).toList()),
                a.isSuspended() ? a.suspended().since() : null, a.isSuspended() ? a.suspended().reason() : null,
                keysOf(a.id(), keys, now));
    }

    private static List<Dashboard.KeyRow> keysOf(String owner, List<KeyInventory.Key> keys, Instant now) {
        return keys.stream().filter(k -> k.owner().equals(owner)).map(k -> Dashboard.keyRow(k, now)).toList();
    }

    /** Kind and endpoint, without any account or secret an endpoint URL could carry (user:password@, query). */
    static String connector(Connector connector) {
        if (connector == null) {
            return "";
        }
        String endpoint = connector.endpoint() == null ? "" : connector.endpoint();
        try {
            URI uri = URI.create(endpoint);
            if (uri.getHost() != null) {
                endpoint = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            } else if (endpoint.contains("?")) {
                endpoint = endpoint.substring(0, endpoint.indexOf('?'));
            }
        } catch (IllegalArgumentException notAUri) {
            endpoint = endpoint.replaceAll("[?].*$", "");
        }
        return connector.kind() + " " + endpoint;
    }
}
