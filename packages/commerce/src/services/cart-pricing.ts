import { Money, type MoneyJSON } from "@platform/core";
import type { AddressSnapshot } from "../domain/address.js";
import type { Cart } from "../domain/cart.js";
import { unitPriceOf, type Product } from "../domain/product.js";
import type { ShippingCalculator, TaxCalculator } from "../ports/pricing-ports.js";

/** Something that changed since an item was added, reported before checkout. */
export type CartIssue =
  | { code: "price_changed"; productId: string; variantId: string | null; previous: MoneyJSON; current: MoneyJSON }
  | { code: "product_unavailable"; productId: string; variantId: string | null; status: string };

/** A cart line priced from the catalog. */
export interface PricedLine {
  readonly productId: string;
  readonly variantId: string | null;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly lineTotal: Money;
  readonly available: boolean;
}

/** A cart with current catalog prices and freshly computed totals. */
export interface CartView {
  readonly id: string;
  readonly customerId: string | null;
  readonly currency: string;
  readonly lines: readonly PricedLine[];
  readonly itemCount: number;
  readonly subtotal: Money;
  readonly shipping: Money;
  readonly tax: Money;
  readonly total: Money;
  readonly issues: readonly CartIssue[];
  readonly version: number;
  readonly updatedAt: Date;
}

/** A priced cart as it crosses the wire. */
export interface CartJSON {
  id: string;
  customerId: string | null;
  currency: string;
  lines: {
    productId: string;
    variantId: string | null;
    sku: string;
    name: string;
    quantity: number;
    unitPrice: MoneyJSON;
    lineTotal: MoneyJSON;
    available: boolean;
  }[];
  itemCount: number;
  subtotal: MoneyJSON;
  shipping: MoneyJSON;
  tax: MoneyJSON;
  total: MoneyJSON;
  issues: CartIssue[];
  updatedAt: string;
}

/**
 * The wire view of a cart as `carts.*` return it: current prices and totals, issues to show before
 * checkout. It copies the fields it keeps, so the checkout claim and version stay on the server.
 * @example
 * ```ts
 * return c.json(toCartJSON(await shop.carts.addItem(actor, { productId, quantity: 1 })));
 * ```
 */
export function toCartJSON(cart: CartView): CartJSON {
  return {
    id: cart.id,
    customerId: cart.customerId,
    currency: cart.currency,
    lines: cart.lines.map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice.toJSON(),
      lineTotal: l.lineTotal.toJSON(),
      available: l.available,
    })),
    itemCount: cart.itemCount,
    subtotal: cart.subtotal.toJSON(),
    shipping: cart.shipping.toJSON(),
    tax: cart.tax.toJSON(),
    total: cart.total.toJSON(),
    issues: cart.issues.map((i) => ({ ...i })),
    updatedAt: cart.updatedAt.toISOString(),
  };
}

/**
 * Prices carts from the catalog and recomputes totals from scratch every time (a running
 * total kept on the side drifts). Unavailable lines are shown but not charged.
 */
export class CartPricing {
  constructor(
    private readonly shippingCalculator: ShippingCalculator,
    private readonly taxCalculator: TaxCalculator,
    private readonly defaultCurrency: string,
  ) {}

  /** Prices `cart` with `products` (by id) for an optional destination. */
  price(cart: Cart, products: ReadonlyMap<string, Product>, destination: AddressSnapshot | null): CartView {
    const issues: CartIssue[] = [];
    const lines: PricedLine[] = [];
    let currency: string | null = null;
    for (const line of cart.lines) {
      const p = products.get(line.productId);
      const variant = line.variantId === null ? null : p?.variants.find((v) => v.id === line.variantId);
      const ok = p !== undefined && p.status === "active" && (line.variantId === null ? p.variants.length === 0 : variant !== undefined);
      if (!ok) {
        issues.push({ code: "product_unavailable", productId: line.productId, variantId: line.variantId, status: p?.status ?? "deleted" });
        lines.push({
          productId: line.productId,
          variantId: line.variantId,
          sku: variant?.sku ?? p?.sku ?? "",
          name: p?.name ?? "",
          quantity: line.quantity,
          unitPrice: line.addedUnitPrice,
          lineTotal: line.addedUnitPrice.times(line.quantity),
          available: false,
        });
        continue;
      }
      const unitPrice = unitPriceOf(p, line.variantId);
      currency ??= unitPrice.currency;
      if (!unitPrice.equals(line.addedUnitPrice)) {
        issues.push({
          code: "price_changed",
          productId: line.productId,
          variantId: line.variantId,
          previous: line.addedUnitPrice.toJSON(),
          current: unitPrice.toJSON(),
        });
      }
      lines.push({
        productId: p.id,
        variantId: line.variantId,
        sku: variant?.sku ?? p.sku,
        name: p.name,
        quantity: line.quantity,
        unitPrice,
        lineTotal: unitPrice.times(line.quantity),
        available: true,
      });
    }
    const cur = currency ?? this.defaultCurrency;
    const charged = lines.filter((l) => l.available);
    const subtotal = Money.sum(
      charged.map((l) => l.lineTotal),
      cur,
    );
    const ctx = { currency: cur, subtotal, lines: charged, shippingAddress: destination };
    const shipping = this.shippingCalculator.shipping(ctx);
    const tax = this.taxCalculator.tax({ ...ctx, shipping });
    return {
      id: cart.id,
      customerId: cart.customerId,
      currency: cur,
      lines,
      itemCount: charged.reduce((n, l) => n + l.quantity, 0),
      subtotal,
      shipping,
      tax,
      total: subtotal.add(shipping).add(tax),
      issues,
      version: cart.version,
      updatedAt: cart.updatedAt,
    };
  }
}
