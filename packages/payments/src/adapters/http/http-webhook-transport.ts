import { parse } from "@platform/core";
import { Agent, request } from "undici";
import { z } from "zod";
import type { WebhookRequest, WebhookResponse, WebhookTransport } from "../../ports/webhook-transport.js";
import { checkedConnector, systemResolver, type HostResolver } from "./checked-connector.js";

/** Options of {@link createWebhookTransport}. */
export interface WebhookTransportOptions {
  /**
   * Deliver to loopback, private, link-local and other non-public addresses too. Default false: every
   * address a name resolves to must be public, or the request is refused before any byte is sent.
   * Meant for tests and local development, as the endpoints' `allowPrivateNetworks`.
   */
  allowPrivateNetworks?: boolean | undefined;
  /** Name resolution (default: the system's, `dns.lookup` with `all: true`); inject one to pin DNS or to test. */
  resolve?: HostResolver | undefined;
  /** Bytes of the response body read at most (default 64 KiB); the rest is not read and the connection is closed. */
  maxResponseBytes?: number | undefined;
  /** Bytes of response headers accepted (default 8 KiB); more fails the attempt. */
  maxHeaderBytes?: number | undefined;
  /** Open connections per origin (default 10); they are kept alive and reused between deliveries. */
  connectionsPerOrigin?: number | undefined;
  /** Connect timeout (default 10 s); the request's `timeoutMs` bounds the whole exchange. */
  connectTimeoutMs?: number | undefined;
}

/** A webhook transport that owns connections: `close()` ends them (tests, graceful shutdown). */
export interface ClosableWebhookTransport extends WebhookTransport {
  close(): Promise<void>;
}

const optionsSchema = z
  .object({
    allowPrivateNetworks: z.boolean().default(false),
    resolve: z.custom<HostResolver>((v) => typeof v === "function").optional(),
    maxResponseBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
    maxHeaderBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(8 * 1024),
    connectionsPerOrigin: z.number().int().min(1).max(1000).default(10),
    connectTimeoutMs: z.number().int().min(1).max(120_000).default(10_000),
  })
  .strict();

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/**
 * The default webhook transport: POST over undici with an SSRF guard and bounded resource use.
 * Every connection resolves the host once, refuses it when any address is not public (loopback,
 * private, link-local, CGNAT, ULA, IPv4-mapped/-compatible IPv6, `0.0.0.0`, `::`, multicast, reserved),
 * and connects to exactly the addresses it checked. Redirects are not followed. At most
 * `maxResponseBytes` of the body are read, then the body is canceled; headers are capped; connections
 * are kept alive per origin and bounded.
 * @throws ValidationError `validation_failed` for malformed options. The transport itself rejects
 * with ForbiddenError `private_url` / `private_address` for a refused destination, and with network
 * errors or a timeout otherwise (the dispatcher records them as failed attempts).
 * @example
 * ```ts
 * const transport = createWebhookTransport({ maxResponseBytes: 16 * 1024 });
 * const system = createPaymentSystem({ gateways: { stripe }, webhooks: { transport } });
 * ```
 */
export function createWebhookTransport(options: WebhookTransportOptions = {}): ClosableWebhookTransport {
  const o = parse(optionsSchema, options);
  const agent = new Agent({
    connect: checkedConnector(o.resolve ?? systemResolver, o.allowPrivateNetworks, o.connectTimeoutMs),
    connections: o.connectionsPerOrigin,
    maxHeaderSize: o.maxHeaderBytes,
  });
  const send = async (req: WebhookRequest): Promise<WebhookResponse> => {
    const signal = AbortSignal.timeout(req.timeoutMs);
    const res = await request(req.url, { method: "POST", headers: req.headers, body: req.body, signal, dispatcher: agent });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      // Leaving the loop early cancels the body: undici then closes the connection instead of reading on.
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        const take = Math.min(chunk.length, o.maxResponseBytes - size);
        if (take > 0) chunks.push(chunk.subarray(0, take));
        size += take;
        if (size >= o.maxResponseBytes) break;
      }
    } catch {
      // The status is known: a body cut short (timeout, reset) does not change the outcome.
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
    return { status: res.statusCode, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString("utf8") };
  };
  return Object.assign(send, { close: () => agent.close() });
}

let shared: WebhookTransport | undefined;

/**
 * The guarded default transport ({@link createWebhookTransport} with default options), created on
 * first use.
 * @deprecated Use `createWebhookTransport()`; kept for hosts that passed `fetchTransport` explicitly.
 */
export const fetchTransport: WebhookTransport = (req) => (shared ??= createWebhookTransport())(req);
