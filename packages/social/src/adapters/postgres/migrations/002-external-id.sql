-- One identity across packages: the host's id for a person (e.g. the commerce customer id).
ALTER TABLE social_users ADD COLUMN external_id text CHECK (char_length(external_id) BETWEEN 1 AND 255);
CREATE UNIQUE INDEX social_users_external_id_key ON social_users (external_id);
