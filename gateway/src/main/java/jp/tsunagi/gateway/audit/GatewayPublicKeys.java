package jp.tsunagi.gateway.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.AgencyKey;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;

/**
 * The gateway's public keys only (never an agency's: an agency's key must not vouch for the trail), by kid: those
 * registered for it in agencies.yaml, and, for a kid whose registered PEM file is missing,
 * {@code <keys>/<gateway id>.pub.pem}.
 */
public final class GatewayPublicKeys {
    private GatewayPublicKeys() {
    }

    /** @throws IllegalArgumentException when there is none */
    public static Map<String, PublicKey> of(AgencyDirectory agencies, Path keyDirectory) {
        Map<String, PublicKey> found = new LinkedHashMap<>();
        Path fallback = KeyMaterial.publicKeyFile(keyDirectory, agencies.gateway().id());
        for (AgencyKey key : agencies.gateway().keys()) {
            Path pem = agencies.resolve(key.pem());
            if (Files.isRegularFile(pem)) {
                found.put(key.kid(), Pem.readPublicKey(pem));
            } else if (Files.isRegularFile(fallback)) {
                found.put(key.kid(), Pem.readPublicKey(fallback));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no public key of the gateway: neither the files registered in "
                    + agencies.source() + " nor " + fallback + " exist");
        }
        return found;
    }
}
