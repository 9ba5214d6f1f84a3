import { emailSchema, metadataSchema, positiveMoneySchema } from "@platform/core";
import { z } from "zod";

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
      ctx.addIssue({ code: "custom", message: "raw card numbers are never accepted: tokenise the card with the gateway first", params: { code: "raw_card_data" } });
    } else if (!PAYMENT_METHOD.test(value)) {
      ctx.addIssue({ code: "custom", message: "must be a payment method token such as pm_card_visa", params: { code: "unknown_payment_method" } });
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

/** Input of `payments.capture`. */
export const capturePaymentSchema = z
  .object({
    amount: positiveMoneySchema.optional(),
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
/** Input of `payments.capture`. */
export type CapturePaymentInput = z.input<typeof capturePaymentSchema>;

/** Input of `payments.cancel`. */
export const cancelPaymentSchema = z
  .object({
    reason: z.enum(["requested_by_customer", "duplicate", "fraudulent", "abandoned"]).default("requested_by_customer"),
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
/** Input of `payments.cancel`. */
export type CancelPaymentInput = z.input<typeof cancelPaymentSchema>;
