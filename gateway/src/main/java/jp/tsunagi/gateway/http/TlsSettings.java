package jp.tsunagi.gateway.http;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * TLS of the HTTP interface as {@code gateway.properties} gives it ({@code tsunagi.tls.*}); paths not yet read.
 *
 * @param enabled     {@code tsunagi.tls.enabled}: HTTPS instead of plain HTTP (default false)
 * @param key         {@code tsunagi.tls.key}: PEM private key of the server; null for the gateway's key
 *                    {@code <keys.dir>/<gateway id>.key.pem}
 * @param certificate {@code tsunagi.tls.certificate}: PEM certificate chain, server certificate first; null for
 *                    {@code <keys.dir>/<gateway id>.crt.pem}
 * @param clientAuth  {@code tsunagi.tls.client-auth}: none, want or require (mutual TLS)
 * @param trust       {@code tsunagi.tls.trust}: PEM files of the CA or agency certificates a client certificate
 *                    must chain to; empty for the certificates {@code <keys.dir>/<id>.crt.pem} of every agency
 */
public record TlsSettings(boolean enabled, Path key, Path certificate, ClientAuth clientAuth, List<Path> trust) {
    public static final TlsSettings DISABLED = new TlsSettings(false, null, null, ClientAuth.NONE, List.of());

    /** Whether (and how) the server asks a client for its certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for: the message signature alone authenticates the sender. */
        NONE,
        /** Asked for, not required; one that is presented must be trusted and belong to an agency. */
        WANT,
        /** Required: a client without a trusted certificate fails the TLS handshake. */
        REQUIRE;

        static ClientAuth parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tsunagi.tls.client-auth must be none, want or require, not \"" + value + "\"");
            }
        }
    }

    public TlsSettings {
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        trust = trust == null ? List.of() : List.copyOf(trust);
    }

    /** The {@code tsunagi.tls.*} keys of gateway.properties; absent keys take the defaults. */
    public static TlsSettings fromProperties(Properties p) {
        String trust = p.getProperty("tsunagi.tls.trust", "").trim();
        return new TlsSettings(
                parseBoolean(p.getProperty("tsunagi.tls.enabled", "false")),
                path(p.getProperty("tsunagi.tls.key")),
                path(p.getProperty("tsunagi.tls.certificate")),
                ClientAuth.parse(p.getProperty("tsunagi.tls.client-auth", "none")),
                trust.isEmpty() ? List.of() : Arrays.stream(trust.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).map(Path::of).toList());
    }

    public TlsSettings withClientAuth(ClientAuth newClientAuth) {
        return new TlsSettings(enabled, key, certificate, newClientAuth, trust);
    }

    public TlsSettings withTrust(List<Path> newTrust) {
        return new TlsSettings(enabled, key, certificate, clientAuth, newTrust);
    }

    private static boolean parseBoolean(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("tsunagi.tls.enabled must be true or false, not \"" + value + "\"");
        }
        return v.equals("true");
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }
}
