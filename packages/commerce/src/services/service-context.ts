import type { Clock, CursorCodec, Logger } from "@platform/core";
import type { CommerceStore } from "../ports/commerce-store.js";

/** What every service receives from the platform. */
export interface ServiceContext {
  readonly store: CommerceStore;
  readonly clock: Clock;
  /** Default currency of empty carts and listings. */
  readonly currency: string;
  /** Where failures the services recover from are logged (default: silent). */
  readonly logger: Logger;
  /** Signs the cursors of lists paged in the service (addresses, category children and subtrees). */
  readonly cursors: CursorCodec;
}
