import { ConflictError, type MemoryTable } from "@platform/core";
import type { Cart } from "../../domain/cart.js";
import type { CartRepository } from "../../ports/cart-repository.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** {@link CartRepository} on a memory table, one cart per customer. */
export class MemoryCartRepository implements CartRepository {
  constructor(private readonly table: MemoryTable<Cart, "customer">) {}
  async get(id: string): Promise<Cart | null> {
    return this.table.get(id) ?? null;
  }
  async getByCustomer(customerId: string): Promise<Cart | null> {
    return this.table.getByUnique("customer", customerId) ?? null;
  }
  async insert(cart: Cart): Promise<void> {
    this.table.insert(cart);
  }
  async update(cart: Cart, expectedVersion: number): Promise<void> {
    const current = this.table.get(cart.id);
    if (!current || current.version !== expectedVersion)
      throw new ConflictError(commerceCodes.version_conflict, `cart ${cart.id} was changed concurrently`);
    this.table.put(cart);
  }
  async delete(id: string): Promise<void> {
    this.table.delete(id);
  }
}
