package jp.tsunagi.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/** The signing key of an agency: its private key file in the key directory, its kid from agencies.yaml. */
public final class AgencyKeys {
    private AgencyKeys() {
    }

    /** @throws IllegalArgumentException naming what is missing (unknown agency, no key file) */
    public static SigningKey signingKey(AgencyDirectory agencies, Path keyDirectory, String agencyId) {
        String kid = agencies.signingKid(agencyId);
        Path keyFile = KeyMaterial.privateKeyFile(keyDirectory, agencyId);
        if (!Files.isRegularFile(keyFile)) {
            throw new IllegalArgumentException("no private key of " + agencyId + " at " + keyFile
                    + ": run 'tsunagi keys init' first, or give the key directory with --keys DIR");
        }
        return new SigningKey(kid, Pem.readPrivateKey(keyFile));
    }
}
