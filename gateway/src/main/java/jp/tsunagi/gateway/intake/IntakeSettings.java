package jp.tsunagi.gateway.intake;

import java.time.Duration;

/**
 * Limits of the intake.
 *
 * @param maxMessageBytes the largest message accepted (CONTRACT.md: 1 MiB by default)
 * @param replayWindow    how old {@code createdAt} may be: a captured message replayed later than this is refused;
 *                        within it, a repeat is recognised by its messageId (idempotency)
 */
public record IntakeSettings(int maxMessageBytes, Duration replayWindow) {
    public static IntakeSettings defaults() {
        return new IntakeSettings(1024 * 1024, Duration.ofDays(7));
    }
}
