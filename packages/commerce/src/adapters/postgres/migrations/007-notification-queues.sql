-- Notifications are recorded in the transaction of their event and go out in order per
-- recipient (channel and address): seq orders each queue, a claim is a lease (lease_until,
-- claim_token) instead of a row lock held while the sender runs.
ALTER TABLE commerce_notifications
  ADD COLUMN seq bigserial,
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN claim_token text;
ALTER TABLE commerce_notifications ADD CONSTRAINT commerce_notifications_seq_key UNIQUE (seq);
CREATE INDEX commerce_notifications_queue ON commerce_notifications (channel, recipient, seq) WHERE status = 'pending';
