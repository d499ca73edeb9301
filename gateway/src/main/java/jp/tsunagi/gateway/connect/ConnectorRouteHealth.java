package jp.tsunagi.gateway.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kamelet.KameletEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * The state of each connector route of {@code conf/routes/} as Camel's own health checks (camel-health) see it:
 * whether it is started, and whether its consumer's last poll of the agency's folder or SFTP server failed. A route
 * that reads through a Kamelet ({@code kamelet:tsunagi-sftp-source}) polls in the Kamelet's own route; that route's
 * check is reported under the connector route that uses it.
 *
 * <p>A connector that is down is one agency's problem, not the gateway's: it is reported, it does not make the gateway
 * unready. Only the state and the kind of the failure (its exception's class) are reported: a failure's message can
 * quote a remote file name or a server's answer, which the health endpoint must not show.
 */
public final class ConnectorRouteHealth {
    /** One connector route: UP, or DOWN with the kind of its last failure (null if it is just not started). */
    public record State(String route, String status, String failure) {
    }

    private final CamelContext context;
    private final Set<String> gatewayRoutes;

    ConnectorRouteHealth(CamelContext context, Set<String> gatewayRoutes) {
        this.context = context;
        this.gatewayRoutes = gatewayRoutes;
    }

    public List<State> states() {
        if (!context.isStarted()) {
            return List.of();
        }
        Map<String, String> connectorOf = new HashMap<>(); // a Kamelet's route id -> the connector route using it
        List<String> connectors = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof KameletEndpoint kamelet && kamelet.getRouteId() != null) {
                connectorOf.put(kamelet.getRouteId(), route.getRouteId());
            }
        }
        for (Route route : context.getRoutes()) {
            String id = route.getRouteId();
            if (!gatewayRoutes.contains(id) && !connectorOf.containsKey(id)) {
                connectors.add(id);
            }
        }
        Map<String, State> states = new TreeMap<>();
        connectors.forEach(id -> states.put(id, new State(id, started(id) ? "UP" : "DOWN", null)));
        for (HealthCheck.Result result : HealthCheckHelper.invokeReadiness(context)) {
            String polled = routeOf(result.getCheck().getId());
            String connector = polled == null ? null : connectorOf.getOrDefault(polled, polled);
            // a consumer that has not polled yet is DOWN for Camel without an error: only a failed poll counts here
            if (connector == null || !states.containsKey(connector) || result.getState() != HealthCheck.State.DOWN
                    || result.getError().isEmpty()) {
                continue;
            }
            states.put(connector, new State(connector, "DOWN", result.getError().get().getClass().getSimpleName()));
        }
        return new ArrayList<>(states.values());
    }

    /** The route a check is about: its id is {@code consumer:<routeId>} or {@code route:<routeId>}. */
    private static String routeOf(String checkId) {
        for (String prefix : new String[] {"consumer:", "route:"}) {
            if (checkId != null && checkId.startsWith(prefix)) {
                return checkId.substring(prefix.length());
            }
        }
        return null;
    }

    private boolean started(String routeId) {
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        return status != null && status.isStarted();
    }
}
