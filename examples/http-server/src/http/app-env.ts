import type { Actor } from "@platform/commerce";

/** Per-request values the middlewares set. */
export interface AppEnv {
  Variables: {
    /** The request id: the caller's `x-request-id` when well-formed, a new one otherwise. */
    requestId: string;
    /** The signed-in customer (set by `requireSession`). */
    actor: Actor;
  };
}
