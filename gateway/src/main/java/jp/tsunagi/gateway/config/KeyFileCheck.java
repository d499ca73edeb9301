package jp.tsunagi.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.connectors.config.StrictYaml;
import jp.tsunagi.schema.signature.BouncyCastle;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;

/**
 * The key files (鍵ファイル) agencies.yaml names, checked as the gateway will use them: every registered public key's
 * PEM exists and holds a public key or a certificate, and where the key directory holds the private key of the
 * gateway or of an agency (the connector signs for it), that private key belongs to the first registered key (the
 * one signatures name) and {@code <id>.crt.pem}, if present, carries it too. A key that passes config check yet
 * fails at run time would refuse every message of that agency ({@code signature.kid_unknown}).
 */
public final class KeyFileCheck {
    private KeyFileCheck() {
    }

    /** Every problem, each "agencies.yaml, line N: what" (the line of the key's pem) or "file: what" for key-directory files. */
    public static List<String> check(AgencyDirectory agencies, Path keyDirectory) {
        StrictYaml lines = lines(agencies.source());
        List<String> problems = new ArrayList<>();
        GatewayIdentity gateway = agencies.gateway();
        checkOwner(agencies, lines, "/gateway", gateway.id(), gateway.keys(), keyDirectory, problems);
        List<Agency> all = agencies.agencies();
        for (int i = 0; i < all.size(); i++) {
            checkOwner(agencies, lines, "/agencies/" + i, all.get(i).id(), all.get(i).keys(), keyDirectory, problems);
        }
        return problems;
    }

    private static void checkOwner(AgencyDirectory agencies, StrictYaml lines, String pointer, String id, List<AgencyKey> keys,
                                   Path keyDirectory, List<String> problems) {
        PublicKey signing = null;
        for (int j = 0; j < keys.size(); j++) {
            AgencyKey key = keys.get(j);
            String at = lines == null ? agencies.source() + ": " : lines.at(pointer + "/keys/" + j + "/pem");
            Path pem = agencies.resolve(key.pem());
            PublicKey publicKey = publicKey(pem, at + "key " + key.kid() + ": ", problems);
            if (j == 0) {
                signing = publicKey;
            }
        }
        if (keyDirectory == null || signing == null) {
            return;
        }
        Path privateFile = KeyMaterial.privateKeyFile(keyDirectory, id);
        if (Files.isRegularFile(privateFile)) {
            try {
                if (!belongTogether(Pem.readPrivateKey(privateFile), signing)) {
                    problems.add(privateFile + ": the private key of " + id + " is not that of its registered key "
                            + keys.get(0).kid() + " (" + keys.get(0).pem() + "): what it signs would be refused");
                }
            } catch (IllegalArgumentException | UncheckedIOException e) {
                problems.add(privateFile + ": holds no readable private key");
            }
        }
        Path certificate = KeyMaterial.certificateFile(keyDirectory, id);
        if (Files.isRegularFile(certificate)) {
            try {
                if (!Pem.readCertificate(certificate).getPublicKey().equals(signing)) {
                    problems.add(certificate + ": the certificate of " + id + " carries another key than its registered key "
                            + keys.get(0).kid() + " (" + keys.get(0).pem() + ")");
                }
            } catch (IllegalArgumentException | UncheckedIOException e) {
                problems.add(certificate + ": holds no readable X.509 certificate");
            }
        }
    }

    private static PublicKey publicKey(Path pem, String at, List<String> problems) {
        if (!Files.isRegularFile(pem)) {
            problems.add(at + pem + " does not exist: create it with 'tsunagi keys init' or correct the path");
            return null;
        }
        try {
            return Pem.readPublicKey(pem);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add(at + pem + " holds no public key or X.509 certificate");
            return null;
        }
    }

    /** Whether a signature made with the private key verifies with the public key. */
    static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> privateKey.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] challenge = "tsunagi key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm, BouncyCastle.provider());
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, BouncyCastle.provider());
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // keys of different kinds
        }
    }

    /** agencies.yaml again, for the lines of its pem keys; null if it cannot be read now. */
    private static StrictYaml lines(Path source) {
        try {
            return StrictYaml.scan(source, Files.readAllBytes(source), "it needs the sections gateway and agencies");
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
