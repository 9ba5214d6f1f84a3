import { describe, expect, it } from "vitest";
import { DEFAULT_SCRYPT_PARAMS, PasswordHasher } from "./password-hasher.js";
import { hashToken, newSessionToken } from "./session-tokens.js";

describe("password hashing and session tokens", () => {
  it("verifies with the stored parameters, so raising the cost keeps old hashes valid", async () => {
    const old = new PasswordHasher({ N: 1024, r: 8, p: 1, keyLength: 32 });
    const stored = await old.hash("correct horse 1");
    const stronger = new PasswordHasher({ N: 2048, r: 8, p: 1, keyLength: 64 });
    expect(await stronger.verify("correct horse 1", stored)).toBe(true);
    expect(await stronger.verify("correct horse 2", stored)).toBe(false);
    expect(stored).toMatchObject({ algorithm: "scrypt", N: 1024, keyLength: 32 });
    expect(Buffer.from(stored.salt, "base64")).toHaveLength(16);
    expect(await stronger.verifyDummy("anything")).toBe(false);
  });

  it("defaults to OWASP's scrypt floor (N=2^17, r=8, p=1), which fits Node's memory guard", async () => {
    expect(DEFAULT_SCRYPT_PARAMS).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
    const h = new PasswordHasher();
    const stored = await h.hash("correct horse 1");
    expect(stored).toMatchObject({ algorithm: "scrypt", N: 131_072, r: 8, p: 1, keyLength: 64 });
    expect(await h.verify("correct horse 1", stored)).toBe(true);
    expect(h.needsRehash(stored)).toBe(false);
  });

  it("asks for a rehash of any weaker stored hash, never of a stronger one", () => {
    const h = new PasswordHasher({ N: 2048, r: 8, p: 1, keyLength: 64 });
    const base = { algorithm: "scrypt" as const, salt: "", hash: "", N: 2048, r: 8, p: 1, keyLength: 64 };
    expect(h.needsRehash(base)).toBe(false);
    expect(h.needsRehash({ ...base, N: 4096 })).toBe(false);
    expect(h.needsRehash({ ...base, N: 1024 })).toBe(true);
    expect(h.needsRehash({ ...base, r: 4 })).toBe(true);
    expect(h.needsRehash({ ...base, keyLength: 32 })).toBe(true);
  });

  it("normalises Unicode so the same password typed differently verifies", async () => {
    const h = new PasswordHasher({ N: 1024, r: 8, p: 1, keyLength: 32 });
    const stored = await h.hash("Cr\u00e8me-br\u00fbl\u00e9e-1");
    expect(await h.verify("Cre\u0300me-bru\u0302le\u0301e-1", stored)).toBe(true);
  });

  it("makes 256-bit tokens and stores only their SHA-256", () => {
    const t = newSessionToken();
    expect(Buffer.from(t, "base64url")).toHaveLength(32);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
    expect(newSessionToken()).not.toBe(t);
  });
});
