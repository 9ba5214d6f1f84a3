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
}
