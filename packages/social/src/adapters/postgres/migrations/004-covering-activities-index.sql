-- A home read of a feed that is not materialised yet (and every page below a trimmed feed's floor)
-- merges the newest push activities of each source: one index range scan per source with a LIMIT.
-- Covering every column makes each probe an index-only scan (no heap fetch per activity), which is
-- what keeps the first read of a cold feed bounded. It replaces the plain index on the same keys,
-- so a post still updates as many indexes as before. On a large table, create it beforehand with
-- CREATE INDEX CONCURRENTLY under the same name: this file then only drops the old index.
CREATE INDEX IF NOT EXISTS social_activities_actor_cover ON social_activities (actor_id, delivery, seq DESC) INCLUDE (id, verb, post_id, created_at);
DROP INDEX IF EXISTS social_activities_actor_seq;
