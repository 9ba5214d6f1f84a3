-- The lease of an in-progress idempotency key: its owner renews it while the gateway call runs; once it
-- lapses the owner is presumed dead and the next caller with the key takes the operation over (one
-- conditional UPDATE on lease_expires_at, so one caller wins). Keys stored before this migration have
-- no lease and are read as leased until their created_at.
ALTER TABLE payment_idempotency_keys ADD COLUMN lease_token text;
ALTER TABLE payment_idempotency_keys ADD COLUMN lease_expires_at timestamptz;
