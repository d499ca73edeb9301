package jp.tsunagi.gateway.http;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.signature.BouncyCastle;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys and certificates for the TLS tests: what {@code keys init} writes for the gateway and every agency of the
 * repository's agencies.yaml, the gateway's certificate replaced by one naming 127.0.0.1 (as a production server
 * certificate names its host), and HTTPS clients with or without a client certificate.
 */
final class TlsTestKeys {
    static final List<String> IDS = List.of("gateway", "tsunagi-hub", "tsunagi-welfare", "tsunagi-hellowork",
            "tsunagi-houkatsu", "tsunagi-tax");

    final Path keys;
    final Path conf;
    final AgencyDirectory agencies;

    TlsTestKeys(Path dir) throws Exception {
        this.keys = dir.resolve("keys");
        for (String id : IDS) {
            KeyMaterial.writeFiles(keys, id, id);
        }
        KeyMaterial.writeFiles(keys, "stranger", "not registered");
        Files.writeString(KeyMaterial.certificateFile(keys, "gateway"),
                Pem.encode(serverCertificate(keyPair("gateway"))), StandardCharsets.US_ASCII);
        // a certificate that names tsunagi-tax but carries another key: what a CA could issue to someone else
        KeyPair other = KeyMaterial.generateP256();
        Files.writeString(KeyMaterial.privateKeyFile(keys, "fake-tax"), Pem.encode(other.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(KeyMaterial.certificateFile(keys, "fake-tax"),
                Pem.encode(KeyMaterial.selfSignedCertificate("tsunagi-tax", "tsunagi-tax", other, Duration.ofDays(1))),
                StandardCharsets.US_ASCII);
        this.conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("agencies.yaml"),
                Files.readString(Path.of("../conf/agencies.yaml")).replace("data/keys/", keys + "/"));
        Files.copy(Path.of("../conf/policy.yaml"), conf.resolve("policy.yaml"));
        this.agencies = AgencyDirectory.inConfDirectory(conf);
    }

    KeyPair keyPair(String id) {
        return new KeyPair(Pem.readPublicKey(KeyMaterial.publicKeyFile(keys, id)), Pem.readPrivateKey(KeyMaterial.privateKeyFile(keys, id)));
    }

    Path certificate(String id) {
        return KeyMaterial.certificateFile(keys, id);
    }

    /** TLS on, as gateway.properties would give it, read from the key directory. */
    ServerTls serverTls(TlsSettings.ClientAuth clientAuth, List<Path> trust) {
        return ServerTls.load(new TlsSettings(true, null, null, clientAuth, trust), keys, agencies);
    }

    /**
     * An HTTPS client that trusts the gateway's certificate and presents the certificate of {@code id} (or none),
     * whatever issuers the server names as acceptable, as a hostile client would (the JDK's own client sends none
     * whose issuer the server does not name, which would hide what the server does with it).
     */
    HttpClient client(String id) throws Exception {
        return client(id, null);
    }

    HttpClient client(String id, String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", Pem.readCertificate(certificate("gateway")));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (id != null) {
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            PrivateKey key = Pem.readPrivateKey(KeyMaterial.privateKeyFile(keys, id));
            own.setKeyEntry("client", key, "x".toCharArray(), new X509Certificate[] {Pem.readCertificate(certificate(id))});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(own, "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : new KeyManager[] {new Insistent((X509KeyManager) kmf.getKeyManagers()[0])},
                tmf.getTrustManagers(), new SecureRandom());
        HttpClient.Builder builder = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5));
        if (protocol != null) {
            SSLParameters parameters = context.getDefaultSSLParameters();
            parameters.setProtocols(new String[] {protocol});
            builder.sslParameters(parameters);
        }
        return builder.build();
    }

    /** Presents its one client certificate whatever the server asks for. */
    private static final class Insistent extends X509ExtendedKeyManager {
        private final X509KeyManager keys;

        Insistent(X509KeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A certificate for the public key, valid from {@code from} to {@code to}, issued by the issuer's name and key (the
     * subject's own for a self-signed one); {@code ca} marks a CA certificate. What a municipality's CA, a stranger's
     * CA or an agency whose certificate has expired would present.
     */
    static X509Certificate issue(String subject, java.security.PublicKey key, String issuer, PrivateKey issuerKey,
                                 Instant from, Instant to, boolean ca) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), new BigInteger(64, new SecureRandom()),
                Date.from(from), Date.from(to), new X500Name(subject), key);
        if (ca) {
            builder.addExtension(Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
        }
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.provider()).build(issuerKey);
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(builder.build(signer));
    }

    /** Writes a client identity under a name of its own, so that {@link #client(String)} presents it. */
    void writeIdentity(String name, PrivateKey key, X509Certificate certificate) throws Exception {
        Files.writeString(KeyMaterial.privateKeyFile(keys, name), Pem.encode(key), StandardCharsets.US_ASCII);
        Files.writeString(KeyMaterial.certificateFile(keys, name), Pem.encode(certificate), StandardCharsets.US_ASCII);
    }

    private static X509Certificate serverCertificate(KeyPair keys) throws Exception {
        X500Name subject = new X500Name("O=Tsunagi,CN=gateway");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
                new GeneralName(GeneralName.dNSName, "localhost")}));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.provider()).build(keys.getPrivate());
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(builder.build(signer));
    }
}
