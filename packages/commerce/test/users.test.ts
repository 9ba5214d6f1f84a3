import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { ADMIN_ACTOR } from "../src/index.js";
import { codeOf, commerceStores, makeOn, ANONYMOUS_ACTOR } from "./helpers.js";

const PW = "s3cure-passw0rd";

describe.each(commerceStores())("users on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("customers, credentials and sessions", () => {
    it("normalises emails and refuses duplicates case-insensitively", async () => {
      const { platform } = makeOn(store);
      const c = await platform.users.register(ANONYMOUS_ACTOR, { email: "  John.Doe@Example.COM ", password: PW, name: "John Doe" });
      expect(c.email).toBe("john.doe@example.com");
      expect(c).not.toHaveProperty("passwordHash");
      expect(
        await codeOf(() => platform.users.register(ANONYMOUS_ACTOR, { email: "JOHN.DOE@example.com", password: PW, name: "Other" })),
      ).toBe("email_taken");
      expect(await codeOf(() => platform.users.register(ANONYMOUS_ACTOR, { email: "not-an-email", password: PW, name: "X" }))).toBe(
        "invalid_email",
      );
      expect(await codeOf(() => platform.users.register(ANONYMOUS_ACTOR, { email: "a@example.com", password: "short1", name: "X" }))).toBe(
        "weak_password",
      );
      expect(
        await codeOf(() => platform.users.register(ANONYMOUS_ACTOR, { email: "a@example.com", password: "onlyletterslong", name: "X" })),
      ).toBe("weak_password");
    });

    it("stores scrypt hashes with per-user salt and parameters", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "a@example.com", password: PW, name: "A" });
      await platform.users.register(ANONYMOUS_ACTOR, { email: "b@example.com", password: PW, name: "B" });
      const [a, b] = await platform.store.transaction(async (tx) => [
        await tx.customers.getByEmail("a@example.com"),
        await tx.customers.getByEmail("b@example.com"),
      ]);
      expect(a!.passwordHash).toMatchObject({ algorithm: "scrypt", N: 1024, r: 8, p: 1, keyLength: 64 });
      expect(a!.passwordHash.salt).not.toBe(b!.passwordHash.salt);
      expect(a!.passwordHash.hash).not.toBe(b!.passwordHash.hash);
      expect(JSON.stringify(a)).not.toContain(PW);
    });

    it("answers an unknown email and a wrong password with the same code", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "known@example.com", password: PW, name: "K" });
      const unknown = await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "nobody@example.com", password: PW }));
      const wrong = await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "known@example.com", password: "wrong-passw0rd" }));
      expect(unknown).toBe("invalid_credentials");
      expect(wrong).toBe(unknown);
      const ok = await platform.users.login(ANONYMOUS_ACTOR, { email: "KNOWN@example.com", password: PW });
      expect(ok.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it("throttles repeated failures by the clock, for known and unknown emails alike", async () => {
      const { platform, clock } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "t@example.com", password: PW, name: "T" });
      for (let i = 0; i < 5; i++)
        expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "t@example.com", password: "bad-passw0rd" }))).toBe(
          "invalid_credentials",
        );
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "t@example.com", password: PW }))).toBe("too_many_attempts");
      for (let i = 0; i < 5; i++)
        await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "ghost@example.com", password: "bad-passw0rd" }));
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "ghost@example.com", password: "bad-passw0rd" }))).toBe(
        "too_many_attempts",
      );
      clock.advance({ minutes: 16 });
      expect((await platform.users.login(ANONYMOUS_ACTOR, { email: "t@example.com", password: PW })).customer.email).toBe("t@example.com");
    });

    it("30 parallel wrong guesses: at most 5 reach the password check, the rest get too_many_attempts", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "par@example.com", password: PW, name: "P" });
      const codes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "par@example.com", password: `wrong-guess-${i}` })),
        ),
      );
      const checked = codes.filter((c) => c === "invalid_credentials").length;
      expect(checked).toBeGreaterThan(0);
      expect(checked).toBeLessThanOrEqual(5);
      expect(codes.filter((c) => c === "too_many_attempts")).toHaveLength(30 - checked);
      // Even the right password waits for the lock now.
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "par@example.com", password: PW }))).toBe(
        "too_many_attempts",
      );
    });

    it("a successful login clears the counted attempts", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "ok@example.com", password: PW, name: "O" });
      for (let i = 0; i < 4; i++)
        expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "ok@example.com", password: "bad-passw0rd" }))).toBe(
          "invalid_credentials",
        );
      await platform.users.login(ANONYMOUS_ACTOR, { email: "ok@example.com", password: PW });
      for (let i = 0; i < 4; i++)
        expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "ok@example.com", password: "bad-passw0rd" }))).toBe(
          "invalid_credentials",
        );
      expect((await platform.users.login(ANONYMOUS_ACTOR, { email: "ok@example.com", password: PW })).customer.email).toBe(
        "ok@example.com",
      );
    });

    it("sessions: hashed at rest, expire after 24 h, logout and revoke-all", async () => {
      const { platform, clock } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "s@example.com", password: PW, name: "S" });
      const one = await platform.users.login(ANONYMOUS_ACTOR, { email: "s@example.com", password: PW });
      const two = await platform.users.login(ANONYMOUS_ACTOR, { email: "s@example.com", password: PW });
      expect(one.token).not.toBe(two.token);
      const stored = await platform.store.transaction((tx) => tx.sessions.get(one.token));
      expect(stored).toBeNull(); // looked up by hash only
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token: one.token });
      expect(actor.roles).toEqual(["customer"]);
      await platform.users.logout(ANONYMOUS_ACTOR, { token: one.token });
      expect(await codeOf(() => platform.users.authenticate(ANONYMOUS_ACTOR, { token: one.token }))).toBe("invalid_session");
      expect(await codeOf(() => platform.users.authenticate(ANONYMOUS_ACTOR, { token: "x".repeat(43) }))).toBe("invalid_session");
      clock.advance({ hours: 24, seconds: 1 });
      expect(await codeOf(() => platform.users.authenticate(ANONYMOUS_ACTOR, { token: two.token }))).toBe("session_expired");
      const three = await platform.users.login(ANONYMOUS_ACTOR, { email: "s@example.com", password: PW });
      const four = await platform.users.login(ANONYMOUS_ACTOR, { email: "s@example.com", password: PW });
      expect(await platform.users.revokeAllSessions(await platform.users.authenticate(ANONYMOUS_ACTOR, { token: three.token }))).toBe(2);
      expect(await codeOf(() => platform.users.authenticate(ANONYMOUS_ACTOR, { token: four.token }))).toBe("invalid_session");
    });

    it("a password change revokes the other sessions and sends a notice", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "p@example.com", password: PW, name: "P" });
      const current = await platform.users.login(ANONYMOUS_ACTOR, { email: "p@example.com", password: PW });
      const other = await platform.users.login(ANONYMOUS_ACTOR, { email: "p@example.com", password: PW });
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token: current.token });
      expect(
        await codeOf(() => platform.users.changePassword(actor, { currentPassword: "wrong-passw0rd", newPassword: "n3w-passw0rd!" })),
      ).toBe("invalid_credentials");
      await platform.users.changePassword(actor, { currentPassword: PW, newPassword: "n3w-passw0rd!", currentToken: current.token });
      expect(await codeOf(() => platform.users.authenticate(ANONYMOUS_ACTOR, { token: other.token }))).toBe("invalid_session");
      expect((await platform.users.authenticate(ANONYMOUS_ACTOR, { token: current.token })).id).toBe(actor.id);
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "p@example.com", password: PW }))).toBe(
        "invalid_credentials",
      );
      await platform.users.login(ANONYMOUS_ACTOR, { email: "p@example.com", password: "n3w-passw0rd!" });
    });

    it("profile and addresses with one default shipping and billing address", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "a@example.com", password: PW, name: "A" });
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
        token: (await platform.users.login(ANONYMOUS_ACTOR, { email: "a@example.com", password: PW })).token,
      });
      expect((await platform.users.updateProfile(actor, { name: "Ann", phone: "+1 555 1234" })).name).toBe("Ann");
      expect(await codeOf(() => platform.users.updateProfile(actor, { phone: "call me" }))).toBe("invalid_phone");
      const home = await platform.users.addAddress(actor, {
        name: "Ann",
        line1: "1 Main St",
        city: "NYC",
        region: "ny",
        postalCode: "10001",
        country: "us",
      });
      expect(home).toMatchObject({ isDefaultShipping: true, isDefaultBilling: true, country: "US", region: "NY" });
      const work = await platform.users.addAddress(actor, {
        name: "Ann",
        line1: "2 Work Rd",
        city: "Boston",
        postalCode: "02101",
        country: "US",
        isDefaultShipping: true,
      });
      const list = (await platform.users.listAddresses(actor)).items;
      expect(list.find((a) => a.id === home.id)).toMatchObject({ isDefaultShipping: false, isDefaultBilling: true });
      expect(list.find((a) => a.id === work.id)).toMatchObject({ isDefaultShipping: true, isDefaultBilling: false });
      expect(
        await codeOf(() => platform.users.addAddress(actor, { name: "A", line1: "x", city: "y", postalCode: "1", country: "USA" })),
      ).toBe("invalid_country");

      await platform.users.register(ANONYMOUS_ACTOR, { email: "b@example.com", password: PW, name: "B" });
      const bob = await platform.users.authenticate(ANONYMOUS_ACTOR, {
        token: (await platform.users.login(ANONYMOUS_ACTOR, { email: "b@example.com", password: PW })).token,
      });
      expect(await codeOf(() => platform.users.setDefaultAddress(bob, { addressId: home.id, kind: "shipping" }))).toBe("address_not_found");
      expect(await codeOf(() => platform.users.removeAddress(bob, { addressId: home.id }))).toBe("address_not_found");
    });

    it("concurrent registrations of one email: exactly one wins", async () => {
      const { platform } = makeOn(store);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          platform.users.register(ANONYMOUS_ACTOR, { email: `Race@Example.com`, password: PW, name: `R${i}` }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("email_taken");
    });

    it("admins set roles; a promoted customer authenticates as admin", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "boss@example.com", password: PW, name: "Boss" });
      const { token } = await platform.users.login(ANONYMOUS_ACTOR, { email: "boss@example.com", password: PW });
      const before = await platform.users.authenticate(ANONYMOUS_ACTOR, { token });
      expect(await codeOf(() => platform.users.setRoles(before, { customerId: before.id!, roles: ["admin"] }))).toBe("role_required");
      await platform.users.setRoles(ADMIN_ACTOR, { customerId: before.id!, roles: ["customer", "admin"] });
      expect((await platform.users.authenticate(ANONYMOUS_ACTOR, { token })).roles).toEqual(["customer", "admin"]);
    });
  });
});
