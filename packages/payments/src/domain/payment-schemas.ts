import { emailSchema, metadataSchema, pageRequestSchema, positiveMoneySchema } from "@platform/core";
import { z } from "zod";
import { PAYMENT_STATUSES, type PaymentStatus } from "./payment-status.js";
import { paymentsCodes } from "./error-codes.js";

/** An id of a payment, refund, transaction, rule, endpoint or delivery inside an input object. */
const resourceIdSchema = z.string().trim().min(1).max(64);

/** Stripe-style payment method tokens: a prefix and an opaque id. Raw card numbers are refused separately. */
const PAYMENT_METHOD = /^[a-z][a-z0-9]*_[A-Za-z0-9_]{1,200}$/;
/** 12-19 digits, possibly spaced: a card number (PAN) that must never enter the system. */
const LOOKS_LIKE_PAN = /^[\d\s-]{12,23}$/;

/** A payment method token; a raw card number is `raw_card_data`. */
export const paymentMethodSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (LOOKS_LIKE_PAN.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: "raw card numbers are never accepted: tokenise the card with the gateway first",
        params: { code: paymentsCodes.raw_card_data },
      });
    } else if (!PAYMENT_METHOD.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: "must be a payment method token such as pm_card_visa",
        params: { code: paymentsCodes.unknown_payment_method },
      });
    }
  });

/** Customer signals of a payment. */
export const paymentCustomerSchema = z
  .object({
    id: z.string().trim().min(1).max(255).optional(),
    email: emailSchema.optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166 alpha-2 code")
      .optional(),
  })
  .strict();

/** Input of `payments.create`. */
export const createPaymentSchema = z
  .object({
    amount: positiveMoneySchema,
    paymentMethod: paymentMethodSchema,
    captureMethod: z.enum(["automatic", "manual"]).default("automatic"),
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
    orderId: z.string().trim().min(1).max(255).optional(),
    description: z.string().max(1000).optional(),
    customer: paymentCustomerSchema.default({}),
    metadata: metadataSchema.default({}),
    /** Forces one gateway; otherwise routing rules choose. */
    gateway: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
/** Parsed {@link createPaymentSchema}. */
export type CreatePaymentInput = z.input<typeof createPaymentSchema>;

/** Input of `payments.get`, `payments.reconcile`, `transactions.listByPayment` ... : the payment's id. */
export const paymentRefSchema = z.object({ paymentId: resourceIdSchema }).strict();
/** Input naming one payment. */
export type PaymentRef = z.input<typeof paymentRefSchema>;

/** Input of `payments.findByIdempotencyKey`. */
export const findByIdempotencyKeySchema = z.object({ idempotencyKey: z.string().min(1).max(255) }).strict();

/** Input of `payments.listByStatus`: a status and a page. */
export const listByStatusSchema = pageRequestSchema
  .extend({ status: z.enum(PAYMENT_STATUSES as [PaymentStatus, ...PaymentStatus[]]) })
  .strict();
/** Input of `payments.listByStatus`. */
export type ListByStatusInput = z.input<typeof listByStatusSchema>;

/** Input of `payments.approveReview` / `rejectReview`: the payment and an optional note kept on its review. */
export const reviewDecisionSchema = z.object({ paymentId: resourceIdSchema, note: z.string().max(1000).optional() }).strict();
/** Input of `payments.approveReview` / `rejectReview`. */
export type ReviewDecisionInput = z.input<typeof reviewDecisionSchema>;

/** Input of `payments.capture`. */
export const capturePaymentSchema = z
  .object({
    paymentId: resourceIdSchema,
    amount: positiveMoneySchema.optional(),
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
/** Input of `payments.capture`. */
export type CapturePaymentInput = z.input<typeof capturePaymentSchema>;

/** Input of `payments.cancel`. */
export const cancelPaymentSchema = z
  .object({
    paymentId: resourceIdSchema,
    reason: z.enum(["requested_by_customer", "duplicate", "fraudulent", "abandoned"]).default("requested_by_customer"),
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
/** Input of `payments.cancel`. */
export type CancelPaymentInput = z.input<typeof cancelPaymentSchema>;
