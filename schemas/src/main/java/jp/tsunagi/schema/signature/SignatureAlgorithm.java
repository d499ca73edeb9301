package jp.tsunagi.schema.signature;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * The two signature algorithms allowed: ES256 (mandatory) and EdDSA with Ed25519 (optional). Signatures are in
 * the raw form JWS and XMLDSig 1.1 use (r‖s for ECDSA), and verification refuses ECDSA values with r or s
 * outside [1, n-1] before any maths is done (the "psychic signature" class of bugs).
 */
public enum SignatureAlgorithm {
    ES256("ES256", "SHA256withECDSA", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"),
    EDDSA("EdDSA", "Ed25519", null);

    /** Order n of the P-256 group. */
    static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final String joseName;
    private final String jcaName;
    private final String xmlDsigUri;
    /**
     * One engine per thread, reused: looking it up in the provider for every signature cost CPU. Each use starts with
     * initSign or initVerify, which resets it.
     */
    private final ThreadLocal<Signature> engines;

    SignatureAlgorithm(String joseName, String jcaName, String xmlDsigUri) {
        this.joseName = joseName;
        this.jcaName = jcaName;
        this.xmlDsigUri = xmlDsigUri;
        this.engines = ThreadLocal.withInitial(this::newEngine);
    }

    private Signature newEngine() {
        try {
            return Signature.getInstance(jcaName, BouncyCastle.provider());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " is not available", e);
        }
    }

    public String joseName() {
        return joseName;
    }

    public String xmlDsigUri() {
        return xmlDsigUri;
    }

    /** The algorithm of a JWS "alg" value, or null when it is not allowed ("none", HS256, RS256, ...). */
    public static SignatureAlgorithm ofJose(String alg) {
        for (SignatureAlgorithm a : values()) {
            if (a.joseName.equals(alg)) {
                return a;
            }
        }
        return null;
    }

    static SignatureAlgorithm forKey(Key key) {
        if (key instanceof ECKey ec && ec.getParams().getOrder().equals(P256_ORDER)) {
            return ES256;
        }
        if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
            return EDDSA;
        }
        throw new IllegalArgumentException("only P-256 and Ed25519 keys can sign Tsunagi messages");
    }

    /** True when the key is of the kind this algorithm needs: an ES256 header cannot be checked with an Ed25519 key. */
    boolean fits(PublicKey key) {
        try {
            return forKey(key) == this;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    byte[] sign(PrivateKey key, byte[] input) {
        try {
            Signature signer = engines.get();
            signer.initSign(key);
            signer.update(input);
            byte[] signature = signer.sign();
            return this == ES256 ? derToRaw(signature) : signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + joseName, e);
        }
    }

    /** False for any signature that does not verify, including malformed or out-of-range ones. */
    boolean verify(PublicKey key, byte[] input, byte[] signature) {
        if (signature.length != 64 || !fits(key)) {
            return false;
        }
        try {
            byte[] encoded = signature;
            if (this == ES256) {
                if (!inRange(signature)) {
                    return false;
                }
                encoded = rawToDer(signature);
            }
            Signature verifier = engines.get();
            verifier.initVerify(key);
            verifier.update(input);
            return verifier.verify(encoded);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static boolean inRange(byte[] raw) {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(P256_ORDER) < 0 && s.compareTo(P256_ORDER) < 0;
    }

    private static byte[] rawToDer(byte[] raw) {
        try {
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] derToRaw(byte[] der) {
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        byte[] raw = new byte[64];
        copyUnsigned(ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue(), raw, 0);
        copyUnsigned(ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue(), raw, 32);
        return raw;
    }

    private static void copyUnsigned(BigInteger value, byte[] target, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, target, offset + 32 - length, length);
    }
}
