import { createEvent, createId, DomainRuleError, NotFoundError, parse, ValidationError } from "@platform/core";
import { z } from "zod";
import { snapshotAddress, type AddressSnapshot } from "../domain/address.js";
import {
  addCartItemSchema,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  mergeLines,
  removeCartItemSchema,
  sameItem,
  setCartQuantitySchema,
  type AddCartItemInput,
  type Cart,
  type CartLine,
  type GuestCartMerge,
} from "../domain/cart.js";
import { unitPriceOf, type Product } from "../domain/product.js";
import { actorSchema, refSchema, type Actor } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { CartPricing, CartView } from "./cart-pricing.js";
import type { ServiceContext } from "./service-context.js";

/** Which cart: a signed-in customer's (an {@link Actor}) or a guest cart by id. */
export type CartRef = Actor | { readonly guestCartId: string };

const cartRefSchema = z.union([z.object({ guestCartId: refSchema }).strict(), actorSchema]);

/** Shopping carts (`platform.carts`): prices come from the catalog, totals are recomputed. */
export class CartService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly pricing: CartPricing,
  ) {}

  /** Opens a guest cart; keep its id client-side and pass it to `users.login` to merge it. */
  async createGuestCart(): Promise<CartView> {
    return this.ctx.store.transaction(async (tx) => {
      const now = this.ctx.clock.now();
      const cart: Cart = { id: createId("cart"), customerId: null, lines: [], createdAt: now, updatedAt: now, version: 1 };
      await tx.carts.insert(cart);
      return this.view(tx, cart);
    });
  }

  /**
   * The cart with current prices, totals and issues (price changes, unavailable products).
   * @throws NotFoundError `cart_not_found`. @throws AuthenticationError `unauthenticated`.
   */
  async get(ref: CartRef): Promise<CartView> {
    const r = parseRef(ref);
    return this.ctx.store.transaction(async (tx) => this.view(tx, await this.load(tx, r)));
  }

  /**
   * Adds units of a product (or variant) at the catalog's price.
   * @throws ValidationError `invalid_quantity`, `quantity_too_large`.
   * @throws NotFoundError `product_not_found`, `variant_not_found`, `cart_not_found`.
   * @throws DomainRuleError `product_unavailable`, `variant_required`, `currency_mismatch`, `cart_full`.
   * @example
   * ```ts
   * await platform.carts.addItem(actor, { productId: laptop.id, quantity: 1 });
   * ```
   */
  async addItem(ref: CartRef, input: AddCartItemInput): Promise<CartView> {
    const r = parseRef(ref);
    const data = parse(addCartItemSchema, input);
    const variantId = data.variantId ?? null;
    return this.mutate(r, async (tx, cart) => {
      const product = await this.sellable(tx, data.productId, variantId);
      const price = unitPriceOf(product, variantId);
      const others = await tx.products.getMany(cart.lines.map((l) => l.productId));
      for (const l of cart.lines) {
        const p = others.get(l.productId);
        if (p && !sameItem(l, data.productId, variantId) && p.price.currency !== price.currency) {
          throw new DomainRuleError("currency_mismatch", `the cart holds ${p.price.currency} items; this one is in ${price.currency}`);
        }
      }
      const i = cart.lines.findIndex((l) => sameItem(l, data.productId, variantId));
      if (i === -1) {
        if (cart.lines.length >= MAX_CART_LINES) throw new DomainRuleError("cart_full", `a cart holds at most ${MAX_CART_LINES} lines`);
        return [...cart.lines, { productId: data.productId, variantId, quantity: data.quantity, addedUnitPrice: price }];
      }
      const quantity = cart.lines[i]!.quantity + data.quantity;
      if (quantity > MAX_LINE_QUANTITY) throw ValidationError.field("quantity_too_large", "quantity", `a line holds at most ${MAX_LINE_QUANTITY} units`);
      // The line keeps the price of its first units: a change since then is reported before checkout.
      return cart.lines.map((l, j) => (j === i ? { ...l, quantity } : l));
    });
  }

  /**
   * Sets the quantity of a line already in the cart.
   * @throws NotFoundError `line_not_found`. @throws ValidationError `invalid_quantity`, `quantity_too_large`.
   */
  async setQuantity(ref: CartRef, input: AddCartItemInput): Promise<CartView> {
    const r = parseRef(ref);
    const data = parse(setCartQuantitySchema, input);
    const variantId = data.variantId ?? null;
    return this.mutate(r, async (_tx, cart) => {
      if (!cart.lines.some((l) => sameItem(l, data.productId, variantId))) throw NotFoundError.of("line_not_found", "cart line", data.productId);
      return cart.lines.map((l) => (sameItem(l, data.productId, variantId) ? { ...l, quantity: data.quantity } : l));
    });
  }

  /** Removes a line. @throws NotFoundError `line_not_found`. */
  async removeItem(ref: CartRef, input: { productId: string; variantId?: string | null }): Promise<CartView> {
    const r = parseRef(ref);
    const data = parse(removeCartItemSchema, input);
    const variantId = data.variantId ?? null;
    return this.mutate(r, async (_tx, cart) => {
      if (!cart.lines.some((l) => sameItem(l, data.productId, variantId))) throw NotFoundError.of("line_not_found", "cart line", data.productId);
      return cart.lines.filter((l) => !sameItem(l, data.productId, variantId));
    });
  }

  /** Empties the cart. */
  async clear(ref: CartRef): Promise<CartView> {
    return this.mutate(parseRef(ref), async () => []);
  }

  /** Accepts reported changes: lines take the current price, unavailable lines are dropped. */
  async acceptChanges(ref: CartRef): Promise<CartView> {
    return this.mutate(parseRef(ref), async (tx, cart) => {
      const products = await tx.products.getMany(cart.lines.map((l) => l.productId));
      const out: CartLine[] = [];
      for (const l of cart.lines) {
        const p = products.get(l.productId);
        if (!p || p.status !== "active" || (l.variantId !== null && !p.variants.some((v) => v.id === l.variantId))) continue;
        out.push({ ...l, addedUnitPrice: unitPriceOf(p, l.variantId) });
      }
      return out;
    });
  }

  /**
   * @internal Used by `users.login` inside its transaction.
   * Moves a guest cart's lines into the customer's cart and deletes it. A cart holds one
   * currency: guest lines priced in another currency than the customer's cart are skipped and
   * reported (merging them would make the cart unreadable and checkout impossible).
   * An unknown or already-claimed guest cart is ignored (null): login must not fail because of it.
   */
  async mergeGuestCart(tx: CommerceTx, customerId: string, guestCartId: string): Promise<GuestCartMerge | null> {
    const guest = await tx.carts.get(guestCartId);
    if (!guest || guest.customerId !== null) return null;
    const now = this.ctx.clock.now();
    const mine = await tx.carts.getByCustomer(customerId);
    const products = await tx.products.getMany([...(mine?.lines ?? []), ...guest.lines].map((l) => l.productId));
    // The catalog's currency decides, as in addItem; a line whose product is gone keeps the price it was added at.
    const currencyOf = (l: CartLine) => products.get(l.productId)?.price.currency ?? l.addedUnitPrice.currency;
    const cartCurrency = mine && mine.lines.length > 0 ? currencyOf(mine.lines[0]!) : guest.lines.length > 0 ? currencyOf(guest.lines[0]!) : null;
    const kept = guest.lines.filter((l) => currencyOf(l) === cartCurrency);
    const skipped = guest.lines
      .filter((l) => currencyOf(l) !== cartCurrency)
      .map((l) => ({ productId: l.productId, variantId: l.variantId, quantity: l.quantity, currency: currencyOf(l), reason: "currency_mismatch" as const }));
    if (mine) await tx.carts.update({ ...mine, lines: mergeLines(mine.lines, kept), updatedAt: now, version: mine.version + 1 }, mine.version);
    else await tx.carts.insert({ id: createId("cart"), customerId, lines: kept, createdAt: now, updatedAt: now, version: 1 });
    await tx.carts.delete(guest.id);
    const cartId = mine?.id ?? (await tx.carts.getByCustomer(customerId))!.id;
    tx.outbox.add(createEvent("cart.merged", { cartId, guestCartId, customerId, skippedLines: skipped.length }, this.ctx.clock));
    return { guestCartId, merged: kept.length, skipped };
  }

  /** @internal Prices a cart (default: for its owner's default shipping address); used by checkout. */
  async view(tx: CommerceTx, cart: Cart, destination?: AddressSnapshot | null): Promise<CartView> {
    const products = await tx.products.getMany(cart.lines.map((l) => l.productId));
    let dest = destination ?? null;
    if (destination === undefined && cart.customerId !== null) {
      const a = (await tx.addresses.listByCustomer(cart.customerId)).find((x) => x.isDefaultShipping);
      dest = a ? snapshotAddress(a) : null;
    }
    return this.pricing.price(cart, products, dest);
  }

  /** @internal Loads (customer carts: creates) the referenced cart. */
  async load(tx: CommerceTx, ref: ParsedRef): Promise<Cart> {
    if ("guestCartId" in ref) {
      const cart = await tx.carts.get(ref.guestCartId);
      if (!cart || cart.customerId !== null) throw NotFoundError.of("cart_not_found", "cart", ref.guestCartId);
      return cart;
    }
    if (ref.customerId === null) throw new DomainRuleError("customer_required", "an admin actor has no cart");
    const existing = await tx.carts.getByCustomer(ref.customerId);
    if (existing) return existing;
    const now = this.ctx.clock.now();
    const cart: Cart = { id: createId("cart"), customerId: ref.customerId, lines: [], createdAt: now, updatedAt: now, version: 1 };
    await tx.carts.insert(cart);
    return cart;
  }

  private async mutate(ref: ParsedRef, change: (tx: CommerceTx, cart: Cart) => Promise<CartLine[]>): Promise<CartView> {
    return this.ctx.store.transaction(async (tx) => {
      const cart = await this.load(tx, ref);
      const lines = await change(tx, cart);
      const next: Cart = { ...cart, lines, updatedAt: this.ctx.clock.now(), version: cart.version + 1 };
      await tx.carts.update(next, cart.version);
      tx.outbox.add(createEvent("cart.updated", { cartId: next.id, customerId: next.customerId, lineCount: lines.length }, this.ctx.clock));
      return this.view(tx, next);
    });
  }

  private async sellable(tx: CommerceTx, productId: string, variantId: string | null): Promise<Product> {
    const p = await tx.products.get(productId);
    if (!p) throw NotFoundError.of("product_not_found", "product", productId);
    if (p.status !== "active") throw new DomainRuleError("product_unavailable", `product ${productId} is ${p.status}`, { details: { productId, status: p.status } });
    if (variantId === null && p.variants.length > 0) throw ValidationError.field("variant_required", "variantId", "this product is sold by variant");
    if (variantId !== null && !p.variants.some((v) => v.id === variantId)) throw NotFoundError.of("variant_not_found", "variant", variantId);
    return p;
  }
}

type ParsedRef = z.output<typeof cartRefSchema>;

function parseRef(ref: CartRef): ParsedRef {
  return parse(cartRefSchema, ref);
}
