import { checkActor, createEvent, createId, NotFoundError, parse, requireActorId, type Actor } from "@platform/core";
import { z } from "zod";
import { snapshotAddress } from "../domain/address.js";
import {
  addCartItemSchema,
  addCartItemsSchema,
  addItemsToLines,
  removeCartItemSchema,
  sameItem,
  setCartQuantitySchema,
  type AddCartItemInput,
  type AddCartItemsInput,
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
   * Adds units of a product (or variant) at the catalog's price: {@link addItems} with one item.
   * @throws ValidationError `invalid_quantity`, `quantity_too_large`, `variant_required`.
   * @throws NotFoundError `product_not_found`, `variant_not_found`, `cart_not_found`.
   * @throws DomainRuleError `product_unavailable`, `currency_mismatch`, `cart_full`.
   * @example
   * ```ts
   * await platform.carts.addItem(actor, { productId: laptop.id, quantity: 1 });
   * await platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId, productId: laptop.id, quantity: 1 });
   * ```
   */
  async addItem(actor: Actor, input: CartRef & AddCartItemInput): Promise<CartView> {
    const r = targetOf(actor, input);
    return this.add(r, [parse(addCartItemSchema, input)]);
  }

  /**
   * Adds several items in one change (as Medusa's add-to-cart takes a list), each with the rules of
   * {@link addItem}, in order: an item already in the cart, or earlier in the list, adds to that
   * line. All or nothing: the first item that breaks a rule throws and the cart is left unchanged.
   * @throws ValidationError `invalid_items` (not 1 to 100 items), `invalid_quantity`, `quantity_too_large`, `variant_required`.
   * @throws NotFoundError `product_not_found`, `variant_not_found`, `cart_not_found`.
   * @throws DomainRuleError `product_unavailable`, `currency_mismatch`, `cart_full`.
   * @example
   * ```ts
   * await platform.carts.addItems(actor, {
   *   items: [
   *     { productId: laptop.id, quantity: 1 },
   *     { productId: mouse.id, quantity: 2 },
   *   ],
   * });
   * ```
   */
  async addItems(actor: Actor, input: CartRef & AddCartItemsInput): Promise<CartView> {
    const r = targetOf(actor, input);
    return this.add(r, parse(addCartItemsSchema, input).items);
  }

  private add(
    ref: CartTarget,
    items: readonly { productId: string; variantId?: string | null | undefined; quantity: number }[],
  ): Promise<CartView> {
    const requests = items.map((i) => ({ productId: i.productId, variantId: i.variantId ?? null, quantity: i.quantity }));
    // The requested products are read with the cart (one round trip where the store pipelines).
    return this.mutate(
      ref,
      async (tx, cart, requested) => {
        const missing = [...new Set(cart.lines.map((l) => l.productId))].filter((id) => !requested.has(id));
        const products = missing.length === 0 ? requested : new Map([...requested, ...(await tx.products.getMany(missing))]);
        return { lines: addItemsToLines(cart.lines, products, requests), products };
      },
      [...new Set(requests.map((i) => i.productId))],
    );
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
   * Runs `change` on the loaded cart and stores its lines. The cart, the products of `prefetch`
   * and the owner's addresses (for pricing) are read together (one round trip where the store
   * pipelines). A change that read every product of the new lines (in this transaction) hands them
   * back, and the cart is priced from them without a re-read.
   */
  private async mutate(
    ref: CartTarget,
    change: (
      tx: CommerceTx,
      cart: Cart,
      prefetched: ReadonlyMap<string, Product>,
    ) => Promise<CartLine[] | { lines: CartLine[]; products: ReadonlyMap<string, Product> }>,
    prefetch: readonly string[] = [],
  ): Promise<CartView> {
    return this.ctx.store.transaction(async (tx) => {
      const [cart, prefetched, addresses] = await Promise.all([
        loadCart(tx, this.ctx.clock, ref),
        prefetch.length > 0 ? tx.products.getMany(prefetch) : new Map<string, Product>(),
        // A guest cart has no owner, so no default address to price it for.
        "customerId" in ref ? tx.addresses.listByCustomer(ref.customerId) : null,
      ]);
      const changed = await change(tx, cart, prefetched);
      const { lines, products } = Array.isArray(changed) ? { lines: changed, products: undefined } : changed;
      const next: Cart = { ...cart, lines, updatedAt: this.ctx.clock.now(), version: cart.version + 1 };
      await tx.carts.update(next, cart.version);
      tx.outbox.add(createEvent("cart.updated", { cartId: next.id, customerId: next.customerId, lineCount: lines.length }, this.ctx.clock));
      const shipTo = addresses?.find((a) => a.isDefaultShipping);
      return viewCart(tx, this.pricing, next, shipTo ? snapshotAddress(shipTo) : null, products);
    });
  }
}

// The guest cart named in the input, else the signed-in actor's own cart.
function targetOf(actor: Actor, input: CartRef): CartTarget {
  const { guestCartId } = parse(guestCartIdSchema, { guestCartId: input?.guestCartId });
  if (guestCartId === undefined) return { customerId: requireActorId(actor) };
  checkActor(actor);
  return { guestCartId };
}
