import { promises as dns, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { ForbiddenError } from "@platform/core";
import { buildConnector } from "undici";
import { isLocalHost, isPublicAddress, normaliseHost } from "../../domain/network-address.js";

/** Resolves a host name to every address it has (as `dns.promises.lookup(name, { all: true })`). */
export type HostResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The resolver of the default transport: the operating system's, every address. */
export const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

function refused(host: string, code: "private_url" | "private_address", address?: string): ForbiddenError {
  const message = code === "private_url" ? "webhook host is not a public name or address" : "webhook host resolves to a non-public address";
  return new ForbiddenError(code, message, { details: address ? { host, address } : { host } });
}

/**
 * A `net`/`tls` `lookup` that resolves once, refuses the name when ANY of its addresses is not public
 * (a name that mixes public and inside answers is an attack, not a failover), and hands exactly the
 * checked addresses to the socket: the connection cannot use an answer nobody checked, so a DNS
 * answer that changes between a check and the connect (rebinding) has nothing to change.
 */
export function checkedLookup(resolve: HostResolver, allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const host = normaliseHost(hostname);
    const run = async (): Promise<LookupAddress[]> => {
      if (!allowPrivateNetworks && isLocalHost(host)) throw refused(host, "private_url");
      const all = [...(await resolve(hostname))];
      if (all.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
      if (!allowPrivateNetworks) for (const a of all) if (!isPublicAddress(a.address)) throw refused(host, "private_address", a.address);
      const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
      if (wanted.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
      return wanted;
    };
    run().then(
      (list) => (options.all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family)),
      (e: NodeJS.ErrnoException) => callback(e, ""),
    );
  };
}

/**
 * An undici connector whose every connection goes through {@link checkedLookup}. IP literals never
 * reach a `lookup` (sockets connect to them directly), so they are checked here.
 */
export function checkedConnector(resolve: HostResolver, allowPrivateNetworks: boolean, timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ lookup: checkedLookup(resolve, allowPrivateNetworks), timeout: timeoutMs });
  return (options, callback) => {
    const host = normaliseHost(options.hostname);
    if (!allowPrivateNetworks && isIP(host) !== 0 && !isPublicAddress(host)) {
      callback(refused(host, "private_url"), null);
      return;
    }
    connect(options, callback);
  };
}
