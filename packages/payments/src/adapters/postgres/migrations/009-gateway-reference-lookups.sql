-- Provider events name objects by the provider's ids: a refund made in Stripe's dashboard arrives with
-- Stripe's refund id and PaymentIntent id only. These indexes find the payment holding a PaymentIntent and
-- the refund already imported under a Stripe refund id (the import is idempotent on it).
CREATE INDEX payments_gateway_reference ON payments (gateway, transaction_id) WHERE transaction_id IS NOT NULL;
CREATE INDEX refunds_gateway_reference ON refunds (gateway, gateway_refund_id) WHERE gateway_refund_id IS NOT NULL;
