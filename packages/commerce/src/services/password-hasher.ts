import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { PasswordHash } from "../domain/customer.js";

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. Default 2^17. */
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/**
 * Defaults: N=2^17, r=8, p=1, 64-byte key: OWASP's Password Storage Cheat Sheet minimum for scrypt
 * (128 MiB and a few hundred ms per hash). At most four hashes run at once (libuv's default thread
 * pool), so a login burst holds at most about 512 MiB.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1, keyLength: 64 });

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r * p bytes; Node refuses anything above `maxmem` (32 MiB by default).
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, params.keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * Hashes and verifies passwords with scrypt (node:crypto), a random 16-byte salt per
 * password, and the parameters stored with the hash so they can be raised later.
 */
export class PasswordHasher {
  private dummy: Promise<PasswordHash> | undefined;

  constructor(private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS) {}

  /** Hashes a password with a fresh salt. */
  async hash(password: string): Promise<PasswordHash> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.params);
    return { algorithm: "scrypt", salt: salt.toString("base64"), hash: key.toString("base64"), ...this.params };
  }

  /** Compares in constant time, with the parameters stored in `stored`. */
  async verify(password: string, stored: PasswordHash): Promise<boolean> {
    const expected = Buffer.from(stored.hash, "base64");
    const key = await derive(password, Buffer.from(stored.salt, "base64"), stored);
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * Whether `stored` was made with weaker parameters than this hasher's (lower N, r, p or a shorter
   * key): login then rehashes the password it just verified, so old hashes rise to the new floor.
   */
  needsRehash(stored: PasswordHash): boolean {
    const p = this.params;
    return stored.algorithm !== "scrypt" || stored.N < p.N || stored.r < p.r || stored.p < p.p || stored.keyLength < p.keyLength;
  }

  /**
   * Runs a verification that always fails, with the current parameters: login does the
   * same work for an unknown email as for a wrong password, so timing reveals nothing.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash("dummy password that never matches");
    await this.verify(password, await this.dummy);
    return false;
  }
}
