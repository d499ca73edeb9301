package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's id is configuration (agencies.yaml, {@code gateway.id}), and everything the gateway does in its own
 * name says it: its audit entries, its receipts, its notices. Nothing is written as "gateway" by habit.
 */
class GatewayIdentityEndToEndTest {
    private static final String ID = "tsunagi-shi-gateway";

    @TempDir
    Path dir;

    @Test
    void a_gateway_configured_as_tsunagi_shi_gateway_names_itself_so_in_its_audit_entries_and_its_notices()
            throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            Path agencies = conf.resolve("agencies.yaml");
            Files.writeString(agencies, Files.readString(agencies).replace("  id: gateway\n", "  id: " + ID + "\n")
                    .replace("\"gateway#1\"", "\"" + ID + "#1\"").replace("/gateway.pub.pem", "/" + ID + ".pub.pem"));
            KeyMaterial.writeFiles(dir.resolve("keys"), ID, ID);
        })) {
            assertThat(g.send(g.sample("F1-")).statusCode()).isEqualTo(202);
            // the referral reaches the hub, and the tax desk hears 受信 from the gateway under its configured id
            Message received = g.awaitCopy("tsunagi-tax", GatewayFixture.statusUpdate(ID, "RECEIVED"));

            assertThat(received.getSender()).isEqualTo(ID);
            List<String> actors = actors(g);
            assertThat(actors).contains(ID).doesNotContain("gateway");
        }
    }

    /** The actors of the gateway's own entries (those that are not an agency's). */
    private static List<String> actors(GatewayFixture g) throws Exception {
        List<String> actors = new ArrayList<>();
        g.gateway.awaitAuditChained();
        try (var c = g.gateway.database().dataSource().getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT DISTINCT actor FROM audit_entry"
                     + " WHERE actor NOT LIKE 'tsunagi-%' OR actor = '" + ID + "'")) {
            while (r.next()) {
                actors.add(r.getString(1));
            }
        }
        return actors;
    }
}
