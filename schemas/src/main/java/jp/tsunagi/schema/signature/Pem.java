package jp.tsunagi.schema.signature;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM files of keys and certificates: PKCS#8 private keys, SubjectPublicKeyInfo public keys, X.509 certificates. */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object keyOrCertificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (keyOrCertificate instanceof PrivateKey key) {
                writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
            } else {
                writer.writeObject(keyOrCertificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static PrivateKey readPrivateKey(Path file) {
        Object pem = read(file);
        try {
            JcaPEMKeyConverter converter = converter();
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (pem instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " holds an unreadable private key");
        }
        throw new IllegalArgumentException(file + " holds no PKCS#8 private key");
    }

    /** A public key from a SubjectPublicKeyInfo PEM or from the certificate of an X.509 PEM. */
    public static PublicKey readPublicKey(Path file) {
        return publicKey(read(file), file.toString());
    }

    public static PublicKey parsePublicKey(String pem) {
        return publicKey(read(new StringReader(pem), "the given PEM"), "the given PEM");
    }

    public static X509Certificate readCertificate(Path file) {
        Object pem = read(file);
        if (pem instanceof X509CertificateHolder holder) {
            return certificate(holder);
        }
        throw new IllegalArgumentException(file + " holds no X.509 certificate");
    }

    private static PublicKey publicKey(Object pem, String source) {
        try {
            if (pem instanceof SubjectPublicKeyInfo info) {
                return converter().getPublicKey(info);
            }
            if (pem instanceof X509CertificateHolder holder) {
                return certificate(holder).getPublicKey();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " holds an unreadable public key");
        }
        throw new IllegalArgumentException(source + " holds no public key or certificate");
    }

    private static X509Certificate certificate(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate");
        }
    }

    private static Object read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Object read(Reader reader, String source) {
        try (PEMParser parser = new PEMParser(reader)) {
            Object pem = parser.readObject();
            if (pem == null) {
                throw new IllegalArgumentException(source + " is not a PEM file");
            }
            return pem;
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not a readable PEM file");
        }
    }

    private static JcaPEMKeyConverter converter() {
        return new JcaPEMKeyConverter().setProvider(BouncyCastle.provider());
    }
}
