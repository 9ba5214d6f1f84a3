import type { Queryable } from "@platform/core/postgres";

/** Every social table plus the outbox, emptied in one statement. */
export async function truncateSocial(db: Queryable): Promise<void> {
  await db.query(
    `TRUNCATE social_users, social_follows, social_follow_requests, social_blocks, social_mutes, social_posts, social_post_hashtags,
              social_reposts, social_activities, social_comments, social_likes, social_notifications, social_feed_states, social_feed_entries,
              platform_outbox CASCADE`,
  );
}

/** Counters that differ from a recount of the rows (empty when every counter is exact). */
export async function counterDrift(db: Queryable): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT 'user' AS kind, u.id, u.followers_count AS stored_a, (SELECT count(*)::int FROM social_follows f WHERE f.followee_id = u.id) AS real_a,
            u.following_count AS stored_b, (SELECT count(*)::int FROM social_follows f WHERE f.follower_id = u.id) AS real_b,
            u.posts_count AS stored_c, (SELECT count(*)::int FROM social_posts p WHERE p.author_id = u.id AND p.deleted_at IS NULL) AS real_c
       FROM social_users u
     UNION ALL
     SELECT 'post', p.id, p.likes_count, (SELECT count(*)::int FROM social_likes l WHERE l.target_type = 'post' AND l.target_id = p.id),
            p.comments_count, (SELECT count(*)::int FROM social_comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL),
            p.reposts_count, (SELECT count(*)::int FROM social_reposts r WHERE r.post_id = p.id)
       FROM social_posts p
     UNION ALL
     SELECT 'comment', c.id, c.likes_count, (SELECT count(*)::int FROM social_likes l WHERE l.target_type = 'comment' AND l.target_id = c.id),
            c.replies_count, (SELECT count(*)::int FROM social_comments r WHERE r.parent_id = c.id AND r.deleted_at IS NULL), 0, 0
       FROM social_comments c`,
  );
  return rows.filter((r) => r.stored_a !== r.real_a || r.stored_b !== r.real_b || r.stored_c !== r.real_c);
}
