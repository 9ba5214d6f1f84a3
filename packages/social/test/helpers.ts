import { ManualClock } from "@platform/core";
import { createSocialMediaPlatform, type SocialMediaPlatform, type SocialPlatformOptions, type SocialStore, type User } from "../src/index.js";

/** The store `world()` uses when none is given: memory by default; the PostgreSQL suite file swaps it. */
export const defaultStore: { make: (() => SocialStore) | undefined } = { make: undefined };

export interface World {
  social: SocialMediaPlatform;
  clock: ManualClock;
  user(name: string, extra?: { isPrivate?: boolean; role?: "user" | "admin" }): Promise<User>;
}

/** A platform on a manual clock that ticks one second per call to `tick`. */
export function world(options: SocialPlatformOptions = {}): World {
  const clock = new ManualClock("2026-01-01T00:00:00Z");
  const store = options.store ?? defaultStore.make?.();
  const social = createSocialMediaPlatform({ clock, ...options, ...(store ? { store } : {}) });
  return {
    social,
    clock,
    user: (name, extra = {}) => social.users.create({ username: name, email: `${name}@example.com`, name, ...extra }),
  };
}

/** One `codeOf` for every suite: core's testing helper. */
export { codeOf } from "@platform/core/testing";
