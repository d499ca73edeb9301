package jp.tsunagi.gateway.http;

import jp.tsunagi.gateway.config.ClientCertificates;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * The TLS of the HTTP server, read and checked before it starts: the server's key and certificate chain, whether
 * clients must present a certificate, which certificates it trusts for them, and which agency each belongs to.
 * TLS 1.2 and 1.3 only. A configuration that cannot work (no key, no certificate, nothing to trust for mutual TLS)
 * stops the gateway from starting rather than serving without it.
 */
public final class ServerTls {
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    private static final char[] IN_MEMORY = "tsunagi".toCharArray();

    private final X509KeyManager keyManager;
    private final X509ExtendedTrustManager trustManager;
    private final TlsSettings.ClientAuth clientAuth;
    private final ClientCertificates clients;

    private ServerTls(X509KeyManager keyManager, X509ExtendedTrustManager trustManager, TlsSettings.ClientAuth clientAuth,
                      ClientCertificates clients) {
        this.keyManager = keyManager;
        this.trustManager = trustManager;
        this.clientAuth = clientAuth;
        this.clients = clients;
    }

    /**
     * The TLS of the settings, or null when TLS is off. Defaults: the gateway's own key and certificate of the key
     * directory; for client certificates, trust in each agency's {@code <keys.dir>/<id>.crt.pem} that exists.
     */
    public static ServerTls load(TlsSettings settings, Path keyDirectory, AgencyDirectory agencies) {
        if (!settings.enabled()) {
            return null;
        }
        String gatewayId = agencies.gateway().id();
        Path key = settings.key() != null ? settings.key() : KeyMaterial.privateKeyFile(keyDirectory, gatewayId);
        Path chain = settings.certificate() != null ? settings.certificate() : KeyMaterial.certificateFile(keyDirectory, gatewayId);
        List<X509Certificate> trusted = new ArrayList<>();
        if (settings.clientAuth() != TlsSettings.ClientAuth.NONE) {
            if (settings.trust().isEmpty()) {
                for (Agency agency : agencies.agencies()) {
                    Path crt = KeyMaterial.certificateFile(keyDirectory, agency.id());
                    if (Files.isRegularFile(crt)) {
                        trusted.addAll(readCertificates(crt));
                    }
                }
                if (trusted.isEmpty()) {
                    throw new IllegalArgumentException("tsunagi.tls.client-auth=" + settings.clientAuth().name().toLowerCase()
                            + " but no agency certificate <id>.crt.pem in " + keyDirectory + " to trust: set tsunagi.tls.trust");
                }
            } else {
                for (Path file : settings.trust()) {
                    trusted.addAll(readCertificates(file));
                }
            }
        }
        return of(readPrivateKey(key), readCertificates(chain), settings.clientAuth(), trusted,
                ClientCertificates.fromAgencies(agencies));
    }

    /** TLS from keys in memory (tests, embedding). */
    public static ServerTls of(PrivateKey key, List<X509Certificate> chain, TlsSettings.ClientAuth clientAuth,
                               List<X509Certificate> trusted, ClientCertificates clients) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the TLS certificate chain is empty");
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", jdkKey(key), IN_MEMORY,
                    chain.stream().map(ServerTls::jdkCertificate).toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, IN_MEMORY);
            X509ExtendedTrustManager trustManager = null;
            if (clientAuth != TlsSettings.ClientAuth.NONE) {
                if (trusted.isEmpty()) {
                    throw new IllegalArgumentException("mutual TLS needs at least one trusted certificate");
                }
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                int n = 0;
                for (X509Certificate certificate : trusted) {
                    anchors.setCertificateEntry("trusted-" + n++, jdkCertificate(certificate));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(anchors);
                trustManager = new CurrentCertificatesOnly(x509(tmf.getTrustManagers()));
            }
            return new ServerTls(x509(kmf.getKeyManagers()), trustManager, clientAuth, clients);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public TlsSettings.ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Who client certificates belong to; null when no client certificate is asked for. */
    public ClientCertificates clients() {
        return clientAuth == TlsSettings.ClientAuth.NONE ? null : clients;
    }

    /** The Vert.x server options: TLS 1.2/1.3 with this key, and client authentication as configured. */
    HttpServerOptions serverOptions() {
        HttpServerOptions options = new HttpServerOptions();
        options.setSsl(true);
        options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
        options.setKeyCertOptions(KeyCertOptions.wrap(keyManager));
        options.setClientAuth(switch (clientAuth) {
            case NONE -> io.vertx.core.http.ClientAuth.NONE;
            case WANT -> io.vertx.core.http.ClientAuth.REQUEST;
            case REQUIRE -> io.vertx.core.http.ClientAuth.REQUIRED;
        });
        if (trustManager != null) {
            options.setTrustOptions(TrustOptions.wrap(trustManager));
        }
        return options;
    }

    /** Every certificate of a PEM file (a chain: server certificate first). */
    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            for (Object pem = parser.readObject(); pem != null; pem = parser.readObject()) {
                if (pem instanceof X509CertificateHolder holder) {
                    certificates.add(jdkCertificate(holder.getEncoded()));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no X.509 certificate");
        }
        return certificates;
    }

    private static PrivateKey readPrivateKey(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no TLS private key at " + file + " (tsunagi.tls.key)");
        }
        return Pem.readPrivateKey(file);
    }

    /** The same key from the JDK's providers, which JSSE handles best; the original when they cannot read it. */
    private static PrivateKey jdkKey(PrivateKey key) {
        String algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    private static X509Certificate jdkCertificate(X509Certificate certificate) {
        try {
            return jdkCertificate(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable certificate", e);
        }
    }

    private static X509Certificate jdkCertificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable certificate", e);
        }
    }

    private static X509KeyManager x509(KeyManager[] managers) {
        for (KeyManager m : managers) {
            if (m instanceof X509KeyManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X.509 key manager");
    }

    private static X509ExtendedTrustManager x509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /**
     * Trusts a client's chain only while every certificate of it is within its validity. The JDK's PKIX checks the
     * certificates up to the trust anchor but not the anchor itself, so an agency's self-signed certificate that is
     * trusted as it is (the default trust, every agency's {@code <id>.crt.pem}) was accepted after it expired.
     */
    private static final class CurrentCertificatesOnly extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager trust;

        CurrentCertificatesOnly(X509ExtendedTrustManager trust) {
            this.trust = trust;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType, engine);
            current(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType, socket);
            current(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType);
            current(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            trust.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                throws java.security.cert.CertificateException {
            trust.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }

        private static void current(X509Certificate[] chain) throws java.security.cert.CertificateException {
            for (X509Certificate certificate : chain) {
                certificate.checkValidity();
            }
        }
    }
}
