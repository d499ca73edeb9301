package jp.tsunagi.gateway.config;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import jp.tsunagi.schema.JapanTime;

/**
 * One registered public key (公開鍵) of an agency or of the gateway: its key id {@code <id>#<n>}, which signatures
 * name, and the PEM file (SubjectPublicKeyInfo or X.509 certificate) that holds it. A relative path is relative to
 * the directory the gateway runs in.
 *
 * @param retires null, or when the key stops being accepted (a date-time with offset, or a date: its start in Japan
 *                time); {@code keys rotate} sets it on the key it replaces, after the grace period
 *                ({@code tsunagi.keys.rotation-grace})
 */
public record AgencyKey(String kid, Path pem, String retires) {
    /** When the key stops being accepted; null if never. */
    public Instant retiresAt() {
        if (retires == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(retires).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDate.parse(retires).atStartOfDay(JapanTime.ZONE).toInstant();
        }
    }

    /** Whether signatures with this key are still accepted at the time. */
    public boolean acceptedAt(Instant now) {
        Instant at = retiresAt();
        return at == null || now.isBefore(at);
    }
}
