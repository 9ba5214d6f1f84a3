import { createId, Money, type MoneyJSON } from "@platform/core";
import type { GatewayData } from "./gateway-data.js";

/** The kind of a ledger transaction. */
export type LedgerTransactionType = "authorization" | "capture" | "void" | "refund" | "failure";

/**
 * Ledger accounts. `customer` is the outside world; `authorized_funds` holds authorisations not yet
 * captured; `merchant_balance` holds captured money; refunds move money from it back to `customer`.
 */
export type LedgerAccount = "customer" | "authorized_funds" | "merchant_balance";

/** One side of a double-entry posting. */
export interface Posting {
  readonly account: LedgerAccount;
  readonly direction: "debit" | "credit";
  readonly amount: Money;
}

/**
 * An immutable ledger transaction: one gateway event (authorisation, capture, void, refund or
 * failure) with the gateway's reference and balanced postings. Failures carry no postings.
 */
export interface LedgerTransaction {
  /** `txn_...` */
  readonly id: string;
  readonly paymentId: string;
  readonly refundId?: string | undefined;
  readonly type: LedgerTransactionType;
  /** The amount the event concerned (for a failure: the amount that was attempted). */
  readonly amount: Money;
  readonly status: "succeeded" | "failed";
  readonly gateway: string;
  readonly gatewayReference?: string | undefined;
  /** The provider data of the gateway result this transaction records (opaque; never in the JSON view). */
  readonly gatewayData?: GatewayData | undefined;
  /** For failures: the operation that failed and why. */
  readonly failedOperation?: "authorize" | "capture" | "void" | "refund" | undefined;
  readonly failureCode?: string | undefined;
  readonly postings: readonly Posting[];
  readonly createdAt: Date;
  /** Position in the ledger, assigned by the store on append (SQL: bigserial); orders same-instant entries. */
  readonly sequence?: number | undefined;
}

function pair(debit: LedgerAccount, credit: LedgerAccount, amount: Money): Posting[] {
  if (amount.isZero()) return [];
  return [
    { account: debit, direction: "debit", amount },
    { account: credit, direction: "credit", amount },
  ];
}

interface Base {
  paymentId: string;
  gateway: string;
  gatewayReference?: string | undefined;
  gatewayData?: GatewayData | undefined;
  now: Date;
}

function make(
  base: Base,
  type: LedgerTransactionType,
  amount: Money,
  postings: Posting[],
  extra: Partial<LedgerTransaction> = {},
): LedgerTransaction {
  return {
    id: createId("txn"),
    paymentId: base.paymentId,
    type,
    amount,
    status: type === "failure" ? "failed" : "succeeded",
    gateway: base.gateway,
    gatewayReference: base.gatewayReference,
    ...(base.gatewayData ? { gatewayData: base.gatewayData } : {}),
    postings,
    createdAt: base.now,
    ...extra,
  };
}

/** Funds held on the customer's card. */
export function authorizationTransaction(base: Base, amount: Money): LedgerTransaction {
  return make(base, "authorization", amount, pair("authorized_funds", "customer", amount));
}

/** Captures `captured` of an authorisation of `authorized`; the rest of the hold goes back to the customer. */
export function captureTransaction(base: Base, captured: Money, authorized: Money): LedgerTransaction {
  const released = authorized.subtract(captured);
  return make(base, "capture", captured, [
    ...pair("merchant_balance", "authorized_funds", captured),
    ...pair("customer", "authorized_funds", released),
  ]);
}

/** Releases a whole authorisation. */
export function voidTransaction(base: Base, authorized: Money): LedgerTransaction {
  return make(base, "void", authorized, pair("customer", "authorized_funds", authorized));
}

/** Money sent back from the merchant's balance. */
export function refundTransaction(base: Base, amount: Money, refundId: string): LedgerTransaction {
  return make(base, "refund", amount, pair("customer", "merchant_balance", amount), { refundId });
}

/** A declined or failed operation: recorded, moves no money. */
export function failureTransaction(
  base: Base,
  amount: Money,
  operation: "authorize" | "capture" | "void" | "refund",
  code: string,
  refundId?: string,
): LedgerTransaction {
  return make(base, "failure", amount, [], { failedOperation: operation, failureCode: code, refundId });
}

/** True when debits equal credits in every currency of the transaction. */
export function isBalanced(txn: Pick<LedgerTransaction, "postings">): boolean {
  const totals = new Map<string, Money>();
  for (const p of txn.postings) {
    const signed = p.direction === "debit" ? p.amount : p.amount.negate();
    const prev = totals.get(p.amount.currency);
    totals.set(p.amount.currency, prev ? prev.add(signed) : signed);
  }
  return [...totals.values()].every((m) => m.isZero());
}

/** Net balance of every account over a set of transactions (debit positive), per currency. */
export function accountBalances(txns: Iterable<Pick<LedgerTransaction, "postings">>): Map<string, Money> {
  const out = new Map<string, Money>();
  for (const t of txns) {
    for (const p of t.postings) {
      const key = `${p.account}:${p.amount.currency}`;
      const signed = p.direction === "debit" ? p.amount : p.amount.negate();
      const prev = out.get(key);
      out.set(key, prev ? prev.add(signed) : signed);
    }
  }
  return out;
}

/** JSON-safe view of a ledger transaction. */
export interface LedgerTransactionJSON {
  id: string;
  paymentId: string;
  refundId: string | null;
  type: LedgerTransactionType;
  amount: MoneyJSON;
  status: "succeeded" | "failed";
  gateway: string;
  gatewayReference: string | null;
  failureCode: string | null;
  postings: { account: LedgerAccount; direction: "debit" | "credit"; amount: MoneyJSON }[];
  createdAt: string;
}

/** The JSON view of a ledger transaction. */
export function toLedgerTransactionJSON(t: LedgerTransaction): LedgerTransactionJSON {
  return {
    id: t.id,
    paymentId: t.paymentId,
    refundId: t.refundId ?? null,
    type: t.type,
    amount: t.amount.toJSON(),
    status: t.status,
    gateway: t.gateway,
    gatewayReference: t.gatewayReference ?? null,
    failureCode: t.failureCode ?? null,
    postings: t.postings.map((p) => ({ account: p.account, direction: p.direction, amount: p.amount.toJSON() })),
    createdAt: t.createdAt.toISOString(),
  };
}
