package jp.tsunagi.schema.signature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key pairs and self-signed certificates for the gateway and agencies (development and first installation;
 * a municipality may replace the certificates with ones from its own CA). Files, per id, in a key directory:
 * {@code <id>.key.pem} (PKCS#8, readable by the owner only), {@code <id>.pub.pem}, {@code <id>.crt.pem}.
 */
public final class KeyMaterial {
    private KeyMaterial() {
    }

    public static KeyPair generateP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.provider());
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a P-256 key pair", e);
        }
    }

    public static KeyPair generateEd25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", BouncyCastle.provider()).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key pair", e);
        }
    }

    /** A self-signed certificate naming the id, valid for the given time. */
    public static X509Certificate selfSignedCertificate(String id, String displayName, KeyPair keys, Duration validity) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Tsunagi")
                .addRDN(BCStyle.OU, displayName)
                .addRDN(BCStyle.CN, id)
                .build();
        Instant now = Instant.now();
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
            String algorithm = SignatureAlgorithm.forKey(keys.getPrivate()) == SignatureAlgorithm.ES256
                    ? "SHA256withECDSA" : "Ed25519";
            var signer = new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.provider()).build(keys.getPrivate());
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a certificate", e);
        }
    }

    /** Writes the three files of one id; returns false, touching nothing, when its private key already exists. */
    public static boolean writeFiles(Path directory, String id, String displayName) {
        Path privateKeyFile = privateKeyFile(directory, id);
        if (Files.exists(privateKeyFile)) {
            return false;
        }
        KeyPair keys = generateP256();
        try {
            Files.createDirectories(directory);
            writeOwnerOnly(privateKeyFile, Pem.encode(keys.getPrivate()));
            Files.writeString(publicKeyFile(directory, id), Pem.encode(keys.getPublic()), StandardCharsets.US_ASCII);
            Files.writeString(certificateFile(directory, id),
                    Pem.encode(selfSignedCertificate(id, displayName, keys, Duration.ofDays(825))), StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keys to " + directory, e);
        }
    }

    public static Path privateKeyFile(Path directory, String id) {
        return directory.resolve(id + ".key.pem");
    }

    public static Path publicKeyFile(Path directory, String id) {
        return directory.resolve(id + ".pub.pem");
    }

    public static Path certificateFile(Path directory, String id) {
        return directory.resolve(id + ".crt.pem");
    }

    /** Creates the file readable and writable by its owner only (a private key), where the file system allows. */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }
}
