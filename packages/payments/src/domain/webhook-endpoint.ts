import { z } from "zod";
import { isLocalHost, normaliseHost } from "./network-address.js";

/** One signing secret of an endpoint; an old one keeps signing until `expiresAt` after a rotation. */
export interface WebhookSecret {
  /** `whsec_<base64 key>` */
  readonly secret: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date | undefined;
}

/**
 * A receiver of webhook events as stored, signing secrets in clear: what the store's repositories hold.
 * The webhook service never returns it; reads answer a `WebhookEndpointView` (secrets masked).
 */
export interface WebhookEndpoint {
  /** `we_...` */
  readonly id: string;
  readonly url: string;
  /** Event filters: exact types, `payment.*`, or `*`. */
  readonly events: readonly string[];
  readonly secrets: readonly WebhookSecret[];
  readonly enabled: boolean;
  /** Why it was disabled (`gone` after a 410, `manual`). */
  readonly disabledReason?: string | undefined;
  readonly description?: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const FILTER = /^(\*|[a-z_]+\.\*|[a-z_]+\.[a-z_]+)$/;

/** Input of `webhooks.createEndpoint`. */
export const createEndpointSchema = z
  .object({
    url: z.string().trim().min(1).max(2048),
    events: z.array(z.string().regex(FILTER, "must be an event type, `<aggregate>.*` or `*`")).min(1).max(100).default(["*"]),
    /** Bring your own `whsec_` secret (e.g. when migrating); generated otherwise. */
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, "must be whsec_ followed by at least 24 base64 bytes")
      .optional(),
    description: z.string().max(500).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();
/** Input of `webhooks.createEndpoint`. */
export type CreateEndpointInput = z.input<typeof createEndpointSchema>;

/** Input of `webhooks.updateEndpoint`. */
export const updateEndpointSchema = z
  .object({
    url: z.string().trim().min(1).max(2048).optional(),
    events: z.array(z.string().regex(FILTER)).min(1).max(100).optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(500).optional(),
  })
  .strict();
/** Input of `webhooks.updateEndpoint`. */
export type UpdateEndpointInput = z.input<typeof updateEndpointSchema>;

/** True when an event type passes an endpoint's filters (`*`, `payment.*`, exact). */
export function eventMatches(filters: readonly string[], type: string): boolean {
  return filters.some((f) => f === "*" || f === type || (f.endsWith(".*") && type.startsWith(f.slice(0, -1))));
}

/** URL policy of endpoints. */
export interface UrlPolicy {
  /** Accept `http:` too (local development). Default false. */
  allowHttp?: boolean | undefined;
  /** Accept loopback, private, link-local and `localhost` hosts. Default false (SSRF protection). */
  allowPrivateNetworks?: boolean | undefined;
}

/**
 * Why a URL is refused, or undefined when it is acceptable: must parse, be https (unless allowed),
 * carry no credentials, and not point at a non-public address or a local name (unless allowed); the
 * host is normalised first (IDNA, case, trailing dots), so `localhost.` is `localhost`. Host names are
 * not resolved here: the default transport resolves them and checks every address at each delivery.
 */
export function urlProblem(raw: string, policy: UrlPolicy = {}): { code: string; message: string } | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: "invalid_url", message: "url is not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:"))
    return { code: "insecure_url", message: "webhook URLs must use https" };
  if (url.username || url.password) return { code: "invalid_url", message: "webhook URLs must not carry credentials" };
  if (!policy.allowPrivateNetworks && isLocalHost(normaliseHost(url.hostname))) {
    return { code: "private_url", message: "webhook URLs must not point at private, loopback or local addresses" };
  }
  return undefined;
}
