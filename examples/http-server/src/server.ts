import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createApp, type AppOptions } from "./app.js";
import type { Services } from "./services.js";

/** A listening server. */
export interface RunningServer {
  /** `http://host:port` (the port the system chose when asked for 0). */
  readonly url: string;
  /** Stops accepting connections and waits for open ones to finish. */
  close(): Promise<void>;
}

/**
 * Serves the app on Node's HTTP server.
 * @example
 * ```ts
 * const server = await startServer(createServices(config), { port: 0, host: "127.0.0.1" });
 * ```
 */
export async function startServer(
  services: Services,
  listen: { port: number; host: string },
  options: AppOptions = {},
): Promise<RunningServer> {
  const app = createApp(services, options);
  let server!: ServerType;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: listen.port, hostname: listen.host }, (info) => resolve(info));
    server.once("error", reject);
  });
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      }),
  };
}
