import type { MemoryTable } from "@platform/core";
import type { GatewayEventRecord, GatewayEventRepository } from "../../ports/payment-store.js";

/** The key of a provider event: gateway and event id. */
export const gatewayEventId = (gateway: string, eventId: string): string => `${gateway}\u0000${eventId}`;

/** Provider events on a {@link MemoryTable}: serialised transactions make the check-and-insert atomic. */
export class MemoryGatewayEventRepository implements GatewayEventRepository {
  constructor(private readonly table: MemoryTable<GatewayEventRecord>) {}
  async record(event: GatewayEventRecord): Promise<boolean> {
    if (this.table.get(gatewayEventId(event.gateway, event.eventId))) return false;
    this.table.insert(event);
    return true;
  }
  async purgeBefore(before: Date, limit: number): Promise<number> {
    const doomed: string[] = [];
    for (const e of this.table.values()) {
      if (doomed.length >= limit) break;
      if (e.receivedAt.getTime() <= before.getTime()) doomed.push(gatewayEventId(e.gateway, e.eventId));
    }
    for (const id of doomed) this.table.delete(id);
    return doomed.length;
  }
}
