-- Tsunagi store. One SQL dialect for H2 (PostgreSQL mode) and PostgreSQL 14+.
-- Avoid words H2 reserves (value, key, user, year, month, day...) as column names.
-- Later migrations: V1__audit.sql (audit chain, provision records), V2__store.sql (messages, outbox, referrals).
CREATE TABLE tsunagi_meta (
    meta_name  VARCHAR(64) PRIMARY KEY,
    meta_value VARCHAR(256) NOT NULL
);
INSERT INTO tsunagi_meta (meta_name, meta_value) VALUES ('created_by', 'tsunagi');
