import { parse, positiveMoneySchema, ValidationError, type Actor } from "@platform/core";
import { z } from "zod";
import type { Payment } from "../domain/payment.js";
import type { GatewayPaymentState } from "../ports/payment-gateway.js";
import { authorize } from "./authorize.js";
import type { ServiceContext } from "./context.js";
import { actionOutcome } from "./payment-actions.js";
import type { PaymentReconciler } from "./payment-reconciler.js";
import type { GatewayOutcome, PaymentSettlement } from "./payment-settlement.js";
import { settleRefundIn, type RefundOutcome } from "./refund-settlement.js";
import { importExternalRefundIn, type ExternalRefundInput } from "./external-refund-import.js";
import { paymentsCodes } from "../domain/error-codes.js";

/** A provider event (a Stripe webhook), already verified and translated by the provider's adapter. */
export interface GatewayEventInput {
  /** The registered name of the gateway the event comes from. */
  gateway: string;
  /** The provider's event id (Stripe: `evt_...`): the event applies once by it, across processes. */
  eventId: string;
  /** The provider's event type, kept with the record (`payment_intent.succeeded` ...). */
  type: string;
  /** The payment the event is about: our id (from the provider's metadata), its reference, and its state as the event tells it. */
  payment?: { paymentId: string; reference: string; state: GatewayPaymentState } | undefined;
  /** Refunds the event is about: our refund id, the provider's reference and status. */
  refunds?:
    | readonly {
        refundId: string;
        reference: string;
        status: "succeeded" | "failed" | "pending";
        declineCode?: string | undefined;
        gatewayData?: unknown;
      }[]
    | undefined;
  /**
   * Refunds made at the provider outside the SDK (Stripe's dashboard): imported as refunds of the payment
   * holding `paymentReference`, once by their `reference`, then settled by their status.
   */
  externalRefunds?: readonly ExternalRefundInput[] | undefined;
}

/**
 * What applying an event did. `applied`: it changed a payment or a refund. `duplicate`: this event id
 * was applied before (a redelivery, or another process got it first). `ignored`: nothing to change (an
 * older state arriving late never moves a payment backwards). `unknown_payment`/`unknown_refund`: not
 * ours (no such payment or refund, or one of another gateway or provider reference): a documented no-op.
 * Every outcome is an answer to acknowledge (HTTP 2xx).
 */
export interface GatewayEventResult {
  readonly outcome: "applied" | "duplicate" | "ignored" | "unknown_payment" | "unknown_refund";
  /** The payment after the event, when the event was about a known one. */
  readonly payment?: Payment | undefined;
}

const inputSchema = z
  .object({
    gateway: z.string().min(1).max(64),
    eventId: z.string().min(1).max(255),
    type: z.string().min(1).max(255),
    payment: z
      .object({
        paymentId: z.string().min(1).max(64),
        reference: z.string().min(1).max(255),
        state: z.custom<GatewayPaymentState>((v) => typeof v === "object" && v !== null),
      })
      .optional(),
    refunds: z
      .array(
        z.object({
          refundId: z.string().min(1).max(64),
          reference: z.string().min(1).max(255),
          status: z.enum(["succeeded", "failed", "pending"]),
          declineCode: z.string().max(255).optional(),
          gatewayData: z.unknown().optional(),
        }),
      )
      .max(100)
      .optional(),
    externalRefunds: z
      .array(
        z.object({
          reference: z.string().min(1).max(255),
          paymentReference: z.string().min(1).max(255),
          amount: positiveMoneySchema,
          status: z.enum(["succeeded", "failed", "pending"]),
          reason: z.enum(["requested_by_customer", "duplicate", "fraudulent", "other"]).optional(),
          declineCode: z.string().max(255).optional(),
          gatewayData: z.unknown().optional(),
        }),
      )
      .max(100)
      .optional(),
  })
  .strict();

/**
 * What the provider's state of a payment means for it: only forward moves. `requires_action`
 * payments follow the customer's step; `processing` ones take the outcome of their pending
 * operation; every other status (settled, or waiting for the host) ignores the event.
 */
function eventOutcome(p: Payment, state: GatewayPaymentState): GatewayOutcome | undefined {
  if (p.status === "requires_action") return actionOutcome(p, state);
  if (p.status !== "processing") return undefined;
  const name = p.gateway;
  const reference = state.reference ?? p.gatewayTransactionId ?? "";
  const authorized = state.amountAuthorized ?? p.amount;
  const op = p.pendingOperation;
  if (state.status === "captured" && (op === "authorize" || op === "capture"))
    return {
      kind: "captured",
      gateway: name,
      reference,
      authorized: op === "capture" ? p.amountAuthorized : authorized,
      captured: state.amountCaptured ?? authorized,
      gatewayData: state.gatewayData,
    };
  if (op !== "authorize")
    return state.status === "voided" && op === "void"
      ? { kind: "voided", gateway: name, reason: p.cancellationReason ?? "requested_by_customer" }
      : undefined;
  switch (state.status) {
    case "authorized":
      return { kind: "authorized", gateway: name, reference, authorized, gatewayData: state.gatewayData };
    case "requires_action":
      return state.action
        ? { kind: "requires_action", gateway: name, reference, action: state.action, gatewayData: state.gatewayData }
        : undefined;
    case "failed":
      return {
        kind: "failed",
        gateway: name,
        reference,
        failure: { code: "card_declined", declineCode: state.declineCode, message: "declined (provider event)" },
      };
    case "voided":
      return { kind: "voided", gateway: name, reason: "abandoned" };
    default:
      return undefined;
  }
}

/**
 * Applies provider events (webhooks) to payments and refunds: each event once by its id (recorded in
 * the transaction that applies it, so two processes receiving the same delivery apply it once), and
 * only forward: a late event describing an older state changes nothing.
 */
export class GatewayEventService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settlement: PaymentSettlement,
    private readonly reconciler: PaymentReconciler,
  ) {}

  /**
   * Applies one verified provider event. A payment failed by the event while it waited for its
   * customer gets its charge canceled at the gateway afterwards (best effort), so the customer cannot
   * complete a payment recorded as failed.
   * Needs `admin`: events come from the provider's verified webhooks (`handleStripeWebhook` holds
   * its own actor), never from a client.
   * @throws ValidationError `unknown_gateway` (not registered), `validation_failed` (malformed input); ForbiddenError `role_required`.
   */
  async apply(actor: Actor, input: GatewayEventInput): Promise<GatewayEventResult> {
    authorize(actor, "admin");
    const data = parse(inputSchema, input);
    if (!this.ctx.gateways.has(data.gateway))
      throw ValidationError.field(
        paymentsCodes.unknown_gateway,
        "gateway",
        `no gateway named ${JSON.stringify(data.gateway)} is registered`,
      );
    let waitedForCustomer = false;
    const result = await this.ctx.store.transaction(async (tx): Promise<GatewayEventResult> => {
      if (
        !(await tx.gatewayEvents.record({
          gateway: data.gateway,
          eventId: data.eventId,
          type: data.type,
          receivedAt: this.ctx.clock.now(),
        }))
      )
        return { outcome: "duplicate" };
      let outcome: GatewayEventResult["outcome"] = "ignored";
      let payment: Payment | undefined;
      if (data.payment) {
        const p = await tx.payments.getForUpdate(data.payment.paymentId);
        // Our id in the provider's metadata must point at a payment of this gateway holding this reference.
        if (!p || p.gateway !== data.gateway || (p.gatewayTransactionId !== undefined && p.gatewayTransactionId !== data.payment.reference))
          return { outcome: "unknown_payment" };
        waitedForCustomer = p.status === "requires_action";
        const o = eventOutcome(p, data.payment.state);
        const settled = o ? await this.settlement.settleIn(tx, p.id, o) : { payment: p, applied: false };
        payment = settled.payment;
        if (settled.applied) outcome = "applied";
      }
      for (const r of data.refunds ?? []) {
        const refund = await tx.refunds.get(r.refundId);
        if (
          !refund ||
          refund.gateway !== data.gateway ||
          (refund.gatewayRefundId !== undefined && refund.gatewayRefundId !== r.reference)
        ) {
          if (!data.payment && data.refunds!.length === 1) return { outcome: "unknown_refund" };
          continue;
        }
        const o: RefundOutcome =
          r.status === "failed"
            ? {
                status: "failed",
                reference: r.reference,
                code: "refund_failed",
                declineCode: r.declineCode,
                message: "the gateway failed the refund",
                gatewayData: r.gatewayData,
              }
            : { status: r.status, reference: r.reference, gatewayData: r.gatewayData };
        if (await settleRefundIn(this.ctx, tx, refund.id, o)) outcome = "applied";
        payment ??= (await tx.payments.get(refund.paymentId)) ?? undefined;
      }
      for (const r of data.externalRefunds ?? []) {
        const imported = await importExternalRefundIn(this.ctx, tx, data.gateway, r);
        if (imported === "unknown") {
          if (!data.payment && !data.refunds?.length && data.externalRefunds!.length === 1) return { outcome: "unknown_refund" };
          continue;
        }
        if (imported.applied) outcome = "applied";
        payment = imported.payment;
      }
      return { outcome, payment };
    });
    if (waitedForCustomer && result.outcome === "applied" && result.payment?.status === "failed")
      await this.reconciler.cancelAtGateway(result.payment);
    return result;
  }
}
