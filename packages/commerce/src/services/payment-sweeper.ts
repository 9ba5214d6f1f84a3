import { parse, writeLog } from "@platform/core";
import { z } from "zod";
import type { OrderSettlement } from "./order-settlement.js";
import type { ServiceContext } from "./service-context.js";

/** What one run of the sweeper did (`orders.sweepPendingPayments`). */
export interface PaymentSweepSummary {
  /** Orders with an unknown payment outcome this run claimed. */
  readonly examined: number;
  /** Charged: marked paid, stock committed, cart cleared. */
  readonly paid: number;
  /** Not charged (declined, or never received): canceled, stock released. */
  readonly canceled: number;
  /** Charged, but the order had been canceled: refunded. */
  readonly refunded: number;
  /** The payment port cannot tell yet: left as they are for the next run. */
  readonly unknown: number;
  /** Settled meanwhile by someone else (a checkout retry, a cancel). */
  readonly skipped: number;
  /** Failed with an error (e.g. storage or refund failure): left for the next run. */
  readonly errors: number;
  /** Claimed but not examined because the run was abandoned (`signal`): handed back for another sweeper at once. */
  readonly released: number;
}

/** Default: how long a pending order must be unchanged before the sweeper asks about its payment. */
export const DEFAULT_PAYMENT_SWEEP_AFTER_MS = 60_000;

/** How long one sweeper holds its claim on an order (then another process may take it). */
const SWEEP_LEASE_MS = 120_000;

const sweepSchema = z.object({ limit: z.number().int().min(1).max(1000).default(100) });

/**
 * Settles orders whose payment outcome is unknown (see `OrderService.sweepPendingPayments`).
 * The grace period keeps it away from checkouts still charging: a younger pending order is
 * most likely in flight, and its own retry resolves it.
 */
export class PaymentSweeper {
  private readonly sweepAfterMs: number;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settlement: OrderSettlement,
    options: { paymentSweepAfterMs?: number } = {},
  ) {
    this.sweepAfterMs = parse(z.number().int().min(0), options.paymentSweepAfterMs ?? DEFAULT_PAYMENT_SWEEP_AFTER_MS);
  }

  async sweep(options: { limit?: number; signal?: AbortSignal } = {}): Promise<PaymentSweepSummary> {
    const { signal, ...rest } = options;
    const { limit } = parse(sweepSchema, rest);
    const { store, clock } = this.ctx;
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + SWEEP_LEASE_MS);
    const claimed = await store.transaction((tx) =>
      tx.orders.claimPaymentPending({ changedBefore: new Date(now.getTime() - this.sweepAfterMs), now, leaseUntil, limit }),
    );
    const summary = { examined: claimed.length, paid: 0, canceled: 0, refunded: 0, unknown: 0, skipped: 0, errors: 0, released: 0 };
    for (const [i, order] of claimed.entries()) {
      if (signal?.aborted) {
        // Abandoned: the orders not looked at yet go back now (the one in flight has ended), not after the lease.
        const rest = claimed.slice(i).map((o) => o.id);
        summary.released = await store.transaction((tx) => tx.orders.releasePaymentClaims(rest, leaseUntil));
        summary.examined = i;
        break;
      }
      try {
        const { resolution } = await this.settlement.resolvePending(order.id);
        if (resolution === "settled") summary.skipped++;
        else summary[resolution]++;
      } catch (error) {
        writeLog(this.ctx.logger, "error", "payment sweep of an order failed", { orderId: order.id }, error);
        summary.errors++;
      }
    }
    return summary;
  }
}
