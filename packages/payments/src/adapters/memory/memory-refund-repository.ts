import { paginate, type CursorCodec, type MemoryTable } from "@platform/core";
import type { Refund } from "../../domain/refund.js";
import type { PageQuery, RefundRepository } from "../../ports/payment-store.js";
import { gatewayReferenceKey } from "./memory-payment-repository.js";

/** Refunds indexed by payment and status; `order` numbers them in insertion order (as PostgreSQL's `seq`). */
export class MemoryRefundRepository implements RefundRepository {
  constructor(
    private readonly table: MemoryTable<Refund, never, "payment" | "status" | "reference">,
    private readonly codec: CursorCodec,
    private readonly order: Map<string, number>,
  ) {}
  private seq(r: Refund): number {
    return this.order.get(r.id) ?? 0;
  }
  async get(id: string) {
    return this.table.get(id) ?? null;
  }
  async insert(r: Refund) {
    this.table.insert(r);
    // A number left by a rolled-back insert is a harmless gap, like a PostgreSQL identity.
    if (!this.order.has(r.id)) this.order.set(r.id, this.order.size + 1);
  }
  async update(r: Refund) {
    this.table.put(r);
  }
  async getByGatewayRefundId(gateway: string, gatewayRefundId: string) {
    return this.table.findBy("reference", gatewayReferenceKey({ gateway, gatewayTransactionId: gatewayRefundId })!)[0] ?? null;
  }
  async listByPayment(paymentId: string, page: PageQuery) {
    return paginate(this.table.findBy("payment", paymentId), page, {
      kind: "refunds.payment",
      key: (r) => [this.seq(r), r.id],
      direction: "asc",
      codec: this.codec,
    });
  }
  async listByStatus(status: Refund["status"], limit: number) {
    return this.table
      .findBy("status", status)
      .sort((a, b) => this.seq(a) - this.seq(b))
      .slice(0, limit);
  }
}
