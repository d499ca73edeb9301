package jp.tsunagi.gateway.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * Settings of the delivery workers (配信): {@code tsunagi.delivery.*}, declared in {@link Settings}.
 *
 * @param workers        threads delivering in parallel
 * @param batchSize      rows one claim leases at most (one per referral and recipient)
 * @param pollInterval   how long an idle worker waits before looking again (unless woken)
 * @param lease          how long a claimed row belongs to its worker; after it another worker may take it (a
 *                       crashed worker's rows come back after this)
 * @param baseDelay      backoff window after the first failure
 * @param maxDelay       the largest backoff window
 * @param maxAttempts    attempts before a retryable failure becomes a dead letter
 * @param connectTimeout HTTP connect timeout
 * @param requestTimeout HTTP timeout for the whole answer; with the connect timeout, also the time limit of one
 *                       delivery through a connector route ({@link #attemptLimit()})
 * @param stopTimeout    how long {@link DeliveryWorker#stop()} waits for deliveries in flight
 * @param jitter         source of the backoff's randomness, values in [0, 1] (tests fix it)
 */
public record DeliveryConfig(int workers, int batchSize, Duration pollInterval, Duration lease, Duration baseDelay,
                             Duration maxDelay, int maxAttempts, Duration connectTimeout, Duration requestTimeout,
                             Duration stopTimeout, DoubleSupplier jitter) {
    public DeliveryConfig {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(jitter, "jitter");
        if (workers < 1 || batchSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("delivery: workers, batch-size and max-attempts must be at least 1");
        }
        if (!positive(pollInterval) || !positive(baseDelay) || maxDelay.compareTo(baseDelay) < 0
                || !positive(connectTimeout) || !positive(requestTimeout) || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("delivery: durations must be positive and max-delay >= base-delay");
        }
        // a row must stay leased for at least one whole attempt, or a second worker could send it meanwhile
        if (lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
            throw new IllegalArgumentException("delivery: lease (" + lease + ") must be longer than connect-timeout"
                    + " + request-timeout (" + connectTimeout.plus(requestTimeout) + ")");
        }
    }

    /**
     * The declared defaults (docs/settings.md): 4 workers, batches of 10, 1 s poll, 5 min lease, backoff 1 s to 5 min,
     * 20 attempts, 10 s / 30 s timeouts. 20 attempts give a recipient up to about an hour (half that on average) to
     * come back before a dead letter: 8 would give it about two minutes, too little for an agency system restarting
     * or in maintenance.
     */
    public static DeliveryConfig defaults() {
        return fromProperties(new Properties());
    }

    /** The {@code tsunagi.delivery.*} settings of gateway.properties. */
    public static DeliveryConfig from(SettingsFile file) {
        return fromProperties(file.properties());
    }

    /**
     * The defaults overridden by {@code tsunagi.delivery.*} properties (declared in {@link Settings}).
     *
     * @throws IllegalArgumentException naming the property when a value is malformed or out of range
     */
    public static DeliveryConfig fromProperties(Properties p) {
        return new DeliveryConfig(Settings.DELIVERY_WORKERS.read(p), Settings.DELIVERY_BATCH_SIZE.read(p),
                Settings.DELIVERY_POLL_INTERVAL.read(p), Settings.DELIVERY_LEASE.read(p),
                Settings.DELIVERY_BASE_DELAY.read(p), Settings.DELIVERY_MAX_DELAY.read(p),
                Settings.DELIVERY_MAX_ATTEMPTS.read(p), Settings.DELIVERY_CONNECT_TIMEOUT.read(p),
                Settings.DELIVERY_REQUEST_TIMEOUT.read(p), Settings.DELIVERY_STOP_TIMEOUT.read(p),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    public DeliveryConfig withWorkers(int n) {
        return new DeliveryConfig(n, batchSize, pollInterval, lease, baseDelay, maxDelay, maxAttempts, connectTimeout,
                requestTimeout, stopTimeout, jitter);
    }

    public DeliveryConfig withBackoff(Duration base, Duration max, int attempts) {
        return new DeliveryConfig(workers, batchSize, pollInterval, lease, base, max, attempts, connectTimeout,
                requestTimeout, stopTimeout, jitter);
    }

    public DeliveryConfig withTimeouts(Duration connect, Duration request, Duration newLease) {
        return new DeliveryConfig(workers, batchSize, pollInterval, newLease, baseDelay, maxDelay, maxAttempts,
                connect, request, stopTimeout, jitter);
    }

    public DeliveryConfig withPolling(Duration poll, int batch) {
        return new DeliveryConfig(workers, batch, poll, lease, baseDelay, maxDelay, maxAttempts, connectTimeout,
                requestTimeout, stopTimeout, jitter);
    }

    public DeliveryConfig withStopTimeout(Duration stop) {
        return new DeliveryConfig(workers, batchSize, pollInterval, lease, baseDelay, maxDelay, maxAttempts,
                connectTimeout, requestTimeout, stop, jitter);
    }

    public DeliveryConfig withJitter(DoubleSupplier source) {
        return new DeliveryConfig(workers, batchSize, pollInterval, lease, baseDelay, maxDelay, maxAttempts,
                connectTimeout, requestTimeout, stopTimeout, source);
    }

    /**
     * The longest one attempt may take (connect-timeout + request-timeout), HTTP or route: always shorter than the
     * lease, so an attempt that is still running then is given up and recorded before another worker may claim the row.
     */
    public Duration attemptLimit() {
        return connectTimeout.plus(requestTimeout);
    }

    public Backoff backoff() {
        return new Backoff(baseDelay, maxDelay, jitter);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
