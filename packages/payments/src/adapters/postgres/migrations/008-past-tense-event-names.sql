-- Events are `<aggregate>.<past_tense>`: `payment.processing` became `payment.processing_started`
-- and `payment.requires_action` became `payment.action_required`. Endpoints subscribed to an old
-- name would silently receive nothing (filters are not checked against the known types), so their
-- stored subscriptions follow the rename. Deliveries already queued keep the name they were sent with.
UPDATE webhook_endpoints
SET events = array_replace(array_replace(events, 'payment.processing', 'payment.processing_started'), 'payment.requires_action', 'payment.action_required')
WHERE events && ARRAY['payment.processing', 'payment.requires_action']::text[];
