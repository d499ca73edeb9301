package jp.tsunagi.gateway.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: after the n-th failed attempt, wait a random time between 0 and
 * min(cap, base * 2^(n-1)). The randomness spreads the retries of many rows (and many gateways) over the window
 * instead of hitting a recovering recipient all at once.
 */
public final class Backoff {
    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier jitter;

    /** @param jitter values in [0, 1]: the fraction of the window to wait */
    public Backoff(Duration base, Duration cap, DoubleSupplier jitter) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap");
        }
    }

    /** The window after {@code failedAttempts} failures (1 = after the first): min(cap, base * 2^(n-1)). */
    public Duration window(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts, 1) - 1, 62);
        double nanos = base.toNanos() * Math.pow(2, doublings);
        return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
    }

    /** How long to wait before the next attempt. */
    public Duration delayAfter(int failedAttempts) {
        double fraction = Math.min(Math.max(jitter.getAsDouble(), 0), 1);
        return Duration.ofNanos((long) (window(failedAttempts).toNanos() * fraction));
    }
}
