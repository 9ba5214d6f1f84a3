import { NotFoundError } from "@platform/core";
import type { Payment } from "../domain/payment.js";
import type { PaymentTx } from "../ports/payment-store.js";
import { paymentsCodes } from "../domain/error-codes.js";

/** Reads a payment for an update in `tx` (a row lock on PostgreSQL). @throws NotFoundError `payment_not_found`. */
export async function lockPayment(tx: PaymentTx, id: string): Promise<Payment> {
  const p = await tx.payments.getForUpdate(id);
  if (!p) throw NotFoundError.of(paymentsCodes.payment_not_found, "payment", id);
  return p;
}
