import { z } from "zod";
import { coreCodes, DomainRuleError, NotFoundError, ValidationError, type Money } from "@platform/core";
import { unitPriceOf, type Product } from "./product.js";
import { lineQuantitySchema, refSchema } from "./schemas.js";
import { commerceCodes } from "./error-codes.js";

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

/** Input of `carts.addItems`: 1 to {@link MAX_CART_LINES} items, applied in order as one change. */
export const addCartItemsSchema = z.object({
  items: z
    .unknown()
    .superRefine((items, ctx) => {
      if (!Array.isArray(items) || items.length < 1 || items.length > MAX_CART_LINES)
        ctx.addIssue({
          code: "custom",
          message: `items must be a list of 1 to ${MAX_CART_LINES} items`,
          params: { code: commerceCodes.invalid_items },
          abort: true,
        });
    })
    .pipe(z.array(addCartItemSchema)),
});
/** Input of `carts.addItems`, before parsing. */
export type AddCartItemsInput = z.input<typeof addCartItemsSchema>;

/**
 * The lines of a cart after adding `items` in order, at the catalog's prices (`products`: every
 * requested product that exists, and the products of the cart's lines). An item already in the
 * cart (or earlier in `items`) adds to that line, which keeps the price of its first units. The
 * first item that breaks a rule throws, so a caller that writes only the result changes nothing.
 * @throws NotFoundError `product_not_found`, `variant_not_found`.
 * @throws DomainRuleError `product_unavailable`, `currency_mismatch`, `cart_full`.
 * @throws ValidationError `variant_required`, `quantity_too_large`.
 */
export function addItemsToLines(
  lines: readonly CartLine[],
  products: ReadonlyMap<string, Product>,
  items: readonly { readonly productId: string; readonly variantId: string | null; readonly quantity: number }[],
): CartLine[] {
  const out = [...lines];
  for (const item of items) {
    const price = unitPriceOf(sellable(products.get(item.productId), item.productId, item.variantId), item.variantId);
    // A cart holds one currency: the catalog's currency of every other line decides.
    for (const l of out) {
      const p = products.get(l.productId);
      if (p && !sameItem(l, item.productId, item.variantId) && p.price.currency !== price.currency)
        throw new DomainRuleError(
          coreCodes.currency_mismatch,
          `the cart holds ${p.price.currency} items; this one is in ${price.currency}`,
        );
    }
    const i = out.findIndex((l) => sameItem(l, item.productId, item.variantId));
    if (i === -1) {
      if (out.length >= MAX_CART_LINES) throw new DomainRuleError(commerceCodes.cart_full, `a cart holds at most ${MAX_CART_LINES} lines`);
      out.push({ productId: item.productId, variantId: item.variantId, quantity: item.quantity, addedUnitPrice: price });
      continue;
    }
    const quantity = out[i]!.quantity + item.quantity;
    if (quantity > MAX_LINE_QUANTITY)
      throw ValidationError.field(commerceCodes.quantity_too_large, "quantity", `a line holds at most ${MAX_LINE_QUANTITY} units`);
    // The line keeps the price of its first units: a change since then is reported before checkout.
    out[i] = { ...out[i]!, quantity };
  }
  return out;
}

/** The product if it can be added to a cart as asked. */
function sellable(p: Product | undefined, productId: string, variantId: string | null): Product {
  if (!p) throw NotFoundError.of(commerceCodes.product_not_found, "product", productId);
  if (p.status !== "active")
    throw new DomainRuleError(commerceCodes.product_unavailable, `product ${productId} is ${p.status}`, {
      details: { productId, status: p.status },
    });
  if (variantId === null && p.variants.length > 0)
    throw ValidationError.field(commerceCodes.variant_required, "variantId", "this product is sold by variant");
  if (variantId !== null && !p.variants.some((v) => v.id === variantId))
    throw NotFoundError.of(commerceCodes.variant_not_found, "variant", variantId);
  return p;
}

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
