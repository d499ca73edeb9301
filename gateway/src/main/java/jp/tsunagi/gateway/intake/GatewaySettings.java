package jp.tsunagi.gateway.intake;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import jp.tsunagi.gateway.delivery.DeliveryConfig;
import jp.tsunagi.gateway.escalation.EscalationSettings;
import jp.tsunagi.gateway.http.TlsSettings;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.RetentionPurger;

/**
 * {@code conf/gateway.properties}: where the gateway keeps its data and keys, and how it listens (address, port,
 * TLS and mutual TLS: {@code tsunagi.tls.*}), and when unanswered referrals are escalated ({@code tsunagi.escalation.*}).
 */
public record GatewaySettings(Path confDirectory, String dbUrl, String dbUser, String dbPassword, Path keyDirectory,
        String host, int port, IntakeSettings intake, DeliveryConfig delivery, Duration retention, TlsSettings tls,
        EscalationSettings escalation) {
    public static final String FILE_NAME = "gateway.properties";

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

    /** Reads the file of the conf directory (absent: the built-in defaults). */
    public static GatewaySettings load(Path confDirectory) {
        Properties p = new Properties();
        Path file = confDirectory.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        try {
            return new GatewaySettings(confDirectory,
                    p.getProperty("tsunagi.db.url", Database.DEFAULT_URL),
                    p.getProperty("tsunagi.db.user"), p.getProperty("tsunagi.db.password"),
                    Path.of(p.getProperty("tsunagi.keys.dir", "data/keys")),
                    p.getProperty("tsunagi.http.host", "127.0.0.1"),
                    Integer.parseInt(p.getProperty("tsunagi.http.port", "8080")),
                    new IntakeSettings(Integer.parseInt(p.getProperty("tsunagi.message.max-bytes", "1048576")),
                            Duration.parse(p.getProperty("tsunagi.message.replay-window", "P7D"))),
                    DeliveryConfig.fromProperties(p), RetentionPurger.retention(p), TlsSettings.fromProperties(p),
                    EscalationSettings.fromProperties(p));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
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
