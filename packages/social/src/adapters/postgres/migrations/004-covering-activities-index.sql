-- A home read of a feed that is not materialised yet (and every page below a trimmed feed's floor)
-- merges the newest push activities of each source: one index range scan per source with a LIMIT.
-- Covering every column makes each probe an index-only scan (no heap fetch per activity), which is
-- what keeps the first read of a cold feed bounded. It replaces the plain index on the same keys,
-- so a post still updates as many indexes as before.
CREATE INDEX social_activities_actor_cover ON social_activities (actor_id, delivery, seq DESC) INCLUDE (id, verb, post_id, created_at);
DROP INDEX social_activities_actor_seq;
