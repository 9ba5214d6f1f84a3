import { coreCodes } from "@platform/core";
import { z } from "zod";
import { refSchema } from "./schemas.js";

/**
 * Stock of one item (a product without variants, or a variant).
 * Invariants: `0 <= reserved <= onHand`, and `onHand + sold = received + adjusted`.
 */
export interface StockLevel {
  readonly key: string;
  readonly productId: string;
  readonly variantId: string | null;
  readonly onHand: number;
  readonly reserved: number;
  readonly sold: number;
  /** Units received through `received` adjustments. */
  readonly received: number;
  /** Net units added or removed by other adjustments (damage, loss, corrections, returns). */
  readonly adjusted: number;
  readonly lowStockThreshold: number;
  readonly updatedAt: Date;
}

/** Units that can still be reserved. */
export function available(level: Pick<StockLevel, "onHand" | "reserved">): number {
  return level.onHand - level.reserved;
}

/** One item of a reservation. */
export interface ReservationLine {
  readonly key: string;
  readonly quantity: number;
}

/** State of a reservation. */
export type ReservationStatus = "active" | "committed" | "released" | "expired";

/** Stock held for a checkout until it is committed (paid), released, or expires. */
export interface Reservation {
  readonly id: string;
  /** The order the stock is held for, if any. */
  readonly orderId: string | null;
  readonly lines: readonly ReservationLine[];
  readonly status: ReservationStatus;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

/** A recorded stock change with its reason. */
export interface StockAdjustment {
  readonly id: string;
  readonly key: string;
  readonly delta: number;
  readonly reason: AdjustmentReason;
  readonly note: string | null;
  readonly at: Date;
}

/** Why stock changed by hand. */
export const adjustmentReasonSchema = z.enum(["received", "returned", "damaged", "lost", "correction"]);
/** A reason of a {@link StockAdjustment}. */
export type AdjustmentReason = z.infer<typeof adjustmentReasonSchema>;

/** Input of `inventory.adjust`. */
export const adjustStockSchema = z.object({
  productId: refSchema,
  variantId: refSchema.nullish(),
  delta: z
    .number()
    .int()
    .refine((d) => d !== 0 && Math.abs(d) <= 1_000_000, {
      message: "delta must be a non-zero integer up to 1,000,000",
      params: { code: coreCodes.invalid_quantity },
    }),
  reason: adjustmentReasonSchema,
  note: z.string().trim().max(500).nullish(),
});
/** Input of `inventory.adjust`, before parsing. */
export type AdjustStockInput = z.input<typeof adjustStockSchema>;

/** Input of `inventory.setLowStockThreshold`. */
export const lowStockThresholdSchema = z.object({
  productId: refSchema,
  variantId: refSchema.nullish(),
  threshold: z.number().int().min(0).max(1_000_000),
});

/** Sums quantities per key, so two lines of one item reserve their total (all-or-nothing). */
export function sumByKey(lines: readonly ReservationLine[]): ReservationLine[] {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.key, (totals.get(l.key) ?? 0) + l.quantity);
  return [...totals].map(([key, quantity]) => ({ key, quantity }));
}

/** Default reservation lifetime: 15 minutes. */
export const DEFAULT_RESERVATION_TTL_MS = 15 * 60 * 1000;
