package jp.tsunagi.gateway.intake;

import java.time.Duration;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * Limits of the intake.
 *
 * @param maxMessageBytes the largest message accepted (1 MiB by default)
 * @param replayWindow    how old {@code createdAt} may be: a captured message replayed later than this is refused;
 *                        within it, a repeat is recognised by its messageId (idempotency)
 */
public record IntakeSettings(int maxMessageBytes, Duration replayWindow) {
    public static IntakeSettings defaults() {
        return new IntakeSettings(Settings.MESSAGE_MAX_BYTES.defaultValue(), Settings.MESSAGE_REPLAY_WINDOW.defaultValue());
    }

    /** {@code tsunagi.message.max-bytes} and {@code tsunagi.message.replay-window}. */
    public static IntakeSettings from(SettingsFile file) {
        return new IntakeSettings(file.get(Settings.MESSAGE_MAX_BYTES), file.get(Settings.MESSAGE_REPLAY_WINDOW));
    }
}
