-- Refunds of one instant keep their insertion order (as in memory): an identity column orders them.
ALTER TABLE refunds ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
DROP INDEX refunds_payment;
DROP INDEX refunds_pending;
CREATE INDEX refunds_payment ON refunds (payment_id, seq);
CREATE INDEX refunds_pending ON refunds (seq) WHERE status = 'pending';
