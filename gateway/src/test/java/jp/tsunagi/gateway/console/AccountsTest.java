package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passwords, the second factor and the lockout of console accounts, without HTTP. */
class AccountsTest {
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private final Database db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    private final ShiftingClock clock = new ShiftingClock();
    private final AuditChain chain = new AuditChain(new SigningKey("gateway#1", KeyMaterial.generateP256().getPrivate()));

    @AfterEach
    void close() {
        db.close();
    }

    private Accounts accounts(String... settings) {
        Properties p = new Properties();
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(ConsoleSettings.PREFIX + settings[i], settings[i + 1]);
        }
        return new Accounts(db.dataSource(), chain, ConsoleSettings.fromProperties(p), clock);
    }

    @Test
    void totp_codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890": 94287082 at 59 s, 07081804 at 1111111109 s (8 digits)
        String secret = Totp.base32("12345678901234567890".getBytes());
        assertThat(Totp.codeAt(secret, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.codeAt(secret, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    }

    @Test
    void with_a_second_factor_a_login_needs_the_current_code_and_each_code_works_once() throws Exception {
        Accounts accounts = accounts();
        String secret = accounts.add("suzuki", Role.AUDITOR, PASSWORD, true, "test");
        String code = Totp.codeAt(secret, clock.instant());

        assertThat(accounts.login("suzuki", PASSWORD, null).refusal()).isEqualTo("totp.wrong");
        assertThat(accounts.login("suzuki", PASSWORD, code).ok()).isTrue();
        assertThat(accounts.login("suzuki", PASSWORD, code).refusal()).as("the same code again").isEqualTo("totp.wrong");
    }

    @Test
    void when_the_second_factor_is_mandatory_an_account_without_one_cannot_log_in() throws Exception {
        accounts().add("sato", Role.VIEWER, PASSWORD, false, "test");

        Accounts.Login login = accounts("totp-required", "true").login("sato", PASSWORD, "123456");

        assertThat(login.refusal()).isEqualTo("totp.not-enrolled");
        assertThat(accounts("totp-required", "true").add("tanaka", Role.VIEWER, PASSWORD, false, "test"))
                .as("a new account gets a secret").isNotNull();
    }

    @Test
    void the_lockout_grows_with_each_failure_after_the_threshold_up_to_an_hour() {
        ConsoleSettings settings = ConsoleSettings.defaults();
        assertThat(settings.lockout(4)).isZero();
        assertThat(settings.lockout(5)).hasMinutes(1);
        assertThat(settings.lockout(6)).hasMinutes(2);
        assertThat(settings.lockout(7)).hasMinutes(4);
        assertThat(settings.lockout(40)).hasHours(1);
    }

    @Test
    void a_disabled_account_cannot_log_in_and_a_password_reset_enables_it() throws Exception {
        Accounts accounts = accounts();
        accounts.add("suzuki", Role.OPERATOR, PASSWORD, false, "test");
        accounts.disable("suzuki", "test");

        assertThat(accounts.login("suzuki", PASSWORD, null).refusal()).isEqualTo("account.disabled");
        accounts.resetPassword("suzuki", "another long passphrase".toCharArray(), "test");
        assertThat(accounts.login("suzuki", "another long passphrase".toCharArray(), null).ok()).isTrue();
        assertThat(accounts.login("suzuki", PASSWORD, null).refusal()).isEqualTo("password.wrong");
    }

    @Test
    void hashes_are_argon2id_with_a_salt_of_their_own() {
        String one = Passwords.hash(PASSWORD);
        String two = Passwords.hash(PASSWORD);

        assertThat(one).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(two);
        assertThat(Passwords.matches(PASSWORD, one)).isTrue();
        assertThat(Passwords.matches("wrong".toCharArray(), one)).isFalse();
    }
}
