-- Audit trail (監査ログ) and APPI provision records (提供記録), CONTRACT.md section 6 and DOMAIN.md section 4.
-- One SQL dialect for H2 (PostgreSQL mode) and PostgreSQL 14+. Written by jp.tsunagi.gateway.audit only.
-- Every value here is a code, an id, a hash or a keyed pseudonym (subject_ref): never a name or free text.

-- The hash chain. Append-only: a row is never updated or deleted (retention purges payloads, not this).
-- entry_hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the other columns); see AuditEntry.
CREATE TABLE audit_entry (
    seq             BIGINT                   PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    actor           VARCHAR(128)             NOT NULL,
    action          VARCHAR(32)              NOT NULL,
    message_id      VARCHAR(64),
    referral_id     VARCHAR(64),
    subject_ref     VARCHAR(64),
    data_categories VARCHAR(256),
    basis           VARCHAR(128),
    outcome         VARCHAR(64),
    code            VARCHAR(128),
    prev_hash       VARCHAR(64)              NOT NULL,
    entry_hash      VARCHAR(64)              NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_message ON audit_entry (message_id);
CREATE INDEX audit_entry_subject ON audit_entry (subject_ref);

-- Signed anchors in the chain, every N entries or T seconds: signature = detached JWS (gateway key) over the
-- canonical JSON {"at","entryHash","seq","type":"tsunagi-audit-checkpoint"}. No foreign key on purpose: the
-- verifier, not the database, decides whether the entry a checkpoint names is still there.
CREATE TABLE audit_checkpoint (
    seq        BIGINT                   PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    entry_hash VARCHAR(64)              NOT NULL,
    kid        VARCHAR(128)             NOT NULL,
    signature  VARCHAR(1024)            NOT NULL
);

-- The one row naming the last entry, re-signed in the same transaction as every append, so that deleting the
-- newest entries (after the last checkpoint) is detected too. Its lock serializes appends. The signature covers
-- {"at","entryHash","seq","type":"tsunagi-audit-head"}; checkpoint_seq/checkpoint_at only schedule checkpoints.
CREATE TABLE audit_head (
    head_id        INTEGER                  PRIMARY KEY CHECK (head_id = 1),
    last_seq       BIGINT                   NOT NULL,
    last_hash      VARCHAR(64)              NOT NULL,
    at             TIMESTAMP WITH TIME ZONE,
    kid            VARCHAR(128),
    signature      VARCHAR(1024),
    checkpoint_seq BIGINT                   NOT NULL,
    checkpoint_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO audit_head (head_id, last_seq, last_hash, checkpoint_seq)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- 提供記録 (APPI art. 69 for public bodies, art. 27-30 for private operators): one row per provision of one
-- person's data to a third party (every forward), kept until keep_until (3 years after, as a rule).
CREATE TABLE provision_record (
    id              VARCHAR(36)              PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    sender          VARCHAR(64)              NOT NULL,
    recipient       VARCHAR(64)              NOT NULL,
    subject_ref     VARCHAR(64)              NOT NULL,
    data_categories VARCHAR(256)             NOT NULL,
    basis           VARCHAR(32)              NOT NULL,
    basis_ref       VARCHAR(64),
    message_id      VARCHAR(64)              NOT NULL,
    referral_id     VARCHAR(64),
    keep_until      DATE                     NOT NULL
);
CREATE INDEX provision_record_subject ON provision_record (subject_ref, at);
CREATE INDEX provision_record_keep_until ON provision_record (keep_until);
