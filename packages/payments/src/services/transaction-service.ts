import { NotFoundError, pageRequestSchema, parse, ValidationError, type Page } from "@platform/core";
import { z } from "zod";
import type { LedgerTransaction } from "../domain/ledger.js";
import type { ServiceContext } from "./context.js";

/** Input of `transactions.list`: a time range `[from, to)` plus a page. */
export const listTransactionsSchema = z
  .object({
    from: z.coerce.date(),
    to: z.coerce.date(),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(2048).nullish(),
  })
  .strict();
/** Input of `transactions.list`. */
export type ListTransactionsInput = z.input<typeof listTransactionsSchema>;

/** Read access to the immutable ledger (`GetTransaction` of the specification). */
export class TransactionService {
  constructor(private readonly ctx: ServiceContext) {}

  /** One transaction. @throws NotFoundError `transaction_not_found`. */
  async get(id: string): Promise<LedgerTransaction> {
    const tid = parse(z.string().trim().min(1).max(64), id);
    const t = await this.ctx.store.transaction((tx) => tx.ledger.get(tid));
    if (!t) throw NotFoundError.of("transaction_not_found", "transaction", tid);
    return t;
  }

  /** Transactions of a payment, oldest first, paginated. @throws ValidationError `invalid_cursor`. */
  async listByPayment(paymentId: string, page: { limit?: number; cursor?: string | null } = {}): Promise<Page<LedgerTransaction>> {
    const pid = parse(z.string().trim().min(1).max(64), paymentId);
    const p = parse(pageRequestSchema, page);
    return this.ctx.store.transaction((tx) => tx.ledger.listByPayment(pid, p));
  }

  /** Transactions with `from <= createdAt < to`, newest first, paginated. @throws ValidationError `invalid_range`. */
  async list(input: ListTransactionsInput): Promise<Page<LedgerTransaction>> {
    const q = parse(listTransactionsSchema, input);
    if (q.to.getTime() <= q.from.getTime()) throw ValidationError.field("invalid_range", "to", "to must be after from");
    return this.ctx.store.transaction((tx) => tx.ledger.listByTime({ from: q.from, to: q.to }, { limit: q.limit, cursor: q.cursor }));
  }
}
