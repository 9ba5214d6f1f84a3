-- Retention purges walk these indexes in bounded batches: finished deliveries by age, and the
-- replays that still point at an original (an original is kept while a replay references it).
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (updated_at) WHERE status IN ('succeeded', 'failed');
CREATE INDEX webhook_deliveries_replay_of ON webhook_deliveries (replay_of) WHERE replay_of IS NOT NULL;
