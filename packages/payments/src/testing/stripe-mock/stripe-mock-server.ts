import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { PAYMENT_ID_METADATA_KEY } from "../../adapters/stripe/stripe-intents.js";
import { StripeMockApi } from "./stripe-mock-api.js";
import { parseForm, stripeId, StripeWireError, type FormObject } from "./stripe-wire.js";

/** An operation of the local Stripe server, for faults and the request log. */
export type StripeMockOperation =
  "create" | "confirm" | "capture" | "cancel" | "retrieve" | "search" | "refund" | "retrieve_refund" | "payment_method";

/**
 * A fault the next matching requests suffer: `rate_limit` (429, nothing done), `server_error` (500,
 * nothing done), `reset` (connection closed before anything was done), `lost_response` (the request is
 * carried out, charge included, then the connection is closed: the client never hears of it).
 */
export interface StripeMockFault {
  operation: StripeMockOperation | "any";
  kind: "rate_limit" | "server_error" | "reset" | "lost_response";
  /** How many requests suffer it (default 1). */
  times?: number;
}

/** One request the server received, as it arrived. */
export interface StripeMockRequest {
  method: string;
  path: string;
  operation: StripeMockOperation | "unknown";
  idempotencyKey: string | undefined;
  stripeVersion: string | undefined;
  contentType: string | undefined;
  form: FormObject;
  /** The answer was replayed from the idempotency store. */
  replayed: boolean;
}

/** Options of {@link startStripeMockServer}. */
export interface StripeMockServerOptions {
  /** The only secret key accepted (default: any `sk_test_`/`rk_test_` key; live keys are always refused). */
  secretKey?: string;
  /** The `Stripe-Version` every request must carry (default: any well-formed version). */
  apiVersion?: string;
}

/** A running local Stripe-compatible server. */
export interface StripeMockServer {
  readonly host: string;
  readonly port: number;
  readonly protocol: "http";
  /** Its objects (PaymentIntents, charges, refunds), for assertions. */
  readonly api: StripeMockApi;
  /** Every request received, in order (retries included). */
  readonly requests: StripeMockRequest[];
  /** Makes the next matching requests fail. */
  injectFault(fault: StripeMockFault): void;
  /** Successful charges (authorisations) made for one of our payment ids: 1 after any number of safe re-sends. */
  chargeCount(paymentId: string): number;
  /** The customer completes or abandons 3-D Secure on a PaymentIntent in `requires_action`. */
  completeAction(paymentIntentId: string, outcome: "succeed" | "fail"): void;
  close(): Promise<void>;
}

interface Stored {
  fingerprint: string;
  status: number;
  body: unknown;
  done: boolean;
}

function route(method: string, path: string): { operation: StripeMockOperation | "unknown"; id?: string } {
  let m: RegExpExecArray | null;
  if (method === "POST" && path === "/v1/payment_intents") return { operation: "create" };
  if (method === "GET" && path === "/v1/payment_intents/search") return { operation: "search" };
  if ((m = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)\/(confirm|capture|cancel)$/.exec(path)) && method === "POST")
    return { operation: m[2] as StripeMockOperation, id: m[1]! };
  if ((m = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)$/.exec(path)) && method === "GET") return { operation: "retrieve", id: m[1]! };
  if (method === "POST" && path === "/v1/refunds") return { operation: "refund" };
  if ((m = /^\/v1\/refunds\/([A-Za-z0-9_]+)$/.exec(path)) && method === "GET") return { operation: "retrieve_refund", id: m[1]! };
  if ((m = /^\/v1\/payment_methods\/([A-Za-z0-9_]+)$/.exec(path)) && method === "GET") return { operation: "payment_method", id: m[1]! };
  return { operation: "unknown" };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/**
 * Starts a Stripe-compatible HTTP server on 127.0.0.1 for tests and demos without the internet. It
 * checks each request as Stripe would (Bearer test key, `Stripe-Version`, form-encoded POST bodies,
 * amounts in minor units, lower-case currencies), keeps Stripe's `Idempotency-Key` semantics (the
 * first result replayed with `Idempotent-Replayed: true`; the key with other parameters: 400
 * `idempotency_error`; while the first is in flight: 409), answers in Stripe's wire format, and
 * simulates 429, 500, a reset connection and a response lost after the charge. Point the stripe SDK
 * at it with `host`, `port` and `protocol: "http"`.
 * @example
 * ```ts
 * const server = await startStripeMockServer();
 * const gateway = new StripeGateway({ secretKey: "sk_test_local000000", host: server.host, port: server.port, protocol: "http" });
 * ```
 */
export async function startStripeMockServer(options: StripeMockServerOptions = {}): Promise<StripeMockServer> {
  const api = new StripeMockApi();
  const requests: StripeMockRequest[] = [];
  const faults: StripeMockFault[] = [];
  const idempotency = new Map<string, Stored>();
  const sockets = new Set<Socket>();

  const takeFault = (operation: string): StripeMockFault["kind"] | undefined => {
    const i = faults.findIndex((f) => f.operation === operation || f.operation === "any");
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f.kind;
  };

  const dispatch = (operation: StripeMockOperation | "unknown", id: string | undefined, form: FormObject): unknown => {
    switch (operation) {
      case "create":
        return api.create(form);
      case "confirm":
        return api.confirm(id!, form);
      case "capture":
        return api.capture(id!, form);
      case "cancel":
        return api.cancel(id!, form);
      case "retrieve":
        return api.retrieve(id!, form);
      case "search":
        return api.search(form);
      case "refund":
        return api.refund(form);
      case "retrieve_refund":
        return api.getRefund(id!);
      case "payment_method":
        return api.paymentMethod(id!);
      default:
        throw new StripeWireError(
          404,
          { type: "invalid_request_error", code: "resource_missing", message: "Unrecognized request URL." },
          false,
        );
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const { operation, id } = route(method, url.pathname);
    const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
    const form = method === "POST" ? parseForm(raw) : parseForm(url.search.slice(1));
    const entry: StripeMockRequest = {
      method,
      path: url.pathname,
      operation,
      idempotencyKey: header("idempotency-key"),
      stripeVersion: header("stripe-version"),
      contentType: header("content-type"),
      form,
      replayed: false,
    };
    requests.push(entry);
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": stripeId("req"), ...extra });
      res.end(JSON.stringify(body));
    };
    const error = (e: StripeWireError) => send(e.status, { error: e.error });

    const auth = /^Bearer (\S+)$/.exec(header("authorization") ?? "")?.[1];
    if (!auth || (options.secretKey ? auth !== options.secretKey : !/^(sk|rk)_test_[A-Za-z0-9]+$/.test(auth))) {
      return send(401, {
        error: { type: "invalid_request_error", message: "Invalid API Key provided (this local server takes test keys only)." },
      });
    }
    const version = entry.stripeVersion;
    if (!version || !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version) || (options.apiVersion && version !== options.apiVersion)) {
      return error(
        new StripeWireError(400, {
          type: "invalid_request_error",
          code: "api_version_invalid",
          message: `Invalid Stripe API version: ${version ?? "(none)"}`,
        }),
      );
    }
    if (method === "POST" && !(entry.contentType ?? "").startsWith("application/x-www-form-urlencoded")) {
      return error(
        new StripeWireError(400, {
          type: "invalid_request_error",
          message: "POST bodies are form-encoded (application/x-www-form-urlencoded).",
        }),
      );
    }
    const fault = takeFault(operation);
    if (fault === "reset") return void req.socket.destroy();
    if (fault === "rate_limit")
      return send(429, {
        error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly." },
      });
    if (fault === "server_error") return send(500, { error: { type: "api_error", message: "An unknown error occurred." } });

    const key = method === "POST" ? entry.idempotencyKey : undefined;
    if (key !== undefined) {
      if (key.length > 255) return error(invalidKey("Idempotency keys are at most 255 characters."));
      const fingerprint = `${method} ${url.pathname} ${JSON.stringify(form)}`;
      const stored = idempotency.get(key);
      if (stored && stored.fingerprint !== fingerprint) {
        return send(400, {
          error: {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        });
      }
      if (stored && !stored.done)
        return send(409, {
          error: {
            type: "invalid_request_error",
            code: "idempotency_key_in_use",
            message: "There is currently another in-progress request using this Idempotent Key.",
          },
        });
      if (stored) {
        entry.replayed = true;
        if (fault === "lost_response") return void req.socket.destroy();
        return send(stored.status, stored.body, { "idempotent-replayed": "true", "idempotency-key": key });
      }
      idempotency.set(key, { fingerprint, status: 0, body: undefined, done: false });
    }
    let status = 200;
    let body: unknown;
    try {
      body = dispatch(operation, id, form);
    } catch (e) {
      if (!(e instanceof StripeWireError)) throw e;
      status = e.status;
      body = { error: e.error };
      // Errors raised before the endpoint ran are not kept: the key may be used again.
      if (!e.executed && key !== undefined) idempotency.delete(key);
    }
    if (key !== undefined && idempotency.has(key)) idempotency.set(key, { ...idempotency.get(key)!, status, body, done: true });
    if (fault === "lost_response") return void req.socket.destroy();
    send(status, body, key ? { "idempotency-key": key } : {});
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: `local Stripe server bug: ${String(e)}` } }));
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    protocol: "http",
    api,
    requests,
    injectFault: (fault) => void faults.push({ ...fault, times: fault.times ?? 1 }),
    chargeCount: (paymentId) =>
      [...api.charges.values()].filter(
        (c) => c.status === "succeeded" && api.intents.get(c.intent)?.metadata[PAYMENT_ID_METADATA_KEY] === paymentId,
      ).length,
    completeAction: (paymentIntentId, outcome) => void api.completeAction(paymentIntentId, outcome),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function invalidKey(message: string): StripeWireError {
  return new StripeWireError(
    400,
    { type: "invalid_request_error", code: "idempotency_key_invalid", param: "Idempotency-Key", message },
    false,
  );
}
