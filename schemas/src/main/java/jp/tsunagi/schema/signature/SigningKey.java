package jp.tsunagi.schema.signature;

import java.security.PrivateKey;

/** A private key and the key id ({@code <agencyId>#<n>}) under which its public key is registered. */
public record SigningKey(String kid, PrivateKey privateKey) {
    public SigningKey {
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("a signing key needs a kid");
        }
    }

    public SignatureAlgorithm algorithm() {
        return SignatureAlgorithm.forKey(privateKey);
    }
}
