import { NotFoundError, type parse } from "@platform/core";
import { snapshotAddress, type AddressSnapshot } from "../domain/address.js";
import type { checkoutSchema } from "../domain/order.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import { commerceCodes } from "../domain/error-codes.js";

/** The addresses an order is placed with. */
export interface CheckoutAddresses {
  readonly shippingAddress: AddressSnapshot | null;
  readonly billingAddress: AddressSnapshot | null;
}

/**
 * The order's addresses: named ones (the customer's own), an inline shipping address, else the
 * customer's defaults (billing falls back to shipping). The defaults are one read for both, and
 * every read is sent at once (one round trip where the store pipelines).
 * @throws NotFoundError `address_not_found`.
 */
export async function checkoutAddresses(
  tx: CommerceTx,
  customerId: string,
  data: ReturnType<typeof parse<typeof checkoutSchema>>,
): Promise<CheckoutAddresses> {
  const named = async (id: string) => {
    const a = await tx.addresses.get(id);
    if (!a || a.customerId !== customerId) throw NotFoundError.of(commerceCodes.address_not_found, "address", id);
    return snapshotAddress(a);
  };
  const inline = data.shippingAddress;
  const needsDefaults = (!inline && !data.shippingAddressId) || !data.billingAddressId;
  const [defaults, namedShipping, namedBilling] = await Promise.all([
    needsDefaults ? tx.addresses.listByCustomer(customerId) : [],
    !inline && data.shippingAddressId ? named(data.shippingAddressId) : null,
    data.billingAddressId ? named(data.billingAddressId) : null,
  ]);
  const byDefault = (kind: "shipping" | "billing") => {
    const def = defaults.find((a) => (kind === "shipping" ? a.isDefaultShipping : a.isDefaultBilling));
    return def ? snapshotAddress(def) : null;
  };
  const shippingAddress: AddressSnapshot | null = inline
    ? {
        name: inline.name!,
        line1: inline.line1!,
        line2: inline.line2 ?? null,
        city: inline.city!,
        region: inline.region ?? null,
        postalCode: inline.postalCode!,
        country: inline.country!,
        phone: inline.phone ?? null,
      }
    : (namedShipping ?? byDefault("shipping"));
  const billingAddress = namedBilling ?? byDefault("billing") ?? shippingAddress;
  return { shippingAddress, billingAddress };
}
