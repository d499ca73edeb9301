package jp.tsunagi.gateway.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A consent ledger in memory, for tests: the durable store keeps the real one. */
final class InMemoryConsentLedger implements ConsentLedger {
    private final Map<String, Instant> withdrawals = new ConcurrentHashMap<>();

    void withdraw(String consentId, Instant at) {
        withdrawals.put(consentId, at);
    }

    @Override
    public Optional<Instant> withdrawnAt(String consentId) {
        return Optional.ofNullable(withdrawals.get(consentId));
    }
}
