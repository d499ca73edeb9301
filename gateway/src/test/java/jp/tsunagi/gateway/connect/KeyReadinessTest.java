package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness reports what intake would meet: a key file that cannot be used makes the gateway not ready. */
class KeyReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> { });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void healthIsReadyWithItsKeysAndNotReadyOnceAnAgencysPublicKeyFileIsGone() throws Exception {
        var ready = gateway.get("/api/v1/health", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).at("/checks/keys/status").asText()).isEqualTo("UP");

        Files.delete(dir.resolve("keys/tsunagi-tax.pub.pem"));
        var notReady = gateway.get("/api/v1/health", null);

        assertThat(notReady.statusCode()).isEqualTo(503);
        JsonNode health = JSON.readTree(notReady.body());
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/checks/keys/status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/checks/keys/problems").asInt()).isEqualTo(1);
    }
}
