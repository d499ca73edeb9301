package jp.tsunagi.gateway.console;

import java.time.OffsetDateTime;

/**
 * A console account (管理画面のアカウント) as stored, without its password hash and TOTP secret.
 *
 * @param name login name: a code ({@link Accounts#NAME}), recorded as the actor of everything done with it
 */
public record Account(String name, Role role, boolean disabled, boolean totp, int failedLogins, OffsetDateTime lockedUntil,
        OffsetDateTime createdAt, OffsetDateTime lastLoginAt) {
}
