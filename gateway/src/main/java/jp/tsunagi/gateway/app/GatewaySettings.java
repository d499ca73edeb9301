package jp.tsunagi.gateway.app;

import jp.tsunagi.gateway.intake.IntakeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jp.tsunagi.gateway.delivery.DeliveryConfig;
import jp.tsunagi.gateway.escalation.EscalationSettings;
import jp.tsunagi.gateway.http.TlsSettings;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * {@code conf/gateway.properties}: where the gateway keeps its data and keys, and how it listens (address, port,
 * TLS and mutual TLS: {@code tsunagi.tls.*}), and when unanswered referrals are escalated ({@code tsunagi.escalation.*}).
 */
public record GatewaySettings(Path confDirectory, String dbUrl, String dbUser, String dbPassword, Path keyDirectory,
        String host, int port, IntakeSettings intake, DeliveryConfig delivery, Duration retention, TlsSettings tls,
        EscalationSettings escalation) {
    public static final String FILE_NAME = SettingsFile.FILE_NAME;

    public GatewaySettings {
        tls = tls == null ? TlsSettings.DISABLED : tls;
        escalation = escalation == null ? EscalationSettings.defaults() : escalation;
    }

    /** With the default escalation settings. */
    public GatewaySettings(Path confDirectory, String dbUrl, String dbUser, String dbPassword, Path keyDirectory,
            String host, int port, IntakeSettings intake, DeliveryConfig delivery, Duration retention, TlsSettings tls) {
        this(confDirectory, dbUrl, dbUser, dbPassword, keyDirectory, host, port, intake, delivery, retention, tls, null);
    }

    /** Without TLS settings: plain HTTP. */
    public GatewaySettings(Path confDirectory, String dbUrl, String dbUser, String dbPassword, Path keyDirectory,
            String host, int port, IntakeSettings intake, DeliveryConfig delivery, Duration retention) {
        this(confDirectory, dbUrl, dbUser, dbPassword, keyDirectory, host, port, intake, delivery, retention, TlsSettings.DISABLED, null);
    }

    /**
     * Reads the file of the conf directory (absent: the built-in defaults), checked against the declared settings;
     * {@code TSUNAGI_DB_URL}, {@code TSUNAGI_DB_USER} and {@code TSUNAGI_DB_PASSWORD} of the environment take precedence over the file.
     *
     * @throws IllegalArgumentException every problem with the file and line
     */
    public static GatewaySettings load(Path confDirectory) {
        SettingsFile file = SettingsFile.load(confDirectory);
        try {
            return new GatewaySettings(confDirectory, file.get(Settings.DB_URL), file.get(Settings.DB_USER),
                    file.get(Settings.DB_PASSWORD), file.get(Settings.KEYS_DIR), file.get(Settings.HTTP_HOST),
                    file.get(Settings.HTTP_PORT), IntakeSettings.from(file), DeliveryConfig.from(file),
                    file.get(Settings.STORE_RETENTION), TlsSettings.from(file), EscalationSettings.from(file));
        } catch (IllegalArgumentException e) {
            // settings that contradict each other (e.g. a lease shorter than one attempt): the line of the first named
            String where = Settings.ALL.stream().filter(s -> e.getMessage().contains(s.key()))
                    .map(s -> file.locate(s.key())).flatMap(Optional::stream).findFirst()
                    .orElse(file.file() + ": ");
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    public GatewaySettings withDb(String url) {
        return new GatewaySettings(confDirectory, url, dbUser, dbPassword, keyDirectory, host, port, intake, delivery, retention, tls, escalation);
    }

    public GatewaySettings withPort(int newPort) {
        return new GatewaySettings(confDirectory, dbUrl, dbUser, dbPassword, keyDirectory, host, newPort, intake, delivery, retention, tls, escalation);
    }

    public GatewaySettings withKeys(Path keys) {
        return new GatewaySettings(confDirectory, dbUrl, dbUser, dbPassword, keys, host, port, intake, delivery, retention, tls, escalation);
    }

    public GatewaySettings withDelivery(DeliveryConfig config) {
        return new GatewaySettings(confDirectory, dbUrl, dbUser, dbPassword, keyDirectory, host, port, intake, config, retention, tls, escalation);
    }

    public GatewaySettings withTls(TlsSettings newTls) {
        return new GatewaySettings(confDirectory, dbUrl, dbUser, dbPassword, keyDirectory, host, port, intake, delivery, retention, newTls, escalation);
    }

    public GatewaySettings withEscalation(EscalationSettings newEscalation) {
        return new GatewaySettings(confDirectory, dbUrl, dbUser, dbPassword, keyDirectory, host, port, intake, delivery, retention, tls, newEscalation);
    }
}
