package jp.tsunagi.gateway.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import jp.tsunagi.gateway.audit.AuditSequencer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Prometheus metrics. Labels are codes and outcomes only, never ids or anything about a person. */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    void submission(int status, String code) {
        Counter.builder("tsunagi_messages").description("Messages submitted, by HTTP status and code")
                .tag("status", String.valueOf(status)).tag("code", code).register(registry).increment();
    }

    void deliveryAttempt(String outcome) {
        Counter.builder("tsunagi_delivery_attempts").description("Delivery attempts by outcome")
                .tag("outcome", outcome).register(registry).increment();
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
        return registry.scrape();
    }
}
