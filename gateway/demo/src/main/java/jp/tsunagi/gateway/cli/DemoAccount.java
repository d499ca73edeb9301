package jp.tsunagi.gateway.cli;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.gateway.console.Accounts;
import jp.tsunagi.gateway.console.ConsoleSettings;
import jp.tsunagi.gateway.console.Role;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The demo's console account: an auditor named {@value #NAME} with a fresh random password on every run (created, or
 * its password reset: both audited), so that no fixed password ever opens a demo database.
 */
final class DemoAccount {
    public static final String NAME = "demo-auditor";

    private DemoAccount() {
    }

    /** @return the password to log in with */
    public static String prepare(DataSource dataSource, GatewaySettings settings, AgencyDirectory agencies)
            throws SQLException {
        String gatewayId = agencies.gateway().id();
        AuditChain chain = new AuditChain(new SigningKey(agencies.signingKid(gatewayId),
                Pem.readPrivateKey(KeyMaterial.privateKeyFile(settings.keyDirectory(), gatewayId))));
        Accounts accounts = new Accounts(dataSource, chain, ConsoleSettings.inConfDirectory(settings.confDirectory()),
                Clock.systemUTC());
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        if (accounts.find(NAME).isPresent()) {
            accounts.resetPassword(NAME, password.toCharArray(), "demo");
        } else {
            accounts.add(NAME, Role.AUDITOR, password.toCharArray(), false, "demo");
        }
        return password;
    }
}
