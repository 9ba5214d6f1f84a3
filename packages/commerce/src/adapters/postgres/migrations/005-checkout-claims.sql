-- A cart is bought once: the pending order whose checkout claimed the cart (cleared when it is paid;
-- stale once that order ended otherwise). Checkout reads it under the cart's row lock.
ALTER TABLE cart ADD COLUMN checkout_order_id text;
-- The sweeper of unknown payment outcomes claims orders for a while (FOR UPDATE SKIP LOCKED, then
-- this lease), so several processes sweeping at once resolve each order once.
ALTER TABLE orders ADD COLUMN sweep_lease_until timestamptz;
CREATE INDEX orders_payment_pending ON orders (updated_at, id) WHERE payment_status = 'pending';
