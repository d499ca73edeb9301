package jp.tsunagi.gateway.delivery;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Settings of the delivery workers (配信).
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
 * @param requestTimeout HTTP timeout for the whole answer
 * @param stopTimeout    how long {@link DeliveryWorker#stop()} waits for deliveries in flight
 * @param jitter         source of the backoff's randomness, values in [0, 1] (tests fix it)
 */
public record DeliveryConfig(int workers, int batchSize, Duration pollInterval, Duration lease, Duration baseDelay,
                             Duration maxDelay, int maxAttempts, Duration connectTimeout, Duration requestTimeout,
                             Duration stopTimeout, DoubleSupplier jitter) {
    /** Property names in {@code gateway.properties}. */
    public static final String PREFIX = "tsunagi.delivery.";

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
     * 4 workers, batches of 10, 1 s poll, 5 min lease, backoff 1 s to 5 min, 20 attempts, 10 s / 30 s timeouts. 20
     * attempts give a recipient up to about an hour (half that on average) to come back before a dead letter: 8
     * would give it about two minutes, too little for an agency system restarting or in maintenance.
     */
    public static DeliveryConfig defaults() {
        return new DeliveryConfig(4, 10, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofMinutes(5), 20, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The defaults overridden by {@code tsunagi.delivery.*} properties: {@code workers}, {@code batch-size},
     * {@code max-attempts} (numbers); {@code poll-interval}, {@code lease}, {@code base-delay}, {@code max-delay},
     * {@code connect-timeout}, {@code request-timeout}, {@code stop-timeout} (durations: {@code 500ms}, {@code 30s},
     * {@code 5m}, {@code 1h} or ISO 8601 {@code PT30S}).
     *
     * @throws IllegalArgumentException naming the property when a value is malformed or out of range
     */
    public static DeliveryConfig fromProperties(Properties p) {
        DeliveryConfig d = defaults();
        return new DeliveryConfig(number(p, "workers", d.workers), number(p, "batch-size", d.batchSize),
                duration(p, "poll-interval", d.pollInterval), duration(p, "lease", d.lease),
                duration(p, "base-delay", d.baseDelay), duration(p, "max-delay", d.maxDelay),
                number(p, "max-attempts", d.maxAttempts), duration(p, "connect-timeout", d.connectTimeout),
                duration(p, "request-timeout", d.requestTimeout), duration(p, "stop-timeout", d.stopTimeout),
                d.jitter);
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

    public Backoff backoff() {
        return new Backoff(baseDelay, maxDelay, jitter);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static int number(Properties p, String name, int fallback) {
        String text = p.getProperty(PREFIX + name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + "=" + text.strip() + ": not a whole number");
        }
    }

    private static Duration duration(Properties p, String name, Duration fallback) {
        String text = p.getProperty(PREFIX + name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1).strip());
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new IllegalArgumentException(PREFIX + name + "=" + text.strip()
                + ": not a duration (write e.g. 500ms, 30s, 5m, 1h or PT30S)");
    }
}
