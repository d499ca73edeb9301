-- The referral ledger and delivery-time lawfulness. One SQL dialect for H2 (PostgreSQL mode) and PostgreSQL 14+.

-- When the worker holding the row began sending it (set in the transaction that re-checks its consent just before
-- the copy goes on the wire; cleared when the attempt is recorded). A withdrawal stops every PENDING copy except one
-- on the wire now (sending_since set, lease not over): that one is audited as on the wire and the withdrawal notice
-- follows it in the queue.
ALTER TABLE outbox ADD COLUMN sending_since TIMESTAMP WITH TIME ZONE;

-- The referral's own forwarded copy (outbox.message_id): only its delivery moves the referral to RECEIVED, only its
-- dead letter to FAILED, only its stop by a withdrawal to CANCELLED. Notices about the referral never do.
ALTER TABLE referral ADD COLUMN copy_message_id VARCHAR(64);
UPDATE referral SET copy_message_id = (SELECT MIN(o.message_id) FROM outbox o
    JOIN message m ON m.message_id = o.original_message_id
    WHERE m.message_type = 'REFERRAL' AND o.referral_id = referral.referral_id AND o.recipient = referral.recipient);

-- Until when the consent holds (its expiresAt), so the worker can refuse to send a copy whose consent has expired.
ALTER TABLE consent_use ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
