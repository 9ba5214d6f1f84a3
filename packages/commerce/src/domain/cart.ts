import { z } from "zod";
import type { Money } from "@platform/core";
import { lineQuantitySchema, refSchema } from "./schemas.js";

/** One line of a cart. `addedUnitPrice` is the catalog price when the line was last set, used to report changes. */
export interface CartLine {
  readonly productId: string;
  readonly variantId: string | null;
  readonly quantity: number;
  readonly addedUnitPrice: Money;
}

/** A shopping cart: a customer's (one open cart each) or a guest's (`customerId` null). */
export interface Cart {
  readonly id: string;
  readonly customerId: string | null;
  readonly lines: readonly CartLine[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
  /**
   * The order whose checkout claimed this cart (a cart is bought once): while that order is
   * `pending`, another checkout of the cart answers `checkout_in_progress`. Cleared when the order
   * is paid; a claim whose order ended otherwise (canceled, payment failed) is stale and ignored.
   */
  readonly checkoutOrderId?: string | null | undefined;
}

/** Most lines a cart may hold. */
export const MAX_CART_LINES = 100;
/** Most units of one line. */
export const MAX_LINE_QUANTITY = 999;

/** Input of `carts.addItem`. */
export const addCartItemSchema = z.object({
  productId: refSchema,
  variantId: refSchema.nullish(),
  quantity: lineQuantitySchema(MAX_LINE_QUANTITY),
});
/** Input of `carts.addItem`, before parsing. */
export type AddCartItemInput = z.input<typeof addCartItemSchema>;

/**
 * Input of `carts.setQuantity` (the new absolute quantity): the same shape as `addCartItemSchema`.
 * @alias
 */
export const setCartQuantitySchema = addCartItemSchema;

/** Input of `carts.removeItem`. */
export const removeCartItemSchema = z.object({ productId: refSchema, variantId: refSchema.nullish() });

/** True when a line is for that product/variant. */
export function sameItem(line: Pick<CartLine, "productId" | "variantId">, productId: string, variantId: string | null): boolean {
  return line.productId === productId && line.variantId === variantId;
}

/**
 * Merges a guest cart's lines into a customer's: quantities of the same item add up
 * (capped at the line maximum), new items are appended.
 */
/** The outcome of merging a guest cart at login. */
export interface GuestCartMerge {
  readonly guestCartId: string;
  /** Guest lines added to (or summed into) the customer's cart. */
  readonly merged: number;
  /**
   * Guest lines left out because they are priced in another currency than the customer's cart
   * (a cart holds one currency): the customer re-adds them after checking out, if wanted.
   */
  readonly skipped: readonly {
    readonly productId: string;
    readonly variantId: string | null;
    readonly quantity: number;
    readonly currency: string;
    readonly reason: "currency_mismatch";
  }[];
}

export function mergeLines(into: readonly CartLine[], from: readonly CartLine[]): CartLine[] {
  const out = [...into];
  for (const line of from) {
    const i = out.findIndex((l) => sameItem(l, line.productId, line.variantId));
    if (i === -1) out.push(line);
    else out[i] = { ...out[i]!, quantity: Math.min(MAX_LINE_QUANTITY, out[i]!.quantity + line.quantity) };
  }
  return out.slice(0, MAX_CART_LINES);
}
