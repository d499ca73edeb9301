package jp.tsunagi.gateway.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * The routes of {@code conf/routes/} read as data: each route's source and steps, with Kamelet parameters whether
 * written in the URI or under {@code parameters:}. Lets the demo build the simulated agency systems the
 * configuration expects (a folder, an SFTP server, an HTTP API) and find where each agency drops its documents.
 */
public final class ConnectorRoutes {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** An endpoint: its scheme and path ({@code kamelet:tsunagi-folder-sink}) and its parameters. */
    public record Endpoint(String name, Map<String, String> parameters) {
        public String parameter(String key) {
            return parameters.get(key);
        }
    }

    /** One route: where it starts and the endpoints of its {@code to} steps, in order. */
    public record Route(String id, Endpoint from, List<Endpoint> steps) {
        /** The step after the first one named so (e.g. where the result of tsunagi:intake goes). */
        public Optional<Endpoint> after(String name) {
            for (int i = 0; i < steps.size() - 1; i++) {
                if (steps.get(i).name().equals(name)) {
                    return Optional.of(steps.get(i + 1));
                }
            }
            return Optional.empty();
        }

        public Optional<Endpoint> step(String name) {
            return steps.stream().filter(s -> s.name().equals(name)).findFirst();
        }
    }

    private final List<Route> routes;

    private ConnectorRoutes(List<Route> routes) {
        this.routes = routes;
    }

    /**
     * The routes of a conf directory, their property placeholders replaced by the values of its gateway.properties
     * (as Camel replaces them).
     */
    public static ConnectorRoutes inConfDirectory(Path conf) {
        SettingsFile settings = SettingsFile.load(conf);
        List<Route> routes = new ArrayList<>();
        for (Path file : Mappings.yamlFiles(conf.resolve("routes"))) {
            try {
                for (JsonNode item : YAML.readTree(file.toFile())) {
                    JsonNode route = item.get("route");
                    if (route != null && route.has("from")) {
                        routes.add(route(route, settings::resolve));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ConnectorRoutes(List.copyOf(routes));
    }

    public List<Route> routes() {
        return routes;
    }

    /** The route that takes an agency's documents in ({@code tsunagi:intake?agency=<id>}). */
    public Optional<Route> intakeOf(String agencyId) {
        return routes.stream().filter(r -> r.step("tsunagi:intake").map(s -> agencyId.equals(s.parameter("agency")))
                .orElse(false)).findFirst();
    }

    /** The route starting at an endpoint ({@code direct:tax-desk-out}). */
    public Optional<Route> startingAt(String uri) {
        Endpoint wanted = endpoint(uri, null, UnaryOperator.identity());
        return routes.stream().filter(r -> r.from().name().equals(wanted.name())).findFirst();
    }

    private static Route route(JsonNode route, UnaryOperator<String> resolve) {
        JsonNode from = route.get("from");
        List<Endpoint> steps = new ArrayList<>();
        for (JsonNode step : from.path("steps")) {
            JsonNode to = step.get("to");
            if (to != null && to.isTextual()) {
                steps.add(endpoint(resolve.apply(to.asText()), null, resolve));
            } else if (to != null) {
                steps.add(endpoint(resolve.apply(to.path("uri").asText()), to.get("parameters"), resolve));
            }
        }
        return new Route(route.path("id").asText(null), endpoint(resolve.apply(from.path("uri").asText()),
                from.get("parameters"), resolve), List.copyOf(steps));
    }

    private static Endpoint endpoint(String uri, JsonNode parameters, UnaryOperator<String> resolve) {
        String[] parts = uri.split("\\?", 2);
        Map<String, String> values = new LinkedHashMap<>();
        if (parts.length > 1) {
            for (String pair : parts[1].split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        if (parameters != null) {
            parameters.fields().forEachRemaining(e -> values.put(e.getKey(), resolve.apply(e.getValue().asText())));
        }
        return new Endpoint(parts[0], Map.copyOf(values));
    }
}
