-- Home reads merge the pull activities (authors above the fan-out threshold) of every source of the
-- reader at read time: one index range scan per source. This small covering index holds only pull
-- activities, so each probe is an index-only scan, and a source with no pull activity (most of them)
-- costs one descent of a small tree instead of a descent of the whole activities index.
CREATE INDEX social_activities_pull ON social_activities (actor_id, seq DESC) INCLUDE (id, verb, post_id, created_at) WHERE delivery = 'pull';
