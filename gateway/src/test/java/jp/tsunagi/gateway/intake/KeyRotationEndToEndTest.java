package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.KeyRotation;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway started after {@code keys rotate tsunagi-tax}: during the grace period it accepts messages signed with the
 * old key and with the new one; once the old key's {@code retires} has passed, it refuses the old key.
 */
class KeyRotationEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void during_the_grace_period_the_old_and_the_new_key_are_both_accepted() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> rotate(conf, Instant.now()))) {
            assertThat(g.send(g.sample("F1-"), MessageFormat.JSON, oldKey()).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F1-"), MessageFormat.JSON, newKey()).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void once_the_grace_period_is_over_the_old_key_is_refused_and_the_new_one_accepted() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2,
                conf -> rotate(conf, Instant.now().minus(Duration.ofDays(31))))) {
            var refused = g.send(g.sample("F1-"), MessageFormat.JSON, oldKey());

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("signature.kid_unknown");
            assertThat(g.send(g.sample("F1-"), MessageFormat.JSON, newKey()).statusCode()).isEqualTo(202);
        }
    }

    /** keys rotate tsunagi-tax with the default grace of 30 days, as if run at the time. */
    private void rotate(Path conf, Instant at) {
        KeyRotation.prepare(AgencyDirectory.inConfDirectory(conf), keys(), "tsunagi-tax", Duration.ofDays(30), at).apply();
    }

    private SigningKey oldKey() {
        return new SigningKey("tsunagi-tax#1", Pem.readPrivateKey(keys().resolve("tsunagi-tax.1.key.pem")));
    }

    private SigningKey newKey() {
        return new SigningKey("tsunagi-tax#2", Pem.readPrivateKey(keys().resolve("tsunagi-tax.key.pem")));
    }

    private Path keys() {
        return dir.resolve("keys");
    }
}
