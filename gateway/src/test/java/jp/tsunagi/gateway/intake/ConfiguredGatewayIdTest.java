package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's id is configured (agencies.yaml, section gateway): what the gateway does is done under that id. */
class ConfiguredGatewayIdTest {
    private static final String ID = "tsunagi-gw";

    @TempDir
    Path dir;

    @Test
    void a_gateway_with_its_own_id_names_that_id_in_its_audit_entries_receipts_and_copies() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            Path yaml = conf.resolve("agencies.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("  id: gateway\n", "  id: " + ID + "\n")
                    .replace("\"gateway#1\"", "\"" + ID + "#1\"").replace("/gateway.pub.pem", "/" + ID + ".pub.pem"));
            KeyMaterial.writeFiles(dir.resolve("keys"), ID, ID);
        })) {
            var accepted = g.send(g.sample("F1-"));
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(new MessageReader().read(accepted.body()).getSender()).isEqualTo(ID);
            Message copy = g.awaitCopy("tsunagi-hub", m -> m.getReferral() != null);
            assertThat(copy.getProvenance().getOriginalSender()).isEqualTo("tsunagi-tax");

            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE actor = 'gateway'")).isZero();
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'CONSENT_DECISION' AND actor = '" + ID + "'"))
                    .isEqualTo(1);
            // the copy, and the status notice to the sender once the copy is received, are scheduled by the gateway
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'FORWARD_SCHEDULED' AND actor = '" + ID + "'"))
                    .isPositive();
        }
    }
}
