package jp.tsunagi.gateway.http;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;

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
    }

    public TlsSettings {
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        trust = trust == null ? List.of() : List.copyOf(trust);
    }

    /** The {@code tsunagi.tls.*} keys of gateway.properties; absent keys take the defaults. */
    public static TlsSettings fromProperties(Properties p) {
        return new TlsSettings(Settings.TLS_ENABLED.read(p), Settings.TLS_KEY.read(p), Settings.TLS_CERTIFICATE.read(p),
                ClientAuth.valueOf(Settings.TLS_CLIENT_AUTH.read(p).toUpperCase(Locale.ROOT)), Settings.TLS_TRUST.read(p));
    }

    /** The {@code tsunagi.tls.*} settings of gateway.properties. */
    public static TlsSettings from(SettingsFile file) {
        return fromProperties(file.properties());
    }

    public TlsSettings withClientAuth(ClientAuth newClientAuth) {
        return new TlsSettings(enabled, key, certificate, newClientAuth, trust);
    }

    public TlsSettings withTrust(List<Path> newTrust) {
        return new TlsSettings(enabled, key, certificate, clientAuth, newTrust);
    }
}
