package jp.tsunagi.gateway.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import jp.tsunagi.gateway.audit.AuditSequencer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import jp.tsunagi.gateway.store.OutboxCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus metrics (docs/monitoring/): intake by path, delivery, the outbox's backlog, latencies, JVM and process.
 * Labels are codes, outcomes and agency ids only, never a message id or anything about a person.
 */
public final class GatewayMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);
    /** Buckets of the latency histograms: from a fast intake to a delivery that waited out its retries. */
    private static final Duration[] INTAKE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    private static final Duration[] DELIVERY_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong retrying = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final AtomicLong storeUp = new AtomicLong();
    private volatile DataSource store;
    private volatile Clock clock = Clock.systemUTC();

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("tsunagi.build.info", () -> 1).description("The running version of Tsunagi")
                .tag("version", version()).register(registry);
        Gauge.builder("tsunagi.outbox.copies", pending, AtomicLong::get).description("Copies in the outbox by state")
                .tag("state", "pending").register(registry);
        Gauge.builder("tsunagi.outbox.copies", retrying, AtomicLong::get).description("Copies in the outbox by state")
                .tag("state", "retrying").register(registry);
        Gauge.builder("tsunagi.outbox.copies", dead, AtomicLong::get).description("Copies in the outbox by state")
                .tag("state", "dead").register(registry);
        Gauge.builder("tsunagi.outbox.oldest.pending.age.seconds", oldestPendingSeconds, AtomicLong::get)
                .description("Seconds the oldest copy not yet delivered has waited (0: none waits)").register(registry);
        Gauge.builder("tsunagi.store.up", storeUp, AtomicLong::get)
                .description("1 if the store answered the last scrape, 0 if not").register(registry);
    }

    /** The outbox gauges are read from this store at each scrape. */
    GatewayMetrics readingOutboxOf(DataSource dataSource, Clock clock) {
        this.store = dataSource;
        this.clock = clock;
        return this;
    }

    void submission(int status, String code) {
        Counter.builder("tsunagi_messages").description("Messages submitted over HTTP, by HTTP status and code")
                .tag("status", String.valueOf(status)).tag("code", code).register(registry).increment();
    }

    /**
     * One message (HTTP) or one record of a connector's file taken in, and how long taking it in took.
     *
     * @param path    {@code http} or {@code connector}
     * @param agency  the connector's agency; {@code -} for HTTP (the sender is whoever signed)
     * @param outcome accepted, duplicate or rejected
     */
    void intake(String path, String agency, String outcome, String code, Duration took) {
        Counter.builder("tsunagi.intake.messages").description("Messages taken in, by intake path, connector agency and outcome")
                .tag("path", path).tag("agency", agency).tag("outcome", outcome).tag("code", code == null ? "" : code)
                .register(registry).increment();
        Timer.builder("tsunagi.intake").description("Time to take in one message, by intake path")
                .tag("path", path).serviceLevelObjectives(INTAKE_BUCKETS).register(registry).record(took);
    }

    void deliveryAttempt(String outcome) {
        Counter.builder("tsunagi_delivery_attempts").description("Delivery attempts by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** A copy reached its recipient: from being queued to being acknowledged. */
    void delivered(Duration latency) {
        Timer.builder("tsunagi.delivery.latency").description("Time from queueing a copy to its recipient's acknowledgement")
                .serviceLevelObjectives(DELIVERY_BUCKETS).register(registry).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    void deadLetter() {
        Counter.builder("tsunagi_dead_letters").description("Copies given up after their retries").register(registry).increment();
    }

    /** The audit chain's backlog as the sequencer last observed it (docs/architecture.md D12). */
    void auditChain(AuditSequencer sequencer) {
        Gauge.builder("tsunagi_audit_unchained_entries", sequencer, s -> s.backlog().entries())
                .description("Audit entries committed but not linked into the signed chain yet").register(registry);
        Gauge.builder("tsunagi_audit_chain_lag_seconds", sequencer, s -> s.backlog().oldest().toMillis() / 1000.0)
                .description("Age of the oldest audit entry not linked into the signed chain yet (0: none)")
                .register(registry);
    }

    String scrape() {
        refreshOutbox();
        return registry.scrape();
    }

    private void refreshOutbox() {
        DataSource dataSource = store;
        if (dataSource == null) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            OutboxCounts counts = OutboxCounts.read(c);
            pending.set(counts.pending());
            retrying.set(counts.retrying());
            dead.set(counts.dead());
            oldestPendingSeconds.set(counts.oldestPendingSeconds(clock.instant()));
            storeUp.set(1);
        } catch (SQLException e) {
            storeUp.set(0); // the gauges keep their last values; tsunagi_store_up says they are stale
            LOG.warn("metrics: the store is unavailable ({})", e.getClass().getSimpleName());
        }
    }

    private static String version() {
        String version = GatewayMetrics.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
        }
        return durations;
    }
}
