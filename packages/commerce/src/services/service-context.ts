import type { Clock } from "@platform/core";
import type { CommerceStore } from "../ports/commerce-store.js";

/** What every service receives from the platform. */
export interface ServiceContext {
  readonly store: CommerceStore;
  readonly clock: Clock;
  /** Default currency of empty carts and listings. */
  readonly currency: string;
}
