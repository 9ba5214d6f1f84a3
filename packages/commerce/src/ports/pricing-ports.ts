import type { Money } from "@platform/core";
import type { AddressSnapshot } from "../domain/address.js";

/** What a shipping or tax calculator sees of a cart or order. */
export interface PricingContext {
  readonly currency: string;
  readonly subtotal: Money;
  readonly lines: readonly { productId: string; variantId: string | null; quantity: number; lineTotal: Money }[];
  /** Destination, when known. */
  readonly shippingAddress: AddressSnapshot | null;
}

/** Computes the shipping charge. Must be pure and deterministic. */
export interface ShippingCalculator {
  shipping(context: PricingContext): Money;
}

/** Computes the tax. Must be pure and deterministic. */
export interface TaxCalculator {
  tax(context: PricingContext & { shipping: Money }): Money;
}
