import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { MemoryNotificationOutbox } from "../src/index.js";
import { codeOf, commerceStores, makeOn, ANONYMOUS_ACTOR } from "./helpers.js";

const PW = "s3cure-passw0rd";
const bad = (i: number) => `wrong-guess-${i}`;

describe.each(commerceStores())("credentials on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("credentials: every password check is throttled", () => {
    it("changePassword counts wrong current passwords: a stolen session cannot brute-force the password", async () => {
      const { platform, clock } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "cp@example.com", password: PW, name: "C" });
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
        token: (await platform.users.login(ANONYMOUS_ACTOR, { email: "cp@example.com", password: PW })).token,
      });
      for (let i = 0; i < 5; i++)
        expect(await codeOf(() => platform.users.changePassword(actor, { currentPassword: bad(i), newPassword: "n3w-passw0rd!" }))).toBe(
          "invalid_credentials",
        );
      // Even the right current password now waits, and so does login: one counter per e-mail.
      expect(await codeOf(() => platform.users.changePassword(actor, { currentPassword: PW, newPassword: "n3w-passw0rd!" }))).toBe(
        "too_many_attempts",
      );
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "cp@example.com", password: PW }))).toBe(
        "too_many_attempts",
      );
      clock.advance({ seconds: 1 });
      await platform.users.changePassword(actor, { currentPassword: PW, newPassword: "n3w-passw0rd!" });
      // The success cleared the count: the next wrong guess is an ordinary failure.
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "cp@example.com", password: PW }))).toBe(
        "invalid_credentials",
      );
    });

    it("parallel wrong current passwords: at most 5 reach the password check", async () => {
      const { platform } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "cpp@example.com", password: PW, name: "C" });
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
        token: (await platform.users.login(ANONYMOUS_ACTOR, { email: "cpp@example.com", password: PW })).token,
      });
      const codes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          codeOf(() => platform.users.changePassword(actor, { currentPassword: bad(i), newPassword: "n3w-passw0rd!" })),
        ),
      );
      expect(codes.filter((c) => c === "invalid_credentials").length).toBeLessThanOrEqual(5);
      expect(codes.filter((c) => c !== "invalid_credentials").every((c) => c === "too_many_attempts")).toBe(true);
    });
  });

  describe("credentials: progressive delay per e-mail, hard limit per client key", () => {
    it("after 5 failures the owner waits seconds, not a 15-minute lockout; each further failure doubles the wait", async () => {
      const { platform, clock } = makeOn(store);
      await platform.users.register(ANONYMOUS_ACTOR, { email: "pd@example.com", password: PW, name: "P" });
      for (let i = 0; i < 5; i++)
        expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "pd@example.com", password: bad(i) }))).toBe(
          "invalid_credentials",
        );
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "pd@example.com", password: PW }))).toBe(
        "too_many_attempts",
      );
      clock.advance({ seconds: 1 });
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "pd@example.com", password: bad(5) }))).toBe(
        "invalid_credentials",
      );
      clock.advance({ ms: 1_999 });
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "pd@example.com", password: PW }))).toBe(
        "too_many_attempts",
      );
      clock.advance({ ms: 1 });
      expect((await platform.users.login(ANONYMOUS_ACTOR, { email: "pd@example.com", password: PW })).customer.email).toBe(
        "pd@example.com",
      );
    });

    it("the wait reports when to retry", async () => {
      const { platform, clock } = makeOn(store);
      for (let i = 0; i < 5; i++)
        await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "ghost@example.com", password: bad(i) }));
      const error = await platform.users
        .login(ANONYMOUS_ACTOR, { email: "ghost@example.com", password: bad(9) })
        .catch((e: { code: string; details: { retryAt: string } }) => e);
      expect(error).toMatchObject({
        code: "too_many_attempts",
        details: { retryAt: new Date(clock.now().getTime() + 1_000).toISOString() },
      });
    });

    it("one client key guessing across many e-mails hits its own limit; other clients are not affected", async () => {
      const { platform } = makeOn(store, { loginThrottle: { client: { freeAttempts: 4 } } });
      await platform.users.register(ANONYMOUS_ACTOR, { email: "victim@example.com", password: PW, name: "V" });
      for (let i = 0; i < 4; i++)
        expect(
          await codeOf(() =>
            platform.users.login(ANONYMOUS_ACTOR, { email: `u${i}@example.com`, password: bad(i), source: { clientKey: "203.0.113.9" } }),
          ),
        ).toBe("invalid_credentials");
      expect(
        await codeOf(() =>
          platform.users.login(ANONYMOUS_ACTOR, { email: "victim@example.com", password: bad(9), source: { clientKey: "203.0.113.9" } }),
        ),
      ).toBe("too_many_attempts");
      // The refused attempt counted nowhere: the victim's e-mail still has all its free attempts.
      for (let i = 0; i < 4; i++)
        expect(
          await codeOf(() =>
            platform.users.login(ANONYMOUS_ACTOR, { email: "victim@example.com", password: bad(i), source: { clientKey: "198.51.100.1" } }),
          ),
        ).toBe("invalid_credentials");
      expect(
        (await platform.users.login(ANONYMOUS_ACTOR, { email: "victim@example.com", password: PW, source: { clientKey: "198.51.100.2" } }))
          .customer.email,
      ).toBe("victim@example.com");
    });

    it("an attempt refused for its e-mail does not count against its client key", async () => {
      const { platform } = makeOn(store, { loginThrottle: { client: { freeAttempts: 4 } } });
      for (let i = 0; i < 5; i++)
        await codeOf(() =>
          platform.users.login(ANONYMOUS_ACTOR, {
            email: "delayed@example.com",
            password: bad(i),
            source: { clientKey: `198.51.100.${i}` },
          }),
        );
      for (let i = 0; i < 10; i++)
        expect(
          await codeOf(() =>
            platform.users.login(ANONYMOUS_ACTOR, { email: "delayed@example.com", password: bad(i), source: { clientKey: "203.0.113.5" } }),
          ),
        ).toBe("too_many_attempts");
      for (let i = 0; i < 4; i++)
        expect(
          await codeOf(() =>
            platform.users.login(ANONYMOUS_ACTOR, {
              email: `other${i}@example.com`,
              password: bad(i),
              source: { clientKey: "203.0.113.5" },
            }),
          ),
        ).toBe("invalid_credentials");
      expect(
        await codeOf(() =>
          platform.users.login(ANONYMOUS_ACTOR, { email: "other9@example.com", password: bad(9), source: { clientKey: "203.0.113.5" } }),
        ),
      ).toBe("too_many_attempts");
    });

    it("only failures count against a client key: many customers behind one address sign in freely", async () => {
      const { platform } = makeOn(store, { loginThrottle: { client: { freeAttempts: 3 } } });
      for (let i = 0; i < 6; i++) {
        await platform.users.register(ANONYMOUS_ACTOR, { email: `nat${i}@example.com`, password: PW, name: "N" });
        await platform.users.login(ANONYMOUS_ACTOR, { email: `nat${i}@example.com`, password: PW, source: { clientKey: "192.0.2.1" } });
      }
      expect(
        await codeOf(() =>
          platform.users.login(ANONYMOUS_ACTOR, { email: "nat0@example.com", password: bad(1), source: { clientKey: "192.0.2.1" } }),
        ),
      ).toBe("invalid_credentials");
    });

    it("parallel guesses from one client key cannot pass its limit", async () => {
      const { platform } = makeOn(store, { loginThrottle: { client: { freeAttempts: 3 } } });
      const codes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          codeOf(() =>
            platform.users.login(ANONYMOUS_ACTOR, { email: `p${i}@example.com`, password: bad(i), source: { clientKey: "192.0.2.7" } }),
          ),
        ),
      );
      expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(3);
      expect(codes.filter((c) => c === "too_many_attempts")).toHaveLength(9);
    });

    it("refuses a malformed client key and bad policies", async () => {
      const { platform } = makeOn(store);
      expect(
        await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "k@example.com", password: PW, source: { clientKey: "" } })),
      ).toBe("invalid_client_key");
      expect(
        await codeOf(() =>
          platform.users.login(ANONYMOUS_ACTOR, { email: "k@example.com", password: PW, source: { clientKey: "x".repeat(257) } }),
        ),
      ).toBe("invalid_client_key");
      expect(await codeOf(async () => makeOn(store, { loginThrottle: { email: { freeAttempts: 0 } } }))).toBe("invalid_login_throttle");
      expect(await codeOf(async () => makeOn(store, { loginThrottle: { client: { baseDelayMs: 10, maxDelayMs: 5 } } }))).toBe(
        "invalid_login_throttle",
      );
    });
  });

  describe("credentials: hashes rise to the current parameters", () => {
    it("a successful login rehashes a hash stored with weaker parameters, and never downgrades", async () => {
      const weak = makeOn(store, { passwordHashing: { N: 1024 } });
      await weak.platform.users.register(ANONYMOUS_ACTOR, { email: "up@example.com", password: PW, name: "U" });
      const stored = () => weak.platform.store.transaction((tx) => tx.customers.getByEmail("up@example.com"));
      const before = await stored();
      const strong = makeOn(store, { store: weak.platform.store, passwordHashing: { N: 2048 } });
      expect(await codeOf(() => strong.platform.users.login(ANONYMOUS_ACTOR, { email: "up@example.com", password: bad(1) }))).toBe(
        "invalid_credentials",
      );
      expect((await stored())!.passwordHash).toEqual(before!.passwordHash); // a failure changes nothing
      await strong.platform.users.login(ANONYMOUS_ACTOR, { email: "up@example.com", password: PW });
      const after = await stored();
      expect(after!.passwordHash).toMatchObject({ algorithm: "scrypt", N: 2048, r: 8, p: 1 });
      expect(after!.passwordHash.salt).not.toBe(before!.passwordHash.salt);
      expect(after!.version).toBe(before!.version + 1);
      // The new hash verifies, on either platform, and the weaker one never writes its cost back.
      await weak.platform.users.login(ANONYMOUS_ACTOR, { email: "up@example.com", password: PW });
      expect((await stored())!.passwordHash).toEqual(after!.passwordHash);
    });
  });

  describe("credentials: uniform registration", () => {
    it("answers the same for a new and a taken e-mail; the owner of the taken one gets a notice", async () => {
      const outbox = new MemoryNotificationOutbox();
      const { platform } = makeOn(store, { notifications: { email: outbox, sms: null } });
      const owner = await platform.users.register(ANONYMOUS_ACTOR, { email: "taken@example.com", password: PW, name: "Owner" });
      const fresh = await platform.users.register(ANONYMOUS_ACTOR, { email: "new@example.com", password: PW, name: "New", uniform: true });
      const taken = await platform.users.register(ANONYMOUS_ACTOR, {
        email: " TAKEN@example.com",
        password: "an0ther-passw0rd",
        name: "Eve",
        uniform: true,
      });
      expect(fresh).toEqual({ email: "new@example.com" });
      expect(taken).toEqual({ email: "taken@example.com" });
      expect(Object.keys(taken)).toEqual(Object.keys(fresh));
      await platform.notifications.flush();
      expect(outbox.emails.map((m) => [m.template, m.to])).toEqual([["registration_attempted", "taken@example.com"]]);
      // Nothing about the existing account changed: its password and profile stay.
      const stored = await platform.store.transaction((tx) => tx.customers.getByEmail("taken@example.com"));
      expect(stored).toMatchObject({ id: owner.id, name: "Owner", version: 1 });
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "taken@example.com", password: "an0ther-passw0rd" }))).toBe(
        "invalid_credentials",
      );
      expect((await platform.users.login(ANONYMOUS_ACTOR, { email: "new@example.com", password: PW })).customer.name).toBe("New");
      // The default path still answers email_taken, and bad input is refused the same in both.
      expect(await codeOf(() => platform.users.register(ANONYMOUS_ACTOR, { email: "taken@example.com", password: PW, name: "X" }))).toBe(
        "email_taken",
      );
      expect(await codeOf(() => platform.users.register(ANONYMOUS_ACTOR, { email: "nope", password: PW, name: "X", uniform: true }))).toBe(
        "invalid_email",
      );
    });

    it("concurrent uniform registrations of one new e-mail: one account, the others notify it", async () => {
      const outbox = new MemoryNotificationOutbox();
      const { platform } = makeOn(store, { notifications: { email: outbox, sms: null } });
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          platform.users.register(ANONYMOUS_ACTOR, { email: "race@example.com", password: PW, name: `R${i}`, uniform: true }),
        ),
      );
      expect(results.every((r) => r.email === "race@example.com")).toBe(true);
      await platform.notifications.flush();
      expect(outbox.emails.filter((m) => m.template === "registration_attempted")).toHaveLength(4);
    });
  });

  describe("bounded state: purges of sessions and throttle counters", () => {
    it("purges sessions ended longer ago than the retention, and nothing else", async () => {
      const { platform, clock } = makeOn(store, { sessionRetentionMs: 3_600_000 });
      await platform.users.register(ANONYMOUS_ACTOR, { email: "ps@example.com", password: PW, name: "S" });
      const ended = await platform.users.login(ANONYMOUS_ACTOR, { email: "ps@example.com", password: PW });
      const revoked = await platform.users.login(ANONYMOUS_ACTOR, { email: "ps@example.com", password: PW });
      await platform.users.logout(ANONYMOUS_ACTOR, { token: revoked.token });
      clock.advance({ hours: 24, seconds: 1 });
      const live = await platform.users.login(ANONYMOUS_ACTOR, { email: "ps@example.com", password: PW });
      expect(await platform.users.purgeEndedSessions()).toBe(1); // revoked 24 h ago; the expired one ended 1 s ago
      clock.advance({ hours: 1 });
      expect(await platform.users.purgeEndedSessions({ limit: 10 })).toBe(1);
      expect(await platform.users.purgeEndedSessions()).toBe(0);
      expect(await codeOf(() => platform.users.authenticate(ANONYMOUS_ACTOR, { token: ended.token }))).toBe("invalid_session");
      expect((await platform.users.authenticate(ANONYMOUS_ACTOR, { token: live.token })).id).toBeDefined();
      expect(await codeOf(() => platform.users.purgeEndedSessions({ limit: 0 }))).toBe("invalid_limit");
      expect(await codeOf(() => platform.users.purgeLoginThrottles({ limit: 1.5 }))).toBe("invalid_limit");
    });

    it("purges counters of unknown e-mails once their window is over, keeping live ones", async () => {
      const { platform, clock } = makeOn(store, { loginThrottle: { email: { windowMs: 3_600_000 }, client: { windowMs: 3_600_000 } } });
      for (let i = 0; i < 30; i++)
        await codeOf(() =>
          platform.users.login(ANONYMOUS_ACTOR, {
            email: `unknown${i}@example.com`,
            password: bad(i),
            source: { clientKey: `10.0.0.${i % 3}` },
          }),
        );
      expect(await platform.users.purgeLoginThrottles()).toBe(0);
      clock.advance({ minutes: 30 });
      for (let i = 0; i < 5; i++)
        await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "still@example.com", password: bad(i) }));
      clock.advance({ minutes: 30 });
      expect(await platform.users.purgeLoginThrottles({ limit: 20 })).toBe(20);
      expect(await platform.users.purgeLoginThrottles()).toBe(13); // 10 e-mails and 3 client keys
      // The live counter survived: its delay still holds.
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "still@example.com", password: PW }))).toBe(
        "invalid_credentials",
      );
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email: "still@example.com", password: PW }))).toBe(
        "too_many_attempts",
      );
    });
  });
});
