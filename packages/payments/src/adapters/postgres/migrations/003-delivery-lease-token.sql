-- The claim holding a delivery's lease: only its holder may record the attempt, so a dispatcher whose
-- lease lapsed and was taken over cannot overwrite the attempt log (recordAttempt checks it).
ALTER TABLE webhook_deliveries ADD COLUMN lease_token text;
