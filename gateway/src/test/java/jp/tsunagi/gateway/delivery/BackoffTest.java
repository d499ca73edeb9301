package jp.tsunagi.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void theWindowDoublesUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 1.0);
        assertThat(b.window(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.window(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.window(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.window(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(b.window(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.window(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeWindow() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble());
        long below = 0;
        long above = 0;
        for (int i = 0; i < 2000; i++) {
            Duration d = b.delayAfter(4);
            assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(8));
            below += d.compareTo(Duration.ofSeconds(4)) < 0 ? 1 : 0;
            above += d.compareTo(Duration.ofSeconds(4)) >= 0 ? 1 : 0;
        }
        assertThat(below).isGreaterThan(800);
        assertThat(above).isGreaterThan(800);
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), () -> 0.0).delayAfter(3))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void aBackoffNeedsAPositiveBaseBelowTheCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
