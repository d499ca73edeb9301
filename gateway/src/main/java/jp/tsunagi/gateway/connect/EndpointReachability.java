package jp.tsunagi.gateway.connect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.config.AgencyDirectory;

/**
 * Whether the agency systems the configuration names can be reached now: each {@code kind: http} connector endpoint
 * of agencies.yaml, each {@code url} of a route step and each SFTP {@code host}/{@code port} of conf/routes/. A
 * system that cannot be reached is a warning, not an error: it may be down for maintenance, and delivery retries.
 */
public final class EndpointReachability {
    private static final int TIMEOUT_MILLIS = 1000;

    private EndpointReachability() {
    }

    /** One warning per host and port that no TCP connection reaches, naming where it is configured. */
    public static List<String> warnings(Path conf, AgencyDirectory agencies) {
        Map<String, String> targets = new LinkedHashMap<>(); // host:port -> where
        if (agencies != null) {
            agencies.agencies().stream().filter(a -> a.connector() != null && "http".equals(a.connector().kind()))
                    .forEach(a -> add(targets, url(a.connector().endpoint()), agencies.source() + ": " + a.id() + " connector"));
        }
        try {
            for (ConnectorRoutes.Route route : ConnectorRoutes.inConfDirectory(conf).routes()) {
                List<ConnectorRoutes.Endpoint> endpoints = new ArrayList<>(route.steps());
                endpoints.add(route.from());
                for (ConnectorRoutes.Endpoint endpoint : endpoints) {
                    String where = "routes/: route " + route.id();
                    add(targets, url(endpoint.parameter("url")), where);
                    if (endpoint.parameter("host") != null) {
                        add(targets, endpoint.parameter("host") + ":" + (endpoint.parameter("port") == null ? "22" : endpoint.parameter("port")), where);
                    }
                }
            }
        } catch (RuntimeException unreadableRoutes) {
            // config check reports the route files' problems itself
        }
        List<String> warnings = new ArrayList<>();
        targets.forEach((target, where) -> {
            if (!reachable(target)) {
                warnings.add("warning: " + where + ": " + target + " cannot be reached now");
            }
        });
        return warnings;
    }

    private static void add(Map<String, String> targets, String hostPort, String where) {
        if (hostPort != null && !hostPort.contains("{{")) {
            targets.putIfAbsent(hostPort, where);
        }
    }

    private static String url(String url) {
        if (url == null || !url.matches("(?i)https?://.*")) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            int port = uri.getPort() >= 0 ? uri.getPort() : url.regionMatches(true, 0, "https", 0, 5) ? 443 : 80;
            return uri.getHost() == null ? null : uri.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean reachable(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), TIMEOUT_MILLIS);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
