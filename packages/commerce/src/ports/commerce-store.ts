import type { EventOutbox, UnitOfWork } from "@platform/core";
import type { CartRepository } from "./cart-repository.js";
import type { CategoryRepository } from "./category-repository.js";
import type { AddressRepository, CustomerRepository, LoginThrottleRepository, SessionRepository } from "./customer-repository.js";
import type { InventoryRepository } from "./inventory-repository.js";
import type { NotificationRepository } from "./notification-repository.js";
import type { OrderRepository } from "./order-repository.js";
import type { ProductRepository } from "./product-repository.js";

/** What a commerce transaction offers: every repository plus the event outbox. */
export interface CommerceTx {
  readonly products: ProductRepository;
  readonly categories: CategoryRepository;
  readonly customers: CustomerRepository;
  readonly sessions: SessionRepository;
  readonly loginThrottles: LoginThrottleRepository;
  readonly addresses: AddressRepository;
  readonly carts: CartRepository;
  readonly inventory: InventoryRepository;
  readonly orders: OrderRepository;
  readonly notifications: NotificationRepository;
  readonly outbox: EventOutbox;
}

/** The commerce store port: a unit of work over {@link CommerceTx}. */
export type CommerceStore = UnitOfWork<CommerceTx>;
