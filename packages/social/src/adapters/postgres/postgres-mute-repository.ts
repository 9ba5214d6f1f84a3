import type { Queryable } from "@platform/core/postgres";
import type { Mute } from "../../domain/follow.js";
import type { MuteRepository } from "../../ports/relationship-repository.js";
import { cacheOf, fromCache } from "./read-cache.js";
import { toMute, type MuteRow } from "./rows.js";
import { run } from "./sql-errors.js";

/**
 * {@link MuteRepository} on `social_mutes` (primary key `(muter_id, muted_id)`, CHECK no self-mute).
 * @throws DomainRuleError `self_mute`; ConflictError `reference_not_found`.
 */
export class PostgresMuteRepository implements MuteRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(mute: Mute): Promise<Mute | null> {
    const { rows } = await run<MuteRow>(
      this.db,
      `INSERT INTO social_mutes (id, muter_id, muted_id, hide_notifications, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (muter_id, muted_id) DO NOTHING RETURNING *`,
      [mute.id, mute.muterId, mute.mutedId, mute.hideNotifications, mute.createdAt],
    );
    return rows[0] ? toMute(rows[0]) : null;
  }

  async put(mute: Mute): Promise<void> {
    await run(
      this.db,
      `INSERT INTO social_mutes (id, muter_id, muted_id, hide_notifications, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (muter_id, muted_id) DO UPDATE SET hide_notifications = EXCLUDED.hide_notifications`,
      [mute.id, mute.muterId, mute.mutedId, mute.hideNotifications, mute.createdAt],
    );
  }

  async delete(muterId: string, mutedId: string): Promise<Mute | null> {
    const { rows } = await run<MuteRow>(this.db, "DELETE FROM social_mutes WHERE muter_id = $1 AND muted_id = $2 RETURNING *", [
      muterId,
      mutedId,
    ]);
    return rows[0] ? toMute(rows[0]) : null;
  }

  async get(muterId: string, mutedId: string): Promise<Mute | null> {
    const cached = cacheOf(this.db)?.mutes.get(`${muterId}|${mutedId}`);
    if (cached !== undefined) return cached;
    const { rows } = await run<MuteRow>(this.db, "SELECT * FROM social_mutes WHERE muter_id = $1 AND muted_id = $2", [muterId, mutedId]);
    return rows[0] ? toMute(rows[0]) : null;
  }

  async mutedAmong(muterId: string, others: readonly string[]): Promise<Map<string, Mute>> {
    const out = new Map<string, Mute>();
    // A feed page's viewer relations were prefetched with the page: only the others cost a statement.
    const missing = fromCache(
      cacheOf(this.db)?.mutes,
      others.map((o) => `${muterId}|${o}`),
      others,
      out,
    );
    if (missing.length === 0) return out;
    const { rows } = await run<MuteRow>(this.db, "SELECT * FROM social_mutes WHERE muter_id = $1 AND muted_id = ANY($2::text[])", [
      muterId,
      missing,
    ]);
    for (const r of rows) out.set(r.muted_id, toMute(r));
    return out;
  }
}
