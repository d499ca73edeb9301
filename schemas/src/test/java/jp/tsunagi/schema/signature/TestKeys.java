package jp.tsunagi.schema.signature;

import java.security.KeyPair;
import java.util.Map;

/** Key pairs of two fictitious agencies, made once per test run. */
final class TestKeys {
    static final KeyPair TAX = KeyMaterial.generateP256();
    static final KeyPair HUB = KeyMaterial.generateP256();
    static final KeyPair TAX_ED25519 = KeyMaterial.generateEd25519();
    static final String TAX_KID = "tsunagi-tax#1";
    static final String HUB_KID = "tsunagi-hub#1";
    static final String TAX_ED_KID = "tsunagi-tax#2";

    static final KeyResolver REGISTERED = KeyResolver.of(Map.of(
            TAX_KID, TAX.getPublic(), HUB_KID, HUB.getPublic(), TAX_ED_KID, TAX_ED25519.getPublic()));

    static SigningKey tax() {
        return new SigningKey(TAX_KID, TAX.getPrivate());
    }

    private TestKeys() {
    }
}
