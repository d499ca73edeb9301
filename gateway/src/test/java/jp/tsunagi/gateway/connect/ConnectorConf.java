package jp.tsunagi.gateway.connect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagi.connectors.simulator.AgencyFolder;

/** Edits of a test conf/ directory: the shipped mappings, a route file, an agency's connector. */
public final class ConnectorConf {
    private ConnectorConf() {
    }

    /** Copies the repository's conf/mappings/ into the test conf/. */
    public static void copyMappings(Path conf) throws IOException {
        Path target = Files.createDirectories(conf.resolve("mappings"));
        try (var files = Files.list(Path.of("../conf/mappings"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    /** Writes conf/routes/<name>. */
    public static void route(Path conf, String name, String yaml) throws IOException {
        Files.writeString(Files.createDirectories(conf.resolve("routes")).resolve(name), yaml);
    }

    /** Sets the connector of one agency in conf/agencies.yaml. */
    static void connector(Path conf, String agencyId, String kind, String endpoint) throws IOException {
        Path file = conf.resolve("agencies.yaml");
        String yaml = Files.readString(file);
        Matcher m = Pattern.compile("(- id: " + Pattern.quote(agencyId) + "\\n(?:.*\\n)*?\\s*connector:\\n\\s*kind: )\\S+(\\n\\s*endpoint: )\\S+")
                .matcher(yaml);
        if (!m.find()) {
            throw new IllegalStateException("no connector of " + agencyId + " in " + file);
        }
        Files.writeString(file, yaml.substring(0, m.start()) + m.group(1) + kind + m.group(2) + endpoint + yaml.substring(m.end()));
    }

    /**
     * The tax desk's intake route as the shipped conf/routes/tax-desk.yaml has it, on the test's folder: files of
     * {@code taxDesk.out()} read with the mappings given, result files written to {@code taxDesk.in()}.
     */
    static String taxDeskIntakeRoute(AgencyFolder taxDesk, String mappings) {
        return """
                - route:
                    id: tax-desk-in
                    from:
                      uri: "kamelet:tsunagi-folder-source"
                      parameters: {directory: "%1$s", readLockMinAge: "100", delay: 100}
                      steps:
                        - to: "tsunagi:intake?agency=tsunagi-tax&mappings=%3$s"
                        - to: "kamelet:tsunagi-folder-sink?directory=%2$s"
                """.formatted(taxDesk.out(), taxDesk.in(), mappings);
    }

    /** Both tax desk routes (its documents in, the gateway's copies out to {@code direct:tax-desk-out}). */
    static String taxDeskRoutes(AgencyFolder taxDesk) {
        return taxDeskIntakeRoute(taxDesk, "tax-desk-referral,tax-desk-withdrawal") + """
                - route:
                    id: tax-desk-out
                    from:
                      uri: direct:tax-desk-out
                      steps:
                        - to: "tsunagi:render?mappings=tax-desk-status,tax-desk-withdrawal,tax-desk-handback"
                        - to: "kamelet:tsunagi-folder-sink?directory=%s"
                """.formatted(taxDesk.in());
    }
}
