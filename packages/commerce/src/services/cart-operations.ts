import { createEvent, createId, NotFoundError, type Clock } from "@platform/core";
import { snapshotAddress, type AddressSnapshot } from "../domain/address.js";
import { mergeLines, type Cart, type CartLine, type GuestCartMerge } from "../domain/cart.js";
import type { Order } from "../domain/order.js";
import type { Product } from "../domain/product.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { CartPricing, CartView } from "./cart-pricing.js";
import { commerceCodes } from "../domain/error-codes.js";

// Cart work inside a caller's transaction (login merges a guest cart, checkout prices the cart):
// not a public service method, since it takes a transaction, not an actor.

/** Which cart a cart call works on: the signed-in customer's, or a guest cart by id. */
export type CartTarget = { readonly customerId: string } | { readonly guestCartId: string };

/**
 * Moves a guest cart's lines into the customer's cart and deletes it. A cart holds one
 * currency: guest lines priced in another currency than the customer's cart are skipped and
 * reported (merging them would make the cart unreadable and checkout impossible).
 * An unknown or already-claimed guest cart is ignored (null): login must not fail because of it.
 */
export async function mergeGuestCart(
  tx: CommerceTx,
  clock: Clock,
  customerId: string,
  guestCartId: string,
): Promise<GuestCartMerge | null> {
  const guest = await tx.carts.get(guestCartId);
  if (!guest || guest.customerId !== null) return null;
  const now = clock.now();
  const mine = await tx.carts.getByCustomer(customerId);
  const products = await tx.products.getMany([...(mine?.lines ?? []), ...guest.lines].map((l) => l.productId));
  // The catalog's currency decides, as in addItem; a line whose product is gone keeps the price it was added at.
  const currencyOf = (l: CartLine) => products.get(l.productId)?.price.currency ?? l.addedUnitPrice.currency;
  const cartCurrency =
    mine && mine.lines.length > 0 ? currencyOf(mine.lines[0]!) : guest.lines.length > 0 ? currencyOf(guest.lines[0]!) : null;
  const kept = guest.lines.filter((l) => currencyOf(l) === cartCurrency);
  const skipped = guest.lines
    .filter((l) => currencyOf(l) !== cartCurrency)
    .map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      quantity: l.quantity,
      currency: currencyOf(l),
      reason: "currency_mismatch" as const,
    }));
  if (mine)
    await tx.carts.update({ ...mine, lines: mergeLines(mine.lines, kept), updatedAt: now, version: mine.version + 1 }, mine.version);
  else await tx.carts.insert({ id: createId("cart"), customerId, lines: kept, createdAt: now, updatedAt: now, version: 1 });
  await tx.carts.delete(guest.id);
  const cartId = mine?.id ?? (await tx.carts.getByCustomer(customerId))!.id;
  tx.outbox.add(createEvent("cart.merged", { cartId, guestCartId, customerId, skippedLines: skipped.length }, clock));
  return { guestCartId, merged: kept.length, skipped };
}

/**
 * Prices a cart (default: for its owner's default shipping address). `loaded`: the cart's products
 * as already read in this transaction (every line's product that exists), so they are not read again.
 */
export async function viewCart(
  tx: CommerceTx,
  pricing: CartPricing,
  cart: Cart,
  destination?: AddressSnapshot | null,
  loaded?: ReadonlyMap<string, Product>,
): Promise<CartView> {
  // Both reads are sent together (one round trip where the store pipelines).
  const [products, addresses] = await Promise.all([
    loaded ?? tx.products.getMany(cart.lines.map((l) => l.productId)),
    destination === undefined && cart.customerId !== null ? tx.addresses.listByCustomer(cart.customerId) : null,
  ]);
  const a = addresses?.find((x) => x.isDefaultShipping);
  const dest = destination === undefined ? (a ? snapshotAddress(a) : null) : destination;
  return pricing.price(cart, products, dest);
}

/** Loads the targeted cart; a customer's cart is created on first use. @throws NotFoundError `cart_not_found`. */
export async function loadCart(tx: CommerceTx, clock: Clock, target: CartTarget): Promise<Cart> {
  if ("guestCartId" in target) {
    const cart = await tx.carts.get(target.guestCartId);
    if (!cart || cart.customerId !== null) throw NotFoundError.of(commerceCodes.cart_not_found, "cart", target.guestCartId);
    return cart;
  }
  const existing = await tx.carts.getByCustomer(target.customerId);
  if (existing) return existing;
  const now = clock.now();
  const cart: Cart = { id: createId("cart"), customerId: target.customerId, lines: [], createdAt: now, updatedAt: now, version: 1 };
  await tx.carts.insert(cart);
  return cart;
}

/** Takes an order's purchased units out of its customer's cart (items added meanwhile stay) and frees the cart's claim. */
export async function removePurchased(tx: CommerceTx, clock: Clock, cart: Cart, order: Order): Promise<void> {
  const lines = cart.lines
    .map((l) => {
      const bought = order.lines
        .filter((o) => o.productId === l.productId && o.variantId === l.variantId)
        .reduce((n, o) => n + o.quantity, 0);
      return { ...l, quantity: l.quantity - bought };
    })
    .filter((l) => l.quantity > 0);
  const checkoutOrderId = cart.checkoutOrderId === order.id ? null : (cart.checkoutOrderId ?? null);
  await tx.carts.update({ ...cart, lines, checkoutOrderId, updatedAt: clock.now(), version: cart.version + 1 }, cart.version);
  tx.outbox.add(createEvent("cart.updated", { cartId: cart.id, customerId: cart.customerId, lineCount: lines.length }, clock));
}
