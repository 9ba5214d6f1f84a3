import { CursorCodec, defaultCursorCodec, MemoryStore, type MemoryTransaction } from "@platform/core";
import type { Address } from "../../domain/address.js";
import type { Cart } from "../../domain/cart.js";
import type { Category } from "../../domain/category.js";
import type { Customer } from "../../domain/customer.js";
import type { Reservation, StockAdjustment, StockLevel } from "../../domain/inventory.js";
import type { Order } from "../../domain/order.js";
import type { Product } from "../../domain/product.js";
import type { LoginThrottle } from "../../domain/login-throttle.js";
import type { Session } from "../../domain/session.js";
import type { CommerceStore, CommerceTx } from "../../ports/commerce-store.js";
import { MemoryCartRepository } from "./memory-cart-repository.js";
import { MemoryCategoryRepository } from "./memory-category-repository.js";
import {
  DEFAULT_MEMORY_THROTTLE_ROWS,
  MemoryAddressRepository,
  MemoryCustomerRepository,
  MemoryLoginThrottleRepository,
  MemorySessionRepository,
} from "./memory-customer-repositories.js";
import { MemoryInventoryRepository } from "./memory-inventory-repository.js";
import { MemoryNotificationRepository, type NotificationRow } from "./memory-notification-repository.js";
import { MemoryNotificationQueues } from "./memory-notification-queues.js";
import { idempotencyIndexKey, MemoryOrderRepository } from "./memory-order-repository.js";
import { MemoryProductRepository, type SkuRow } from "./memory-product-repository.js";
import { MemoryProductSearchIndex } from "./memory-product-search-index.js";
import { MemoryProductBrowseIndex } from "./memory-product-browse-index.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** Options of {@link MemoryCommerceStore}. */
export interface MemoryCommerceStoreOptions {
  /**
   * Secret of the page cursors' HMAC, at least 32 characters. Default: a random secret per process.
   * @throws ConfigurationError `weak_cursor_secret`.
   */
  cursorSecret?: string;
  /**
   * Most rows each login-throttle table (per e-mail, per client key) keeps before it evicts stale,
   * then oldest, rows on its own. Default 100,000 (about 20 MB per table).
   */
  maxThrottleRows?: number;
}

/**
 * The default commerce store: indexed in-memory tables with serialised, fully
 * rolled-back transactions (core's MemoryStore) and a top-k inverted index for products.
 * @example
 * ```ts
 * const platform = createECommercePlatform({ store: new MemoryCommerceStore(), payments: testPaymentPort() });
 * ```
 */
export class MemoryCommerceStore extends MemoryStore<CommerceTx> implements CommerceStore {
  private readonly products = this.table<Product, never, "category" | "status">("products", {
    id: (p) => p.id,
    indexes: { category: (p) => p.categoryId, status: (p) => p.status },
  });
  private readonly skus = this.table<SkuRow>("skus", { id: (s) => s.sku });
  private readonly categories = this.table<Category, "slug", "parent" | "ancestor">("categories", {
    id: (c) => c.id,
    unique: { slug: { key: (c) => c.slug, code: commerceCodes.slug_taken } },
    indexes: { parent: (c) => c.parentId ?? "", ancestor: (c) => c.path },
  });
  private readonly customers = this.table<Customer, "email">("customers", {
    id: (c) => c.id,
    unique: { email: { key: (c) => c.email, code: commerceCodes.email_taken } },
  });
  private readonly sessions = this.table<Session, never, "customer">("sessions", {
    id: (s) => s.tokenHash,
    indexes: { customer: (s) => s.customerId },
  });
  private readonly throttles = this.table<LoginThrottle>("login_throttles", { id: (t) => t.key });
  private readonly clientThrottles = this.table<LoginThrottle>("login_client_throttles", { id: (t) => t.key });
  private readonly addresses = this.table<Address, never, "customer">("addresses", {
    id: (a) => a.id,
    indexes: { customer: (a) => a.customerId },
  });
  private readonly carts = this.table<Cart, "customer">("carts", {
    id: (c) => c.id,
    unique: { customer: { key: (c) => c.customerId, code: commerceCodes.cart_exists } },
  });
  private readonly stock = this.table<StockLevel, never, "product">("stock", {
    id: (s) => s.key,
    indexes: { product: (s) => s.productId },
  });
  private readonly reservations = this.table<Reservation, never, "status">("reservations", {
    id: (r) => r.id,
    indexes: { status: (r) => r.status },
  });
  private readonly adjustments = this.table<StockAdjustment, never, "key">("stock_adjustments", {
    id: (a) => a.id,
    indexes: { key: (a) => a.key },
  });
  private readonly orders = this.table<Order, "idempotency", "customer" | "paymentPending">("orders", {
    id: (o) => o.id,
    unique: { idempotency: { key: (o) => idempotencyIndexKey(o.customerId, o.idempotencyKey), code: commerceCodes.idempotency_key_taken } },
    indexes: {
      customer: (o) => o.customerId,
      paymentPending: (o) => (o.payment.status === "pending" || o.payment.status === "requires_action" ? "1" : null),
    },
  });
  private readonly sweepLeases = new Map<string, number>();
  private readonly notifications = this.table<NotificationRow, "event", "failed">("notifications", {
    id: (n) => n.id,
    unique: { event: { key: (n) => `${n.eventId}\u0000${n.channel}`, code: "notification_exists" } },
    indexes: { failed: (n) => (n.status === "failed" ? "1" : null) },
  });
  private readonly notificationQueues = new MemoryNotificationQueues();
  private readonly notificationSequence = { next: 0 };
  private readonly searchIndex = new MemoryProductSearchIndex();
  private readonly browseIndex = new MemoryProductBrowseIndex();
  private cursorCodec: CursorCodec;
  private readonly maxThrottleRows: number;

  /** @throws ConfigurationError `weak_cursor_secret`. */
  constructor(options: MemoryCommerceStoreOptions = {}) {
    super();
    this.cursorCodec = options.cursorSecret === undefined ? defaultCursorCodec : new CursorCodec(options.cursorSecret);
    this.maxThrottleRows = options.maxThrottleRows ?? DEFAULT_MEMORY_THROTTLE_ROWS;
  }

  /** Signs and checks this store's page cursors with `secret` from now on. @throws ConfigurationError `weak_cursor_secret`. */
  setCursorSecret(secret: string): void {
    this.cursorCodec = new CursorCodec(secret);
  }

  protected createTransaction(tx: MemoryTransaction): CommerceTx {
    return {
      outbox: tx,
      products: new MemoryProductRepository(
        {
          products: this.products,
          skus: this.skus,
          stock: this.stock,
          searchIndex: this.searchIndex,
          browseIndex: this.browseIndex,
          cursorCodec: this.cursorCodec,
        },
        tx,
      ),
      categories: new MemoryCategoryRepository(this.categories),
      customers: new MemoryCustomerRepository(this.customers),
      sessions: new MemorySessionRepository(this.sessions),
      loginThrottles: new MemoryLoginThrottleRepository(this.throttles, this.maxThrottleRows),
      clientThrottles: new MemoryLoginThrottleRepository(this.clientThrottles, this.maxThrottleRows),
      addresses: new MemoryAddressRepository(this.addresses),
      carts: new MemoryCartRepository(this.carts),
      inventory: new MemoryInventoryRepository({ stock: this.stock, reservations: this.reservations, adjustments: this.adjustments }),
      orders: new MemoryOrderRepository(this.orders, this.cursorCodec, this.sweepLeases),
      notifications: new MemoryNotificationRepository(
        this.notifications,
        this.notificationQueues,
        this.notificationSequence,
        tx,
        this.cursorCodec,
      ),
    };
  }
}
