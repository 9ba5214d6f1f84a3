import { ConflictError, defaultCursorCodec, paginate, type CursorCodec, type MemoryTable, type Page } from "@platform/core";
import type { Order } from "../../domain/order.js";
import type { OrderRepository } from "../../ports/order-repository.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** Key of the (customer, idempotency key) unique index. */
export function idempotencyIndexKey(customerId: string, key: string): string {
  return `${customerId}\u0000${key}`;
}

/** {@link OrderRepository} on a memory table. */
export class MemoryOrderRepository implements OrderRepository {
  constructor(
    private readonly table: MemoryTable<Order, "idempotency", "customer" | "paymentPending">,
    private readonly codec: CursorCodec = defaultCursorCodec,
    // Sweep leases by order id (a lease, not data: it need not roll back with a transaction).
    private readonly sweepLeases: Map<string, number> = new Map(),
  ) {}
  async get(id: string): Promise<Order | null> {
    return this.table.get(id) ?? null;
  }
  async getByIdempotencyKey(customerId: string, key: string): Promise<Order | null> {
    return this.table.getByUnique("idempotency", idempotencyIndexKey(customerId, key)) ?? null;
  }
  async insert(order: Order): Promise<void> {
    this.table.insert(order);
  }
  async update(order: Order, expectedVersion: number): Promise<void> {
    const current = this.table.get(order.id);
    if (!current || current.version !== expectedVersion)
      throw new ConflictError(commerceCodes.version_conflict, `order ${order.id} was changed concurrently`);
    this.table.put(order);
  }
  async listByCustomer(customerId: string, page: { limit: number; cursor: string | null }): Promise<Page<Order>> {
    // The customer index holds only this customer's orders: the page is cut from them alone.
    return paginate(this.table.findBy("customer", customerId), page, {
      kind: "orders.by_customer",
      key: (o) => [o.createdAt.getTime(), o.id],
      codec: this.codec,
    });
  }
  async claimPaymentPending(query: { changedBefore: Date; now: Date; leaseUntil: Date; limit: number }): Promise<Order[]> {
    const due = this.table
      .findBy("paymentPending", "1")
      .filter((o) => o.updatedAt.getTime() <= query.changedBefore.getTime() && (this.sweepLeases.get(o.id) ?? 0) <= query.now.getTime())
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, query.limit);
    for (const o of due) this.sweepLeases.set(o.id, query.leaseUntil.getTime());
    return due;
  }

  async releasePaymentClaims(orderIds: readonly string[], leaseUntil: Date): Promise<number> {
    let released = 0;
    for (const id of orderIds) {
      if (this.sweepLeases.get(id) !== leaseUntil.getTime()) continue;
      this.sweepLeases.delete(id);
      released++;
    }
    return released;
  }
}
