import type { WebhookEndpoint } from "./webhook-endpoint.js";

/** A signing secret as reads show it: masked, with its dates. */
export interface WebhookSecretSummary {
  /** `whsec_` and the first 4 characters of the key, then `…`: enough to tell secrets apart, not to sign. */
  readonly masked: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date | undefined;
}

/**
 * A webhook endpoint as every read returns it (`getEndpoint`, `listEndpoints`, `updateEndpoint`):
 * secrets masked, so a list rendered in an admin page, a log line or an API answer leaks no key.
 */
export interface WebhookEndpointView extends Omit<WebhookEndpoint, "secrets"> {
  readonly secrets: readonly WebhookSecretSummary[];
}

/**
 * The answer of `createEndpoint` and `rotateSecret`, the only two calls that return a signing secret
 * in clear: `secret` is the one just created. Show it to the receiver's owner once and do not store it
 * elsewhere.
 */
export interface CreatedWebhookEndpoint extends WebhookEndpointView {
  /** The new `whsec_` secret. */
  readonly secret: string;
}

const SHOWN = 4;

/**
 * Masks a `whsec_` secret for display: the prefix and the first 4 key characters (24 of at least
 * 192 bits), then `…`.
 * @example
 * ```ts
 * maskWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); // "whsec_MfKQ…"
 * ```
 */
export function maskWebhookSecret(secret: string): string {
  const key = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : "";
  return `whsec_${key.slice(0, SHOWN)}…`;
}

/** The read view of a stored endpoint (secrets masked). */
export function toEndpointView(endpoint: WebhookEndpoint): WebhookEndpointView {
  return {
    ...endpoint,
    secrets: endpoint.secrets.map((s) => ({ masked: maskWebhookSecret(s.secret), createdAt: s.createdAt, expiresAt: s.expiresAt })),
  };
}
