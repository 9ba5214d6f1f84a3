import { metadataSchema, positiveMoneySchema, type Money, type MoneyJSON } from "@platform/core";
import { z } from "zod";
import type { PaymentFailure } from "./payment.js";

/** `pending` until the gateway confirms; `failed` frees the amount for another refund. */
export type RefundStatusValue = "pending" | "succeeded" | "failed";

/** Why a refund was made (Stripe's reasons). */
export type RefundReason = "requested_by_customer" | "duplicate" | "fraudulent" | "other";

/** A refund of part or all of a captured payment, sent through the gateway that captured it. */
export interface Refund {
  /** `re_...` */
  readonly id: string;
  readonly paymentId: string;
  readonly amount: Money;
  readonly reason: RefundReason;
  readonly status: RefundStatusValue;
  readonly gateway: string;
  readonly gatewayRefundId?: string | undefined;
  readonly failure?: PaymentFailure | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Input of `refunds.create`. `amount` defaults to everything still refundable. */
export const createRefundSchema = z
  .object({
    paymentId: z.string().trim().min(1).max(64),
    amount: positiveMoneySchema.optional(),
    reason: z.enum(["requested_by_customer", "duplicate", "fraudulent", "other"]).default("requested_by_customer"),
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
    metadata: metadataSchema.default({}),
  })
  .strict();
/** Input of `refunds.create`. */
export type CreateRefundInput = z.input<typeof createRefundSchema>;

/** JSON-safe view of a refund. */
export interface RefundJSON {
  id: string;
  paymentId: string;
  amount: MoneyJSON;
  reason: RefundReason;
  status: RefundStatusValue;
  gateway: string;
  gatewayRefundId: string | null;
  failure: PaymentFailure | null;
  createdAt: string;
}

/** The JSON view of a refund. */
export function toRefundJSON(r: Refund): RefundJSON {
  return {
    id: r.id,
    paymentId: r.paymentId,
    amount: r.amount.toJSON(),
    reason: r.reason,
    status: r.status,
    gateway: r.gateway,
    gatewayRefundId: r.gatewayRefundId ?? null,
    failure: r.failure ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
