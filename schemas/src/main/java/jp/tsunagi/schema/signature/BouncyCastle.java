package jp.tsunagi.schema.signature;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Bouncy Castle is the provider for signing and verifying: about ten times faster than SunEC for P-256 here. */
public final class BouncyCastle {
    private static final Provider PROVIDER = register();

    private BouncyCastle() {
    }

    public static Provider provider() {
        return PROVIDER;
    }

    private static synchronized Provider register() {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing != null) {
            return existing;
        }
        Provider provider = new BouncyCastleProvider();
        Security.addProvider(provider);
        return provider;
    }
}
