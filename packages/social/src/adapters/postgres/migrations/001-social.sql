-- @platform/social: every table is prefixed social_ so the package can share a database with
-- commerce and payments. Seqs come from one store-wide sequence (keyset position of every list).
CREATE SEQUENCE social_seq AS bigint;

CREATE TABLE social_users (
  id              text PRIMARY KEY,
  username        text NOT NULL CHECK (char_length(username) BETWEEN 1 AND 64),
  email           text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 320),
  name            text NOT NULL CHECK (char_length(name) <= 50),
  bio             text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 160),
  avatar_url      text,
  is_private      boolean NOT NULL DEFAULT false,
  is_verified     boolean NOT NULL DEFAULT false,
  role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  followers_count integer NOT NULL DEFAULT 0 CHECK (followers_count >= 0),
  following_count integer NOT NULL DEFAULT 0 CHECK (following_count >= 0),
  posts_count     integer NOT NULL DEFAULT 0 CHECK (posts_count >= 0),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX social_users_username_key ON social_users (lower(username));
CREATE UNIQUE INDEX social_users_email_key ON social_users (email);

CREATE TABLE social_follows (
  id          text NOT NULL UNIQUE,
  seq         bigint NOT NULL DEFAULT nextval('social_seq'),
  follower_id text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  followee_id text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (follower_id, followee_id),
  CONSTRAINT social_follows_no_self CHECK (follower_id <> followee_id)
);
CREATE INDEX social_follows_followee_seq ON social_follows (followee_id, seq DESC);
CREATE INDEX social_follows_follower_seq ON social_follows (follower_id, seq DESC);

CREATE TABLE social_follow_requests (
  id           text NOT NULL UNIQUE,
  seq          bigint NOT NULL DEFAULT nextval('social_seq'),
  requester_id text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  target_id    text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (requester_id, target_id),
  CONSTRAINT social_follow_requests_no_self CHECK (requester_id <> target_id)
);
CREATE INDEX social_follow_requests_target_seq ON social_follow_requests (target_id, seq DESC);

CREATE TABLE social_blocks (
  id         text NOT NULL UNIQUE,
  blocker_id text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  blocked_id text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id),
  CONSTRAINT social_blocks_no_self CHECK (blocker_id <> blocked_id)
);
CREATE INDEX social_blocks_blocked ON social_blocks (blocked_id, blocker_id);

CREATE TABLE social_mutes (
  id                 text NOT NULL UNIQUE,
  muter_id           text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  muted_id           text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  hide_notifications boolean NOT NULL,
  created_at         timestamptz NOT NULL,
  PRIMARY KEY (muter_id, muted_id),
  CONSTRAINT social_mutes_no_self CHECK (muter_id <> muted_id)
);

CREATE TABLE social_posts (
  id             text PRIMARY KEY,
  seq            bigint NOT NULL DEFAULT nextval('social_seq') UNIQUE,
  author_id      text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  content        text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 500),
  images         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(images) <= 4),
  visibility     text NOT NULL CHECK (visibility IN ('public', 'followers')),
  hashtags       text[] NOT NULL DEFAULT '{}',
  mention_ids    text[] NOT NULL DEFAULT '{}',
  delivery       text NOT NULL CHECK (delivery IN ('push', 'pull')),
  likes_count    integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
  comments_count integer NOT NULL DEFAULT 0 CHECK (comments_count >= 0),
  reposts_count  integer NOT NULL DEFAULT 0 CHECK (reposts_count >= 0),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  edited_at      timestamptz,
  deleted_at     timestamptz
);
CREATE INDEX social_posts_author_seq ON social_posts (author_id, seq DESC) WHERE deleted_at IS NULL;
CREATE INDEX social_posts_live_seq ON social_posts (seq DESC) WHERE deleted_at IS NULL;

-- One row per (hashtag, live post): keyset pages of a hashtag without sorting.
CREATE TABLE social_post_hashtags (
  tag     text NOT NULL,
  seq     bigint NOT NULL,
  post_id text NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, seq)
);
CREATE INDEX social_post_hashtags_post ON social_post_hashtags (post_id);

CREATE TABLE social_reposts (
  id         text PRIMARY KEY,
  seq        bigint NOT NULL DEFAULT nextval('social_seq') UNIQUE,
  user_id    text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  post_id    text NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
  delivery   text NOT NULL CHECK (delivery IN ('push', 'pull')),
  created_at timestamptz NOT NULL,
  CONSTRAINT social_reposts_once UNIQUE (user_id, post_id)
);
CREATE INDEX social_reposts_post_seq ON social_reposts (post_id, seq DESC);

-- Author timelines: one activity per post and per repost.
CREATE TABLE social_activities (
  id         text PRIMARY KEY,
  seq        bigint NOT NULL UNIQUE,
  actor_id   text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  verb       text NOT NULL CHECK (verb IN ('post', 'repost')),
  post_id    text NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
  delivery   text NOT NULL CHECK (delivery IN ('push', 'pull')),
  created_at timestamptz NOT NULL
);
CREATE INDEX social_activities_actor_seq ON social_activities (actor_id, delivery, seq DESC);

CREATE TABLE social_comments (
  id            text PRIMARY KEY,
  seq           bigint NOT NULL DEFAULT nextval('social_seq') UNIQUE,
  post_id       text NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
  author_id     text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  parent_id     text REFERENCES social_comments (id) ON DELETE CASCADE,
  content       text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 500),
  mention_ids   text[] NOT NULL DEFAULT '{}',
  likes_count   integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
  replies_count integer NOT NULL DEFAULT 0 CHECK (replies_count >= 0),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  edited_at     timestamptz,
  deleted_at    timestamptz,
  CONSTRAINT social_comments_not_own_parent CHECK (parent_id <> id)
);
CREATE INDEX social_comments_thread ON social_comments (post_id, parent_id, seq) WHERE deleted_at IS NULL;
CREATE INDEX social_comments_parent ON social_comments (parent_id) WHERE deleted_at IS NULL;

-- Likes of posts and comments: one per (user, target). The target is polymorphic (no FK).
CREATE TABLE social_likes (
  id          text NOT NULL UNIQUE,
  seq         bigint NOT NULL DEFAULT nextval('social_seq'),
  user_id     text NOT NULL REFERENCES social_users (id) ON DELETE CASCADE,
  target_type text NOT NULL CHECK (target_type IN ('post', 'comment')),
  target_id   text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, target_type, target_id)
);
CREATE INDEX social_likes_target_seq ON social_likes (target_type, target_id, seq DESC);

CREATE TABLE social_notifications (
  id           text PRIMARY KEY,
  seq          bigint NOT NULL DEFAULT nextval('social_seq'),
  recipient_id text NOT NULL,
  type         text NOT NULL CHECK (type IN ('follow', 'follow_request', 'like', 'comment', 'reply', 'mention', 'repost')),
  actor_id     text NOT NULL,
  post_id      text,
  comment_id   text,
  dedupe_key   text NOT NULL,
  group_key    text NOT NULL,
  read_at      timestamptz,
  created_at   timestamptz NOT NULL,
  CONSTRAINT social_notifications_dedupe UNIQUE (recipient_id, dedupe_key)
);
CREATE INDEX social_notifications_recipient_seq ON social_notifications (recipient_id, seq DESC);
CREATE INDEX social_notifications_unread_seq ON social_notifications (recipient_id, seq DESC) WHERE read_at IS NULL;
CREATE INDEX social_notifications_pair ON social_notifications (recipient_id, actor_id);

-- Materialised home feeds (fan-out on write): references to activities, capped per user.
CREATE TABLE social_feed_states (
  user_id   text PRIMARY KEY,
  floor_seq bigint NOT NULL DEFAULT 0 CHECK (floor_seq >= 0),
  size      integer NOT NULL DEFAULT 0 CHECK (size >= 0)
);
CREATE TABLE social_feed_entries (
  user_id     text NOT NULL,
  seq         bigint NOT NULL,
  activity_id text NOT NULL,
  actor_id    text NOT NULL,
  post_id     text NOT NULL,
  PRIMARY KEY (user_id, seq)
);
