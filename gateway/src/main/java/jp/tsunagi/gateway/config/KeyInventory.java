package jp.tsunagi.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.schema.signature.Pem;

/**
 * Every registered key of the gateway and the agencies as an administrator asks about it (鍵の一覧): kid, algorithm,
 * when its certificate expires and whether it is still accepted. The expiry is that of the certificate carrying the
 * key: the registered PEM itself when it is a certificate, else {@code <id>.crt.pem} or {@code <id>.<n>.crt.pem} of the
 * key directory (where {@code keys init} and {@code keys rotate} write them) when it carries the same key.
 */
public final class KeyInventory {
    /** What is known of one key; {@code notAfter} null without a certificate, {@code problem} null if readable. */
    public record Key(String owner, String kid, boolean signing, String algorithm, Instant notAfter, Instant retires,
                      String problem) {
        /** Accepted now (not retired), retiring (grace period running) or retired. */
        public String state(Instant now) {
            if (retires == null) {
                return signing ? "current" : "accepted";
            }
            return now.isBefore(retires) ? "retiring" : "retired";
        }

        /** Whether its certificate expires before the time (already expired included). */
        public boolean expiresBefore(Instant time) {
            return notAfter != null && notAfter.isBefore(time);
        }
    }

    private KeyInventory() {
    }

    public static List<Key> of(AgencyDirectory agencies, Path keyDirectory) {
        List<Key> keys = new ArrayList<>();
        add(keys, agencies, keyDirectory, agencies.gateway().id(), agencies.gateway().keys());
        agencies.agencies().forEach(a -> add(keys, agencies, keyDirectory, a.id(), a.keys()));
        return keys;
    }

    private static void add(List<Key> keys, AgencyDirectory agencies, Path keyDirectory, String owner, List<AgencyKey> registered) {
        for (int i = 0; i < registered.size(); i++) {
            AgencyKey key = registered.get(i);
            Path pem = agencies.resolve(key.pem());
            Instant retires = retires(key);
            if (!Files.isRegularFile(pem)) {
                keys.add(new Key(owner, key.kid(), i == 0, null, null, retires, "no file " + key.pem()));
                continue;
            }
            try {
                PublicKey publicKey = Pem.readPublicKey(pem);
                keys.add(new Key(owner, key.kid(), i == 0, algorithm(publicKey), notAfter(pem, publicKey, keyDirectory, owner, key.kid()),
                        retires, null));
            } catch (RuntimeException e) {
                keys.add(new Key(owner, key.kid(), i == 0, null, null, retires, "no readable key in " + key.pem()));
            }
        }
    }

    private static Instant retires(AgencyKey key) {
        try {
            return key.retiresAt();
        } catch (RuntimeException e) {
            return null; // refused by the directory's own check; not this listing's to report
        }
    }

    private static String algorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "ES256 (P-256)";
            case "Ed25519", "EdDSA" -> "EdDSA (Ed25519)";
            case "RSA" -> "RSA";
            default -> key.getAlgorithm();
        };
    }

    private static Instant notAfter(Path pem, PublicKey key, Path keyDirectory, String owner, String kid) {
        List<Path> candidates = new ArrayList<>(List.of(pem));
        if (keyDirectory != null) {
            candidates.add(keyDirectory.resolve(owner + ".crt.pem"));
            candidates.add(keyDirectory.resolve(owner + "." + kid.substring(kid.indexOf('#') + 1) + ".crt.pem"));
        }
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            try {
                X509Certificate certificate = Pem.readCertificate(candidate);
                if (certificate.getPublicKey().equals(key)) {
                    return certificate.getNotAfter().toInstant();
                }
            } catch (RuntimeException notACertificate) {
                // a bare public key: no expiry of its own
            }
        }
        return null;
    }
}
