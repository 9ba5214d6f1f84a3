import { paginate, type CursorCodec, type MemoryTable, type Page } from "@platform/core";
import type { LedgerTransaction } from "../../domain/ledger.js";
import type { LedgerRepository, PageQuery } from "../../ports/payment-store.js";

const DAY = 86_400_000;
/** The day bucket of an instant (days since the epoch, UTC). */
export const dayOf = (d: Date) => String(Math.floor(d.getTime() / DAY));

/** The ledger table with its payment and day indexes. */
export type LedgerTable = MemoryTable<LedgerTransaction, never, "payment" | "day">;

/** The append-only ledger, indexed by payment and by day (range queries touch only the days they span). */
export class MemoryLedgerRepository implements LedgerRepository {
  constructor(
    private readonly table: LedgerTable,
    private readonly counter: { next: number },
    private readonly codec: CursorCodec,
  ) {}
  async append(t: LedgerTransaction) {
    // A gap left by a rolled-back append is harmless, like a PostgreSQL sequence.
    this.table.insert({ ...t, sequence: ++this.counter.next });
  }
  async get(id: string) {
    return this.table.get(id) ?? null;
  }
  async allForPayment(paymentId: string) {
    return this.table.findBy("payment", paymentId).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  }
  async listByPayment(paymentId: string, page: PageQuery) {
    return paginate(this.table.findBy("payment", paymentId), page, {
      kind: "ledger.payment",
      key: (t) => [t.sequence ?? 0, t.id],
      direction: "asc",
      codec: this.codec,
    });
  }
  async listByTime(range: { from: Date; to: Date }, page: PageQuery): Promise<Page<LedgerTransaction>> {
    // Day buckets keep a range query proportional to the days it spans, not to the whole ledger.
    const rows: LedgerTransaction[] = [];
    const from = range.from.getTime();
    const to = range.to.getTime();
    for (let day = Math.floor(from / DAY); day <= Math.floor((to - 1) / DAY); day++) {
      for (const t of this.table.findBy("day", String(day))) {
        const at = t.createdAt.getTime();
        if (at >= from && at < to) rows.push(t);
      }
    }
    return paginate(rows, page, { kind: "ledger.time", key: (t) => [t.sequence ?? 0, t.id], direction: "desc", codec: this.codec });
  }
}
