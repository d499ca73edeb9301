package jp.tsunagi.schema.signature;

import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;

/** Finds the registered public key of a kid. Keys travel out of band (agencies.yaml), never inside a message. */
@FunctionalInterface
public interface KeyResolver {
    Optional<PublicKey> find(String kid);

    static KeyResolver of(Map<String, PublicKey> keys) {
        Map<String, PublicKey> copy = Map.copyOf(keys);
        return kid -> Optional.ofNullable(copy.get(kid));
    }

    /** One key given explicitly (e.g. {@code verify --key}): whatever kid the signature names. */
    static KeyResolver only(PublicKey key) {
        return kid -> Optional.of(key);
    }
}
