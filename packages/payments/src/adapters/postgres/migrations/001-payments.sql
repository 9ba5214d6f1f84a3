-- @platform/payments: payments, ledger, refunds, idempotency keys, fraud, webhooks.
-- Money is numeric (written at the currency's scale) next to a char(3) currency; ids are our
-- prefixed text ids compared byte-wise (COLLATE "C") so keyset pages sort as in memory.

CREATE TABLE payments (
  id text COLLATE "C" PRIMARY KEY,
  order_id text,
  description text,
  amount numeric NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_authorized numeric NOT NULL DEFAULT 0 CHECK (amount_authorized >= 0),
  amount_captured numeric NOT NULL DEFAULT 0 CHECK (amount_captured >= 0),
  amount_refunded numeric NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),
  amount_refund_pending numeric NOT NULL DEFAULT 0 CHECK (amount_refund_pending >= 0),
  status text NOT NULL CHECK (status IN ('created', 'processing', 'requires_capture', 'succeeded', 'failed', 'canceled')),
  capture_method text NOT NULL CHECK (capture_method IN ('automatic', 'manual')),
  method text NOT NULL,
  method_details jsonb NOT NULL,
  gateway text NOT NULL,
  transaction_id text,
  pending_operation text CHECK (pending_operation IN ('authorize', 'capture', 'void')),
  pending_capture_amount numeric CHECK (pending_capture_amount > 0),
  failure jsonb,
  last_error jsonb,
  fraud jsonb NOT NULL,
  review jsonb,
  customer_id text,
  customer_email text,
  customer_ip text,
  customer_country text,
  metadata jsonb NOT NULL DEFAULT '{}',
  cancellation_reason text,
  authorization_expires_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  -- refunded + pending refunds <= captured <= authorised <= requested, whatever the caller does.
  CONSTRAINT payments_amounts_check CHECK (
    amount_refunded + amount_refund_pending <= amount_captured
    AND amount_captured <= amount_authorized
    AND amount_authorized <= amount
  ),
  CONSTRAINT payments_pending_operation_status_check CHECK (status = 'processing' OR pending_operation IS NULL),
  CONSTRAINT payments_pending_capture_check CHECK (pending_capture_amount IS NULL OR pending_capture_amount <= amount_authorized)
);
-- The seed's index name.
CREATE INDEX idx_payments_order_id ON payments (order_id);
CREATE INDEX payments_status_created ON payments (status, created_at, id);
CREATE INDEX payments_expiring ON payments (authorization_expires_at) WHERE status = 'requires_capture';

-- Velocity: one row per payment and identity (customer, email, ip, card fingerprint), lower-cased,
-- so `payments_per_card_hourly` is an index range count, never a scan of the payments.
CREATE TABLE fraud_velocity_events (
  dimension text NOT NULL CHECK (dimension IN ('customer', 'email', 'ip', 'card')),
  value text NOT NULL,
  created_at timestamptz NOT NULL,
  payment_id text COLLATE "C" NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
  PRIMARY KEY (dimension, value, created_at, payment_id)
);

-- The immutable ledger: one row per gateway event, ordered by `sequence`. The payment reference is
-- checked at commit: a fraud block records its failure entry before the payment row.
CREATE TABLE payment_transactions (
  sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  payment_id text COLLATE "C" NOT NULL REFERENCES payments (id) DEFERRABLE INITIALLY DEFERRED,
  refund_id text COLLATE "C",
  type text NOT NULL CHECK (type IN ('authorization', 'capture', 'void', 'refund', 'failure')),
  amount numeric NOT NULL CHECK (amount >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  gateway text NOT NULL,
  gateway_reference text,
  failed_operation text CHECK (failed_operation IN ('authorize', 'capture', 'void', 'refund')),
  failure_code text,
  created_at timestamptz NOT NULL,
  CHECK ((type = 'failure') = (status = 'failed')),
  CHECK ((type = 'failure') = (failed_operation IS NOT NULL))
);
CREATE INDEX payment_transactions_payment ON payment_transactions (payment_id, sequence);
CREATE INDEX payment_transactions_created ON payment_transactions (created_at);

-- Double-entry postings of a ledger transaction.
CREATE TABLE payment_postings (
  transaction_id text COLLATE "C" NOT NULL REFERENCES payment_transactions (id),
  position smallint NOT NULL CHECK (position >= 0),
  account text NOT NULL CHECK (account IN ('customer', 'authorized_funds', 'merchant_balance')),
  direction text NOT NULL CHECK (direction IN ('debit', 'credit')),
  amount numeric NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  PRIMARY KEY (transaction_id, position)
);

-- Debits equal credits per currency in every ledger transaction, checked at commit.
CREATE FUNCTION payment_postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM payment_postings WHERE transaction_id = NEW.transaction_id
     GROUP BY currency
    HAVING sum(CASE direction WHEN 'debit' THEN amount ELSE -amount END) <> 0
  ) THEN
    RAISE EXCEPTION 'ledger transaction % is not balanced', NEW.transaction_id USING ERRCODE = '23514', CONSTRAINT = 'payment_postings_balanced';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER payment_postings_balanced AFTER INSERT ON payment_postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payment_postings_balanced();

-- The ledger is append-only.
CREATE FUNCTION payment_ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the payments ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '23514', CONSTRAINT = 'payment_ledger_immutable';
END $$;
CREATE TRIGGER payment_transactions_immutable BEFORE UPDATE OR DELETE ON payment_transactions
  FOR EACH ROW EXECUTE FUNCTION payment_ledger_immutable();
CREATE TRIGGER payment_postings_immutable BEFORE UPDATE OR DELETE ON payment_postings
  FOR EACH ROW EXECUTE FUNCTION payment_ledger_immutable();

CREATE TABLE refunds (
  id text COLLATE "C" PRIMARY KEY,
  payment_id text COLLATE "C" NOT NULL REFERENCES payments (id),
  amount numeric NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason text NOT NULL CHECK (reason IN ('requested_by_customer', 'duplicate', 'fraudulent', 'other')),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  gateway text NOT NULL,
  gateway_refund_id text,
  failure jsonb,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX refunds_payment ON refunds (payment_id, created_at, id);
CREATE INDEX refunds_pending ON refunds (created_at, id) WHERE status = 'pending';
ALTER TABLE payment_transactions ADD CONSTRAINT payment_transactions_refund_fk FOREIGN KEY (refund_id) REFERENCES refunds (id) DEFERRABLE INITIALLY DEFERRED;

-- One row per (operation, key): the primary key makes a duplicate impossible, whatever the caller.
CREATE TABLE payment_idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
  resource_id text,
  response jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  PRIMARY KEY (scope, key),
  CHECK (status = 'in_progress' OR response IS NOT NULL)
);
CREATE INDEX payment_idempotency_keys_expiry ON payment_idempotency_keys (expires_at);

CREATE TABLE fraud_rules (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  action text NOT NULL CHECK (action IN ('allow', 'block', 'review')),
  conditions jsonb NOT NULL,
  enabled boolean NOT NULL,
  position integer NOT NULL,
  source text,
  created_at timestamptz NOT NULL,
  CONSTRAINT fraud_rules_position_key UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE fraud_list_entries (
  list text NOT NULL,
  value text COLLATE "C" NOT NULL CHECK (value = lower(value)),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (list, value)
);

CREATE TABLE webhook_endpoints (
  id text COLLATE "C" PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL CHECK (cardinality(events) > 0),
  secrets jsonb NOT NULL,
  enabled boolean NOT NULL,
  disabled_reason text,
  description text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_created ON webhook_endpoints (created_at, id);
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (id) WHERE enabled;

-- The dispatcher's durable queue. No foreign key to the endpoint: deliveries are the audit log and
-- outlive a deleted endpoint (their next attempt records "endpoint deleted").
CREATE TABLE webhook_deliveries (
  id text COLLATE "C" PRIMARY KEY,
  endpoint_id text COLLATE "C" NOT NULL,
  message_id text NOT NULL,
  event_type text NOT NULL,
  payload text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'succeeded', 'failed')),
  attempt_count integer NOT NULL CHECK (attempt_count >= 0),
  attempts jsonb NOT NULL DEFAULT '[]',
  next_attempt_at timestamptz,
  lease_until timestamptz,
  replay_of text COLLATE "C" REFERENCES webhook_deliveries (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL),
  CHECK (status <> 'sending' OR lease_until IS NOT NULL)
);
-- One delivery per event and endpoint (replays aside): an event is never queued twice.
CREATE UNIQUE INDEX webhook_deliveries_message ON webhook_deliveries (endpoint_id, message_id) WHERE replay_of IS NULL;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at, id);
