package jp.tsunagi.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CopyLawfulnessTest {
    private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
    private final CopyLawfulness lawfulness = new CopyLawfulness();

    @Test
    void aCopyUnderAConsentThatHoldsMayBeSent() {
        assertThat(lawfulness.stopCode(new CopyLawfulness.Copy("tsunagi-welfare", null, NOW.plusSeconds(1)), NOW)).isNull();
        assertThat(lawfulness.stopCode(new CopyLawfulness.Copy("tsunagi-welfare", null, null), NOW)).isNull();
    }

    @Test
    void aCopyUnderAWithdrawnConsentIsStoppedWithTheWithdrawalsCode() {
        assertThat(lawfulness.stopCode(new CopyLawfulness.Copy("tsunagi-welfare", NOW.minusSeconds(1), NOW.plusSeconds(60)), NOW))
                .isEqualTo("consent.withdrawn");
    }

    @Test
    void aCopyWhoseConsentExpiredIsStopped() {
        assertThat(lawfulness.stopCode(new CopyLawfulness.Copy("tsunagi-welfare", null, NOW), NOW)).isEqualTo("consent.expired");
    }
}
