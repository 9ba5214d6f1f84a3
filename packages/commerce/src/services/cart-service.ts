import {
  checkActor,
  createEvent,
  createId,
  DomainRuleError,
  NotFoundError,
  parse,
  requireActorId,
  ValidationError,
  coreCodes,
  type Actor,
} from "@platform/core";
import { z } from "zod";
import {
  addCartItemSchema,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  removeCartItemSchema,
  sameItem,
  setCartQuantitySchema,
  type AddCartItemInput,
  type Cart,
  type CartLine,
} from "../domain/cart.js";
import { unitPriceOf, type Product } from "../domain/product.js";
import { refSchema } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import { loadCart, viewCart, type CartTarget } from "./cart-operations.js";
import type { CartPricing, CartView } from "./cart-pricing.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

/**
 * Which cart a cart call works on, in its input: without `guestCartId`, the signed-in actor's own
 * cart; with it, that guest cart (for any actor). A guest cart's id is its only credential (an
 * unguessable `cart_...` id): keep it client-side like a session token.
 */
export interface CartRef {
  readonly guestCartId?: string;
}

const guestCartIdSchema = z.object({ guestCartId: refSchema.optional() });

/** Shopping carts (`platform.carts`): prices come from the catalog, totals are recomputed. */
export class CartService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly pricing: CartPricing,
  ) {}

  /**
   * Opens a guest cart (any actor); keep its id client-side, name it as `guestCartId` in cart calls,
   * and pass it to `users.login` to merge it.
   * @throws ValidationError `invalid_actor`.
   */
  async createGuestCart(actor: Actor, _input: Record<string, never> = {}): Promise<CartView> {
    checkActor(actor);
    return this.ctx.store.transaction(async (tx) => {
      const now = this.ctx.clock.now();
      const cart: Cart = { id: createId("cart"), customerId: null, lines: [], createdAt: now, updatedAt: now, version: 1 };
      await tx.carts.insert(cart);
      return this.priced(tx, cart);
    });
  }

  /**
   * The cart with current prices, totals and issues (price changes, unavailable products).
   * @throws NotFoundError `cart_not_found`. @throws AuthenticationError `unauthenticated` (no `guestCartId` and no signed-in actor).
   */
  async get(actor: Actor, input: CartRef = {}): Promise<CartView> {
    const r = targetOf(actor, input);
    return this.ctx.store.transaction(async (tx) => this.priced(tx, await loadCart(tx, this.ctx.clock, r)));
  }

  /**
   * Adds units of a product (or variant) at the catalog's price.
   * @throws ValidationError `invalid_quantity`, `quantity_too_large`.
   * @throws NotFoundError `product_not_found`, `variant_not_found`, `cart_not_found`.
   * @throws DomainRuleError `product_unavailable`, `variant_required`, `currency_mismatch`, `cart_full`.
   * @example
   * ```ts
   * await platform.carts.addItem(actor, { productId: laptop.id, quantity: 1 });
   * await platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId, productId: laptop.id, quantity: 1 });
   * ```
   */
  async addItem(actor: Actor, input: CartRef & AddCartItemInput): Promise<CartView> {
    const r = targetOf(actor, input);
    const data = parse(addCartItemSchema, input);
    const variantId = data.variantId ?? null;
    return this.mutate(r, async (tx, cart) => {
      // One read for the added product and the cart's others; the cart is priced from it too.
      const others = await tx.products.getMany([data.productId, ...cart.lines.map((l) => l.productId)]);
      const product = sellable(others.get(data.productId), data.productId, variantId);
      const price = unitPriceOf(product, variantId);
      for (const l of cart.lines) {
        const p = others.get(l.productId);
        if (p && !sameItem(l, data.productId, variantId) && p.price.currency !== price.currency) {
          throw new DomainRuleError(
            coreCodes.currency_mismatch,
            `the cart holds ${p.price.currency} items; this one is in ${price.currency}`,
          );
        }
      }
      const i = cart.lines.findIndex((l) => sameItem(l, data.productId, variantId));
      if (i === -1) {
        if (cart.lines.length >= MAX_CART_LINES)
          throw new DomainRuleError(commerceCodes.cart_full, `a cart holds at most ${MAX_CART_LINES} lines`);
        return {
          lines: [...cart.lines, { productId: data.productId, variantId, quantity: data.quantity, addedUnitPrice: price }],
          products: others,
        };
      }
      const quantity = cart.lines[i]!.quantity + data.quantity;
      if (quantity > MAX_LINE_QUANTITY)
        throw ValidationError.field(commerceCodes.quantity_too_large, "quantity", `a line holds at most ${MAX_LINE_QUANTITY} units`);
      // The line keeps the price of its first units: a change since then is reported before checkout.
      return { lines: cart.lines.map((l, j) => (j === i ? { ...l, quantity } : l)), products: others };
    });
  }

  /**
   * Sets the quantity of a line already in the cart.
   * @throws NotFoundError `line_not_found`. @throws ValidationError `invalid_quantity`, `quantity_too_large`.
   */
  async setQuantity(actor: Actor, input: CartRef & AddCartItemInput): Promise<CartView> {
    const r = targetOf(actor, input);
    const data = parse(setCartQuantitySchema, input);
    const variantId = data.variantId ?? null;
    return this.mutate(r, async (_tx, cart) => {
      if (!cart.lines.some((l) => sameItem(l, data.productId, variantId)))
        throw NotFoundError.of(commerceCodes.line_not_found, "cart line", data.productId);
      return cart.lines.map((l) => (sameItem(l, data.productId, variantId) ? { ...l, quantity: data.quantity } : l));
    });
  }

  /** Removes a line. @throws NotFoundError `line_not_found`. */
  async removeItem(actor: Actor, input: CartRef & { productId: string; variantId?: string | null }): Promise<CartView> {
    const r = targetOf(actor, input);
    const data = parse(removeCartItemSchema, input);
    const variantId = data.variantId ?? null;
    return this.mutate(r, async (_tx, cart) => {
      if (!cart.lines.some((l) => sameItem(l, data.productId, variantId)))
        throw NotFoundError.of(commerceCodes.line_not_found, "cart line", data.productId);
      return cart.lines.filter((l) => !sameItem(l, data.productId, variantId));
    });
  }

  /** Empties the cart. */
  async clear(actor: Actor, input: CartRef = {}): Promise<CartView> {
    return this.mutate(targetOf(actor, input), async () => []);
  }

  /** Accepts reported changes: lines take the current price, unavailable lines are dropped. */
  async acceptChanges(actor: Actor, input: CartRef = {}): Promise<CartView> {
    return this.mutate(targetOf(actor, input), async (tx, cart) => {
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

  private priced(tx: CommerceTx, cart: Cart): Promise<CartView> {
    return viewCart(tx, this.pricing, cart);
  }

  /**
   * Runs `change` on the loaded cart and stores its lines. A change that read every product of the
   * new lines (in this transaction) hands them back, and the cart is priced from them without a re-read.
   */
  private async mutate(
    ref: CartTarget,
    change: (tx: CommerceTx, cart: Cart) => Promise<CartLine[] | { lines: CartLine[]; products: ReadonlyMap<string, Product> }>,
  ): Promise<CartView> {
    return this.ctx.store.transaction(async (tx) => {
      const cart = await loadCart(tx, this.ctx.clock, ref);
      const changed = await change(tx, cart);
      const { lines, products } = Array.isArray(changed) ? { lines: changed, products: undefined } : changed;
      const next: Cart = { ...cart, lines, updatedAt: this.ctx.clock.now(), version: cart.version + 1 };
      await tx.carts.update(next, cart.version);
      tx.outbox.add(createEvent("cart.updated", { cartId: next.id, customerId: next.customerId, lineCount: lines.length }, this.ctx.clock));
      return viewCart(tx, this.pricing, next, undefined, products);
    });
  }
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

// The guest cart named in the input, else the signed-in actor's own cart.
function targetOf(actor: Actor, input: CartRef): CartTarget {
  const { guestCartId } = parse(guestCartIdSchema, { guestCartId: input?.guestCartId });
  if (guestCartId === undefined) return { customerId: requireActorId(actor) };
  checkActor(actor);
  return { guestCartId };
}
