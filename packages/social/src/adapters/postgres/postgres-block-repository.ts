import type { Queryable } from "@platform/core/postgres";
import type { Block } from "../../domain/follow.js";
import type { BlockRepository } from "../../ports/relationship-repository.js";
import { cacheOf, eitherKey } from "./read-cache.js";
import { toBlock, type BlockRow } from "./rows.js";
import { run } from "./sql-errors.js";

/**
 * {@link BlockRepository} on `social_blocks` (primary key `(blocker_id, blocked_id)`, CHECK no self-block).
 * @throws DomainRuleError `self_block`; ConflictError `reference_not_found`.
 */
export class PostgresBlockRepository implements BlockRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(block: Block): Promise<Block | null> {
    const { rows } = await run<BlockRow>(
      this.db,
      "INSERT INTO social_blocks (id, blocker_id, blocked_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (blocker_id, blocked_id) DO NOTHING RETURNING *",
      [block.id, block.blockerId, block.blockedId, block.createdAt],
    );
    return rows[0] ? toBlock(rows[0]) : null;
  }

  async delete(blockerId: string, blockedId: string): Promise<Block | null> {
    const { rows } = await run<BlockRow>(this.db, "DELETE FROM social_blocks WHERE blocker_id = $1 AND blocked_id = $2 RETURNING *", [
      blockerId,
      blockedId,
    ]);
    return rows[0] ? toBlock(rows[0]) : null;
  }

  async get(blockerId: string, blockedId: string): Promise<Block | null> {
    const { rows } = await run<BlockRow>(this.db, "SELECT * FROM social_blocks WHERE blocker_id = $1 AND blocked_id = $2", [
      blockerId,
      blockedId,
    ]);
    return rows[0] ? toBlock(rows[0]) : null;
  }

  async eitherBlocks(a: string, b: string): Promise<boolean> {
    const cached = cacheOf(this.db)?.blocks.get(eitherKey(a, b));
    if (cached !== undefined) return cached;
    const { rows } = await run<{ hit: boolean }>(
      this.db,
      "SELECT EXISTS (SELECT 1 FROM social_blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)) AS hit",
      [a, b],
    );
    return rows[0]!.hit;
  }

  async blockedAmong(userId: string, others: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    // A feed page's viewer relations were prefetched with the page: only the others cost a statement.
    const cache = cacheOf(this.db)?.blocks;
    const missing: string[] = [];
    for (const o of others) {
      const hit = cache?.get(eitherKey(userId, o));
      if (hit === undefined) missing.push(o);
      else if (hit) out.add(o);
    }
    if (missing.length === 0) return out;
    const { rows } = await run<{ other: string }>(
      this.db,
      `SELECT blocked_id AS other FROM social_blocks WHERE blocker_id = $1 AND blocked_id = ANY($2::text[])
       UNION SELECT blocker_id FROM social_blocks WHERE blocked_id = $1 AND blocker_id = ANY($2::text[])`,
      [userId, missing],
    );
    for (const r of rows) out.add(r.other);
    return out;
  }
}
