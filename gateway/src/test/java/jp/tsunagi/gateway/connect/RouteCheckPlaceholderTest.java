package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import jp.tsunagi.gateway.config.AgencyDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route with {{property}} placeholders is checked as Camel will run it: with the placeholders resolved. */
class RouteCheckPlaceholderTest {
    @TempDir
    Path dir;

    @Test
    void aPlaceholderIsCheckedAsItResolvesAndOneThatCannotResolveIsAProblemWithItsLine() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.copy(Path.of("../conf/agencies.yaml"), conf.resolve("agencies.yaml"));
        AgencyDirectory agencies = AgencyDirectory.inConfDirectory(conf);
        ConnectorConf.route(conf, "tax-desk.yaml", """
                - route:
                    from:
                      uri: "kamelet:tsunagi-folder-source?directory={{tsunagi.exchange.dir}}/tax-desk/out"
                      steps:
                        - to: "tsunagi:intake?agency={{tsunagi.tax.agency}}&mappings=tax-desk-referral"
                        - to: "tsunagi:intake?agency={{tsunagi.nobody}}&mappings=tax-desk-referral"
                """);
        Set<String> mappings = Set.of("tax-desk-referral");

        var problems = RouteCheck.check(conf, agencies, mappings, value -> {
            if (value.contains("{{tsunagi.nobody}}")) {
                throw new IllegalArgumentException("Property with key [tsunagi.nobody] not found");
            }
            return value.replace("{{tsunagi.exchange.dir}}", "data/exchange").replace("{{tsunagi.tax.agency}}", "tsunagi-tax");
        });

        assertThat(problems).filteredOn(p -> p.contains("tax-desk.yaml"))
                .containsExactly(conf.resolve("routes/tax-desk.yaml") + ", line 6: a property placeholder cannot be resolved");
    }
}
