-- An order's payment may wait for the customer (3-D Secure): payment_status 'requires_action'. The
-- sweeper claims those as well as 'pending' ones (it asks the payment port how they ended), so its
-- partial index covers both. The client secret is never stored here.
ALTER TABLE orders DROP CONSTRAINT orders_payment_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_payment_status_check
  CHECK (payment_status IN ('pending', 'requires_action', 'succeeded', 'failed', 'refund_pending', 'refunded'));
DROP INDEX orders_payment_pending;
CREATE INDEX orders_payment_open ON orders (updated_at, id) WHERE payment_status IN ('pending', 'requires_action');
