import { NotFoundError, pageRequestSchema, parse, ValidationError, type Actor, type Page, type PageRequest } from "@platform/core";
import { z } from "zod";
import type { LedgerTransaction } from "../domain/ledger.js";
import { authorize } from "./authorize.js";
import type { ServiceContext } from "./context.js";
import { paymentsCodes } from "../domain/error-codes.js";

const idSchema = z.string().trim().min(1).max(64);
const byPaymentSchema = pageRequestSchema.extend({ paymentId: idSchema }).strict();

/** Input of `transactions.list`: a time range `[from, to)` plus a page. */
export const listTransactionsSchema = z
  .object({
    from: z.coerce.date(),
    to: z.coerce.date(),
  })
  .extend(pageRequestSchema.shape)
  .strict();
/** Input of `transactions.list`. */
export type ListTransactionsInput = z.input<typeof listTransactionsSchema>;

/** Read access to the immutable ledger (`GetTransaction` of the specification); every method needs `payments:read`. */
export class TransactionService {
  constructor(private readonly ctx: ServiceContext) {}

  /** One transaction. @throws NotFoundError `transaction_not_found`; ForbiddenError `role_required`. */
  async get(actor: Actor, input: { transactionId: string }): Promise<LedgerTransaction> {
    authorize(actor, "payments:read");
    const tid = parse(z.object({ transactionId: idSchema }).strict(), input).transactionId;
    const t = await this.ctx.store.transaction((tx) => tx.ledger.get(tid));
    if (!t) throw NotFoundError.of(paymentsCodes.transaction_not_found, "transaction", tid);
    return t;
  }

  /** Transactions of a payment, oldest first, paginated. @throws ValidationError `invalid_cursor`; ForbiddenError `role_required`. */
  async listByPayment(actor: Actor, input: { paymentId: string } & PageRequest): Promise<Page<LedgerTransaction>> {
    authorize(actor, "payments:read");
    const { paymentId, ...page } = parse(byPaymentSchema, input);
    return this.ctx.store.transaction((tx) => tx.ledger.listByPayment(paymentId, page));
  }

  /** Transactions with `from <= createdAt < to`, newest first, paginated. @throws ValidationError `invalid_range`; ForbiddenError `role_required`. */
  async list(actor: Actor, input: ListTransactionsInput): Promise<Page<LedgerTransaction>> {
    authorize(actor, "payments:read");
    const q = parse(listTransactionsSchema, input);
    if (q.to.getTime() <= q.from.getTime()) throw ValidationError.field(paymentsCodes.invalid_range, "to", "to must be after from");
    return this.ctx.store.transaction((tx) => tx.ledger.listByTime({ from: q.from, to: q.to }, { limit: q.limit, cursor: q.cursor }));
  }
}
