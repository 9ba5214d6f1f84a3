import type { MemoryTable } from "@platform/core";
import type { Refund } from "../../domain/refund.js";
import type { RefundRepository } from "../../ports/payment-store.js";

/** Refunds indexed by payment and status. */
export class MemoryRefundRepository implements RefundRepository {
  constructor(private readonly table: MemoryTable<Refund, never, "payment" | "status">) {}
  async get(id: string) {
    return this.table.get(id);
  }
  async insert(r: Refund) {
    this.table.insert(r);
  }
  async update(r: Refund) {
    this.table.put(r);
  }
  async listByPayment(paymentId: string) {
    return this.table.findBy("payment", paymentId).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
  async listByStatus(status: Refund["status"], limit: number) {
    return this.table.findBy("status", status).slice(0, limit);
  }
}
