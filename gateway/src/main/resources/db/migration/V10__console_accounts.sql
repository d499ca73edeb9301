-- Accounts of the administrator console (管理画面), docs/administrator-guide.md "管理画面". Written by
-- jp.tsunagi.gateway.console.Accounts only. One SQL dialect for H2 (PostgreSQL mode) and PostgreSQL 14+.
-- A login name is a code (it becomes the actor of audit entries), never a person's full name.
CREATE TABLE console_account (
    name                VARCHAR(64)              PRIMARY KEY,
    role                VARCHAR(16)              NOT NULL,
    -- Argon2id in the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash)
    password_hash       VARCHAR(256)             NOT NULL,
    -- RFC 6238 shared secret (Base32); null: no second factor
    totp_secret         VARCHAR(64),
    -- the last 30-second step accepted, so that a code is never accepted twice
    totp_last_step      BIGINT,
    disabled            BOOLEAN                  NOT NULL,
    -- consecutive failed logins; from the threshold on, each failure locks the account for a growing delay
    failed_logins       INTEGER                  NOT NULL,
    locked_until        TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    password_changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at       TIMESTAMP WITH TIME ZONE
);

-- The console's audit trail page filters by these and pages by seq, newest first: keyset pagination stays on an
-- index whatever the size of the trail (descending, since H2 reads an ascending index only forwards; see
-- docs/benchmarks.md). A time range becomes a seq range on audit_entry_at: time order is seq order.
CREATE INDEX audit_entry_action_seq ON audit_entry (action, seq DESC);
CREATE INDEX audit_entry_actor_seq ON audit_entry (actor, seq DESC);
CREATE INDEX audit_entry_referral ON audit_entry (referral_id);
CREATE INDEX audit_entry_code ON audit_entry (code);
