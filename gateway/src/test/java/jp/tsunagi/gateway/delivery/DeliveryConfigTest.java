package jp.tsunagi.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {
    @Test
    void propertiesOverrideTheDefaults() {
        Properties p = new Properties();
        p.setProperty("tsunagi.delivery.workers", "2");
        p.setProperty("tsunagi.delivery.max-attempts", "12");
        p.setProperty("tsunagi.delivery.base-delay", "500ms");
        p.setProperty("tsunagi.delivery.max-delay", "PT10M");
        p.setProperty("tsunagi.delivery.lease", "2m");

        DeliveryConfig c = DeliveryConfig.fromProperties(p);

        assertThat(c.workers()).isEqualTo(2);
        assertThat(c.maxAttempts()).isEqualTo(12);
        assertThat(c.baseDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.maxDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.batchSize()).isEqualTo(DeliveryConfig.defaults().batchSize());
    }

    @Test
    void badValuesAreRefusedNamingTheProperty() {
        Properties p = new Properties();
        p.setProperty("tsunagi.delivery.base-delay", "soon");
        assertThatThrownBy(() -> DeliveryConfig.fromProperties(p)).hasMessageContaining("tsunagi.delivery.base-delay");
        p.setProperty("tsunagi.delivery.base-delay", "1s");
        p.setProperty("tsunagi.delivery.workers", "many");
        assertThatThrownBy(() -> DeliveryConfig.fromProperties(p)).hasMessageContaining("tsunagi.delivery.workers");
        p.setProperty("tsunagi.delivery.workers", "0");
        assertThatThrownBy(() -> DeliveryConfig.fromProperties(p)).hasMessageContaining("at least 1");
    }

    @Test
    void aLeaseShorterThanOneAttemptIsRefused() {
        assertThatThrownBy(() -> DeliveryConfig.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(40)))
                .hasMessageContaining("lease");
    }
}
