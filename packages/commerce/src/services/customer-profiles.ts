import { NotFoundError, parse } from "@platform/core";
import { z } from "zod";
import { toProfile, updateProfileSchema, type CustomerProfile } from "../domain/customer.js";
import { refSchema, roleSchema, type Role } from "../domain/schemas.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

const setRolesSchema = z.object({ customerId: refSchema, roles: z.array(roleSchema).min(1).max(2) });

/**
 * Profile and roles of customers behind `UserService`; the caller has already resolved who may act
 * (the customer themself, or an admin for roles).
 */
export class CustomerProfiles {
  constructor(private readonly ctx: ServiceContext) {}

  /** @throws ValidationError for bad input. @throws NotFoundError `customer_not_found`. */
  async setRoles(input: { customerId: string; roles: Role[] }): Promise<CustomerProfile> {
    const data = parse(setRolesSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const c = await tx.customers.get(data.customerId);
      if (!c) throw NotFoundError.of(commerceCodes.customer_not_found, "customer", data.customerId);
      const next = { ...c, roles: [...new Set(data.roles)], updatedAt: this.ctx.clock.now(), version: c.version + 1 };
      await tx.customers.update(next, c.version);
      return toProfile(next);
    });
  }

  /** @throws NotFoundError `customer_not_found`. */
  async get(customerId: string): Promise<CustomerProfile> {
    const c = await this.ctx.store.transaction((tx) => tx.customers.get(customerId));
    if (!c) throw NotFoundError.of(commerceCodes.customer_not_found, "customer", customerId);
    return toProfile(c);
  }

  /** @throws ValidationError `invalid_name`, `invalid_phone`. @throws NotFoundError `customer_not_found`. */
  async update(customerId: string, input: { name?: string; phone?: string | null }): Promise<CustomerProfile> {
    const data = parse(updateProfileSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const c = await tx.customers.get(customerId);
      if (!c) throw NotFoundError.of(commerceCodes.customer_not_found, "customer", customerId);
      const next = {
        ...c,
        name: data.name ?? c.name,
        phone: data.phone === undefined ? c.phone : data.phone,
        updatedAt: this.ctx.clock.now(),
        version: c.version + 1,
      };
      await tx.customers.update(next, c.version);
      return toProfile(next);
    });
  }
}
