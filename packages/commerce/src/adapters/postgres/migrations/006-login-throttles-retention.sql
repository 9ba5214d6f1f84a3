-- Login attempts per caller-supplied client key (e.g. the IP address), next to the per-e-mail counters.
CREATE TABLE commerce_login_client_throttles (
  key text COLLATE "C" PRIMARY KEY,
  failures integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- Purges walk these indexes in bounded batches (oldest first).
CREATE INDEX commerce_login_throttles_window ON commerce_login_throttles (window_started_at);
CREATE INDEX commerce_login_client_throttles_window ON commerce_login_client_throttles (window_started_at);
CREATE INDEX commerce_sessions_expiry ON commerce_sessions (expires_at);
CREATE INDEX commerce_sessions_revoked ON commerce_sessions (revoked_at) WHERE revoked_at IS NOT NULL;
