package jp.tsunagi.gateway.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * The record of consent withdrawals (同意撤回の記録) that the consent engine consults: a consent carried inside a
 * message cannot say that it was withdrawn later, so the gateway keeps the withdrawals it has seen (the durable store
 * implements this).
 */
@FunctionalInterface
public interface ConsentLedger {
    /** When the consent was withdrawn, or empty if it never was. */
    Optional<Instant> withdrawnAt(String consentId);
}
