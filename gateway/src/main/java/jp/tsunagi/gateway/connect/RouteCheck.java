package jp.tsunagi.gateway.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import jp.tsunagi.connectors.config.StrictYaml;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * What {@code config check} can tell about {@code conf/routes/*.yaml} without starting Camel: well-formed YAML, every
 * {@code tsunagi:} endpoint naming a registered agency and existing mappings, every {@code kamelet:} one that exists
 * (built in, or in {@code conf/kamelets/}), a route for every agency whose connector is {@code kind: route}, and a
 * value for every property placeholder ({@code {{tsunagi.exchange.dir}}}, {@code {{env:NAME}}}).
 */
public final class RouteCheck {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RouteCheck() {
    }

    /**
     * Every problem, each "file, line N: what", as {@code config check} reports it.
     *
     * @param settings gateway.properties, whose values the routes' property placeholders name; null when it is itself
     *                 invalid (then only placeholders of undeclared settings are reported, and values holding a
     *                 placeholder are not checked further)
     */
    public static List<String> check(Path conf, AgencyDirectory agencies, Set<String> mappingNames, SettingsFile settings) {
        return check(conf, agencies, mappingNames,
                settings == null ? SettingsFile::undeclaredPlaceholders : settings::placeholderProblems,
                value -> settings == null || !settings.placeholderProblems(value).isEmpty() ? value : settings.resolve(value));
    }

    /**
     * The same, with each value's {@code {{property}}} placeholders resolved first as Camel will (a reload checks the
     * routes with the running gateway's properties); a placeholder that cannot be resolved is a problem.
     */
    public static List<String> check(Path conf, AgencyDirectory agencies, Set<String> mappingNames, UnaryOperator<String> placeholders) {
        return check(conf, agencies, mappingNames, value -> List.of(), placeholders);
    }

    private static List<String> check(Path conf, AgencyDirectory agencies, Set<String> mappingNames,
            Function<String, List<String>> placeholderProblems, UnaryOperator<String> placeholders) {
        List<String> problems = new ArrayList<>();
        Set<String> directEndpoints = new HashSet<>();
        for (Path file : Mappings.yamlFiles(conf.resolve("routes"))) {
            byte[] bytes;
            StrictYaml yaml;
            JsonNode tree;
            try {
                bytes = Files.readAllBytes(file);
                yaml = StrictYaml.scan(file, bytes, "a route file holds a list of routes");
                tree = YAML.readTree(bytes);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            } catch (IOException e) {
                problems.add(file + ": cannot be read");
                continue;
            }
            StrictYaml lines = yaml;
            strings(tree, "", (pointer, written) -> {
                placeholderProblems.apply(written).forEach(problem -> problems.add(lines.at(pointer) + problem));
                String value;
                try {
                    value = placeholders.apply(written);
                } catch (RuntimeException e) {
                    problems.add(lines.at(pointer) + "a property placeholder cannot be resolved");
                    return;
                }
                if (value.contains("{{")) {
                    return; // its placeholder is reported above; the rest cannot be checked without its value
                }
                String problem = endpointProblem(conf, value, agencies, mappingNames);
                if (problem != null) {
                    problems.add(lines.at(pointer) + problem);
                }
                if (pointer.endsWith("/from/uri") && value.startsWith("direct:")) {
                    directEndpoints.add(value);
                }
            });
        }
        if (agencies != null) {
            agencies.agencies().stream()
                    .filter(a -> a.connector() != null && "route".equals(a.connector().kind()))
                    .filter(a -> !directEndpoints.contains(a.connector().endpoint()))
                    .forEach(a -> problems.add(conf.resolve("agencies.yaml") + ": " + a.id() + ": connector endpoint "
                            + a.connector().endpoint() + " is not the 'from' of any route in routes/"));
        }
        return problems;
    }

    private static String endpointProblem(Path conf, String uri, AgencyDirectory agencies, Set<String> mappingNames) {
        if (uri.startsWith("kamelet:")) {
            String name = uri.substring("kamelet:".length()).split("\\?")[0];
            boolean exists = name.equals("source") || name.equals("sink")
                    || Files.isRegularFile(conf.resolve("kamelets").resolve(name + ".kamelet.yaml"))
                    || RouteCheck.class.getResource("/kamelets/" + name + ".kamelet.yaml") != null;
            return exists ? null : "no Kamelet " + name + " (built in, or conf/kamelets/" + name + ".kamelet.yaml)";
        }
        if (!uri.startsWith("tsunagi:")) {
            return null;
        }
        String[] parts = uri.substring("tsunagi:".length()).split("\\?", 2);
        Map<String, String> query = query(parts.length > 1 ? parts[1] : "");
        if (parts[0].equals("client")) {
            return null;
        }
        if (!parts[0].equals("intake") && !parts[0].equals("render")) {
            return uri + ": tsunagi:intake, tsunagi:render or tsunagi:client";
        }
        if (query.get("mappings") == null) {
            return uri + ": mappings=NAME[,NAME] is required";
        }
        for (String name : query.get("mappings").split(",")) {
            if (!mappingNames.contains(name.strip())) {
                return uri + ": no mapping " + name.strip() + " in mappings/";
            }
        }
        if (parts[0].equals("intake")) {
            String agency = query.get("agency");
            if (agency == null) {
                return uri + ": agency=ID is required";
            }
            if (agencies != null && agencies.agency(agency).isEmpty()) {
                return uri + ": agency " + agency + " is not in agencies.yaml";
            }
        }
        return null;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    /** Every string value in the tree with its JSON Pointer. */
    private static void strings(JsonNode node, String pointer, BiConsumer<String, String> visit) {
        if (node.isTextual()) {
            visit.accept(pointer, node.asText());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                strings(node.get(i), pointer + "/" + i, visit);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> strings(e.getValue(), pointer + "/" + e.getKey(), visit));
        }
    }
}
