import { createServices, type Services, type ServicesOptions } from "../src/services.js";
import { startServer, type RunningServer } from "../src/server.js";
import type { ServerConfig } from "../src/config.js";
import type { AppOptions } from "../src/app.js";

export const ADMIN_TOKEN = "admin-token-for-tests-0123456789abcdef";
export const STRIPE_WEBHOOK_SECRET = "whsec_testsecretfortheserver0123456789";

/** The configuration of a test run: the test gateway, named explicitly. */
function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    databaseUrl: undefined,
    payments: { gateway: "test" },
    stripeWebhookSecret: STRIPE_WEBHOOK_SECRET,
    adminToken: ADMIN_TOKEN,
    cursorSecret: undefined,
    port: 0,
    host: "127.0.0.1",
    production: false,
    ...overrides,
  };
}

/** An answer: status, headers and the parsed JSON body (null when empty). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A server on 127.0.0.1, port chosen by the system, and a small JSON client for it. */
export async function serverFor(options: ServicesOptions = {}, config = testConfig(), app: AppOptions = {}) {
  const services: Services = createServices(config, { passwordHashing: { N: 1024 }, ...options });
  const server: RunningServer = await startServer(
    services,
    { port: 0, host: "127.0.0.1" },
    { adminToken: config.adminToken, stripeWebhookSecret: config.stripeWebhookSecret, logError: () => {}, ...app },
  );
  async function call(
    method: string,
    path: string,
    init: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined || init.raw !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(server.url + path, {
      method,
      headers,
      ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  }
  return {
    services,
    call,
    close: async () => {
      await server.close();
      await services.close();
    },
  };
}

/** Sorted keys of an object, for exact key-set assertions. */
export const keys = (o: object) => Object.keys(o).sort();

/** Every key anywhere in a JSON value (to prove an internal field appears nowhere). */
export function allKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      allKeys(v, out);
    }
  }
  return out;
}
