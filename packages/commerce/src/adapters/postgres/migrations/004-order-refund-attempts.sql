-- Definitely failed refund attempts of an order: the next attempt uses a new refund
-- idempotency key (refund_<order>_<n>), since a gateway replays a stored failure for a key.
ALTER TABLE orders ADD COLUMN refund_attempts integer NOT NULL DEFAULT 0 CHECK (refund_attempts >= 0);
