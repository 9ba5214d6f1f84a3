-- Provider data (the specification's GatewayData): the opaque JSON object a gateway result carried,
-- on the payment (latest result) and on the ledger transaction that recorded the result. The
-- services keep only plain JSON objects of at most 16 KiB; the checks here hold the shape.
ALTER TABLE payments ADD COLUMN gateway_data jsonb CHECK (gateway_data IS NULL OR jsonb_typeof(gateway_data) = 'object');
ALTER TABLE payment_transactions ADD COLUMN gateway_data jsonb CHECK (gateway_data IS NULL OR jsonb_typeof(gateway_data) = 'object');

-- A fraud rule's description (the specification's Description): free text for the people who read the rules.
ALTER TABLE fraud_rules ADD COLUMN description text CHECK (description IS NULL OR char_length(description) <= 1000);
