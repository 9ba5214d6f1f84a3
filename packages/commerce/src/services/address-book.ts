import {
  createId,
  NotFoundError,
  pageRequestSchema,
  paginate,
  parse,
  requireActorId,
  type Page,
  type PageRequest,
  type Actor,
} from "@platform/core";
import { z } from "zod";
import { addAddressSchema, setDefaultAddressSchema, type AddAddressInput, type Address } from "../domain/address.js";
import { refSchema } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

/** Addresses of the signed-in customer, with one default shipping and one default billing address. */
export class AddressBook {
  constructor(protected readonly ctx: ServiceContext) {}

  /** The customer id of a signed-in actor. @throws AuthenticationError `unauthenticated`. */
  protected customerOf(actor: Actor): string {
    return requireActorId(actor);
  }

  /**
   * Adds an address; flagged defaults replace the previous ones, and a customer's first
   * address becomes both defaults.
   * @throws ValidationError `invalid_address`, `invalid_country`.
   */
  async addAddress(actor: Actor, input: AddAddressInput): Promise<Address> {
    const customerId = this.customerOf(actor);
    const data = parse(addAddressSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const existing = await tx.addresses.listByCustomer(customerId);
      const address: Address = {
        id: createId("addr"),
        customerId,
        name: data.name,
        line1: data.line1,
        line2: data.line2 ?? null,
        city: data.city,
        region: data.region ?? null,
        postalCode: data.postalCode,
        country: data.country,
        phone: data.phone ?? null,
        isDefaultShipping: data.isDefaultShipping || existing.length === 0,
        isDefaultBilling: data.isDefaultBilling || existing.length === 0,
        createdAt: this.ctx.clock.now(),
      };
      await this.clearDefaults(tx, existing, address);
      await tx.addresses.save(address);
      return address;
    });
  }

  /** The customer's addresses, oldest first, a page at a time. @throws ValidationError `invalid_cursor`. */
  async listAddresses(actor: Actor, input: PageRequest = {}): Promise<Page<Address>> {
    const customerId = this.customerOf(actor);
    const q = parse(pageRequestSchema, input);
    const all = await this.ctx.store.transaction((tx) => tx.addresses.listByCustomer(customerId));
    return paginate(all, q, {
      kind: "addresses.by_customer",
      key: (a) => [a.createdAt.getTime(), a.id],
      direction: "asc",
      codec: this.ctx.cursors,
    });
  }

  /** Makes an address the default for shipping or billing. @throws NotFoundError `address_not_found` (also for another customer's address). */
  async setDefaultAddress(actor: Actor, input: { addressId: string; kind: "shipping" | "billing" }): Promise<Address> {
    const customerId = this.customerOf(actor);
    const data = parse(setDefaultAddressSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const a = await this.owned(tx, customerId, data.addressId);
      const next = data.kind === "shipping" ? { ...a, isDefaultShipping: true } : { ...a, isDefaultBilling: true };
      await this.clearDefaults(tx, await tx.addresses.listByCustomer(customerId), next);
      await tx.addresses.save(next);
      return next;
    });
  }

  /** Deletes an address. @throws NotFoundError `address_not_found`. */
  async removeAddress(actor: Actor, input: { addressId: string }): Promise<void> {
    const customerId = this.customerOf(actor);
    const { addressId: id } = parse(removeAddressSchema, input);
    await this.ctx.store.transaction(async (tx) => {
      await this.owned(tx, customerId, id);
      await tx.addresses.delete(id);
    });
  }

  /** An address of this customer; another customer's answers not_found (no existence leak). */
  protected async owned(tx: CommerceTx, customerId: string, id: string): Promise<Address> {
    const a = await tx.addresses.get(id);
    if (!a || a.customerId !== customerId) throw NotFoundError.of(commerceCodes.address_not_found, "address", id);
    return a;
  }

  private async clearDefaults(tx: CommerceTx, existing: readonly Address[], winner: Address): Promise<void> {
    for (const a of existing) {
      if (a.id === winner.id) continue;
      const shipping = winner.isDefaultShipping && a.isDefaultShipping;
      const billing = winner.isDefaultBilling && a.isDefaultBilling;
      if (shipping || billing)
        await tx.addresses.save({
          ...a,
          isDefaultShipping: a.isDefaultShipping && !shipping,
          isDefaultBilling: a.isDefaultBilling && !billing,
        });
    }
  }
}

const removeAddressSchema = z.object({ addressId: refSchema });
