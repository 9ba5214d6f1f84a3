-- Customer action (3-D Secure): a payment may wait in `requires_action` for the customer, until
-- `action_expires_at`. `customer_action` holds the provider's next step and the client secret the
-- front end completes it with, only while the payment waits (the services clear it on leaving).
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('created', 'processing', 'requires_action', 'requires_capture', 'succeeded', 'failed', 'canceled'));
ALTER TABLE payments ADD COLUMN customer_action jsonb CHECK (customer_action IS NULL OR jsonb_typeof(customer_action) = 'object');
ALTER TABLE payments ADD COLUMN action_expires_at timestamptz;
ALTER TABLE payments ADD CONSTRAINT payments_action_status_check
  CHECK ((status = 'requires_action') = (action_expires_at IS NOT NULL) AND (status = 'requires_action' OR customer_action IS NULL));
CREATE INDEX payments_action_expiring ON payments (action_expires_at) WHERE status = 'requires_action';

-- Provider events applied (Stripe webhooks), by the provider's event id: the primary key makes each
-- event apply once however many processes receive it, and in the transaction that applies it.
CREATE TABLE gateway_events (
  gateway text NOT NULL CHECK (char_length(gateway) BETWEEN 1 AND 64),
  event_id text NOT NULL CHECK (char_length(event_id) BETWEEN 1 AND 255),
  type text NOT NULL CHECK (char_length(type) BETWEEN 1 AND 255),
  received_at timestamptz NOT NULL,
  PRIMARY KEY (gateway, event_id)
);
CREATE INDEX gateway_events_received ON gateway_events (received_at);
