-- 督促 (escalation) of referrals not accepted or declined in time. One SQL dialect for H2 (PostgreSQL mode) and
-- PostgreSQL 14+. Written by jp.tsunagi.gateway.escalation only. Codes, ids and dates only: no personal data.

-- One row per escalated referral. The primary key makes an escalation happen once per referral, also across
-- restarts and with several gateway processes on one database: the transaction that inserts the row also writes
-- the notice to the sender (outbox) and the audit entry, and a second insert for the same referral does nothing.
CREATE TABLE referral_escalation (
    referral_id       VARCHAR(64)              PRIMARY KEY REFERENCES referral (referral_id),
    escalated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the referral's status then (SENT or RECEIVED) and the last business day the recipient had (Japan date)
    referral_status   VARCHAR(16)              NOT NULL,
    due_date          DATE                     NOT NULL,
    business_days     INTEGER                  NOT NULL,
    -- the gateway-signed notice queued for the sender (outbox.message_id)
    notice_message_id VARCHAR(64)              NOT NULL
);

-- the scan: referrals still SENT or RECEIVED, oldest first
CREATE INDEX referral_status_created ON referral (status, created_at);
