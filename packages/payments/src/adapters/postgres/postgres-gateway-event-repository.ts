import type { Queryable } from "@platform/core/postgres";
import type { GatewayEventRecord, GatewayEventRepository } from "../../ports/payment-store.js";
import { run } from "./sql-errors.js";

/** Provider events on `gateway_events`: the primary key decides which transaction applies an event. */
export class PostgresGatewayEventRepository implements GatewayEventRepository {
  constructor(private readonly db: Queryable) {}
  async record(event: GatewayEventRecord): Promise<boolean> {
    const { rowCount } = await run(
      this.db,
      "INSERT INTO gateway_events (gateway, event_id, type, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (gateway, event_id) DO NOTHING",
      [event.gateway, event.eventId, event.type, event.receivedAt],
    );
    return rowCount === 1;
  }
  async purgeBefore(before: Date, limit: number): Promise<number> {
    const { rowCount } = await run(
      this.db,
      `DELETE FROM gateway_events WHERE (gateway, event_id) IN (
         SELECT gateway, event_id FROM gateway_events WHERE received_at <= $1 ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }
}
