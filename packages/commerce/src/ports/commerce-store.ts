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
  /** Login attempts per e-mail. */
  readonly loginThrottles: LoginThrottleRepository;
  /** Login attempts per caller-supplied client key (e.g. the IP address). */
  readonly clientThrottles: LoginThrottleRepository;
  readonly addresses: AddressRepository;
  readonly carts: CartRepository;
  readonly inventory: InventoryRepository;
  readonly orders: OrderRepository;
  readonly notifications: NotificationRepository;
  readonly outbox: EventOutbox;
}

/** The commerce store port: a unit of work over {@link CommerceTx} that signs its page cursors. */
export interface CommerceStore extends UnitOfWork<CommerceTx> {
  /**
   * Signs and checks this store's page cursors with `secret` from now on (the platform's
   * `cursorSecret`). Without one the store uses its process's random secret.
   * @throws ConfigurationError `weak_cursor_secret` (shorter than 32 characters).
   */
  setCursorSecret(secret: string): void;
}
