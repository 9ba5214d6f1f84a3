import { emailSchema } from "@platform/core";
import { z } from "zod";
import { BIO_MAX_LENGTH, NAME_MAX_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from "./limits.js";
import { socialCodes } from "./error-codes.js";
import { codedUrlSchema, userIdSchema } from "./schemas.js";
import { codePointLength } from "./text.js";

/** Who a user is to the platform: admins may verify accounts. */
export type UserRole = "user" | "admin";

/** A user and their profile. Counters are kept exact by the services, in the transaction that moves them. */
export interface User {
  readonly id: string;
  /** As chosen, e.g. `John_Doe`; unique case-insensitively. */
  readonly username: string;
  readonly email: string;
  readonly name: string;
  readonly bio: string;
  readonly avatarUrl: string | null;
  /** A private account approves each follower and shows its posts to followers only. */
  readonly isPrivate: boolean;
  readonly isVerified: boolean;
  readonly role: UserRole;
  /**
   * The host's id for this person (e.g. the commerce customer id), unique, or null. It links one
   * login across packages; it is the host's to set and is never shown on profiles.
   */
  readonly externalId: string | null;
  readonly followersCount: number;
  readonly followingCount: number;
  readonly postsCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The counters of a user, as stored or as recounted. */
export interface UserCounters {
  followersCount: number;
  followingCount: number;
  postsCount: number;
}

/**
 * Names no one may register: routes, roles and words that would let an account impersonate the
 * platform (Mastodon and GitHub keep similar lists).
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  "admin",
  "administrator",
  "root",
  "system",
  "support",
  "help",
  "about",
  "api",
  "www",
  "mail",
  "settings",
  "login",
  "logout",
  "signup",
  "register",
  "home",
  "explore",
  "search",
  "notifications",
  "me",
  "moderator",
  "staff",
  "official",
  "security",
  "null",
  "undefined",
  "everyone",
  "here",
  "all",
  "abuse",
  "postmaster",
]);

/** Lower-cased username used for uniqueness and look-ups. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** A username: 3-30 ASCII letters, digits or underscores, not reserved (`invalid_username`, `username_reserved`). */
export const usernameSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const re = new RegExp(`^[A-Za-z0-9_]{${USERNAME_MIN_LENGTH},${USERNAME_MAX_LENGTH}}$`);
    if (!re.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `must be ${USERNAME_MIN_LENGTH}-${USERNAME_MAX_LENGTH} letters, digits or underscores`,
        params: { code: socialCodes.invalid_username },
      });
    } else if (RESERVED_USERNAMES.has(usernameKey(value))) {
      ctx.addIssue({ code: "custom", message: "is reserved", params: { code: socialCodes.username_reserved } });
    }
  });

const nameSchema = z
  .string()
  .trim()
  .min(1)
  .refine((v) => codePointLength(v) <= NAME_MAX_LENGTH, {
    message: `at most ${NAME_MAX_LENGTH} characters`,
    params: { code: socialCodes.name_too_long },
  });
const bioSchema = z
  .string()
  .trim()
  .refine((v) => codePointLength(v) <= BIO_MAX_LENGTH, {
    message: `at most ${BIO_MAX_LENGTH} characters`,
    params: { code: socialCodes.bio_too_long },
  });
const avatarSchema = codedUrlSchema(socialCodes.invalid_avatar_url);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A host principal id (`invalid_external_id`): 1-255 characters, no control characters or lone
 * surrogates, so it indexes and compares the same on every store.
 */
export const externalIdSchema = z
  .string()
  .refine((v) => v.length >= 1 && v.length <= 255 && !LONE_SURROGATE.test(v) && !/\p{Cc}/u.test(v), {
    message: "must be 1-255 characters without control characters",
    params: { code: socialCodes.invalid_external_id },
  });

/** Input of `users.create`. Anyone may register; `role: "admin"` needs an actor with the `admin` role. */
export const createUserSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  name: nameSchema,
  bio: bioSchema.default(""),
  avatarUrl: avatarSchema.nullish().transform((v) => v ?? null),
  isPrivate: z.boolean().default(false),
  role: z.enum(["user", "admin"]).default("user"),
  externalId: externalIdSchema.nullish().transform((v) => v ?? null),
});
/** Parsed input of `users.create`. */
export type CreateUserInput = z.input<typeof createUserSchema>;

/** Input of `users.updateProfile`: the actor edits their own profile. */
export const updateProfileSchema = z.object({
  name: nameSchema.optional(),
  bio: bioSchema.optional(),
  avatarUrl: avatarSchema.nullable().optional(),
  isPrivate: z.boolean().optional(),
});

/** Input of `users.setVerified` (admin actors only). */
export const setVerifiedSchema = z.object({ userId: userIdSchema, verified: z.boolean() });

/** Input of calls about one user, seen by an actor. */
export const userTargetSchema = z.object({ userId: userIdSchema });

/** Input of `users.getByUsername`. */
export const usernameLookupSchema = z.object({ username: z.string().trim().min(1).max(64) });

/** The public face of a user, as embedded in posts, comments and notifications. */
export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly avatarUrl: string | null;
  readonly isVerified: boolean;
  readonly isPrivate: boolean;
}

/** A user's public face. */
export function summarize(user: User): UserSummary {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    avatarUrl: user.avatarUrl,
    isVerified: user.isVerified,
    isPrivate: user.isPrivate,
  };
}

/** A user as it crosses the wire; `email` and `role` only in the owner's own view. */
export interface UserJSON {
  id: string;
  username: string;
  name: string;
  bio: string;
  avatarUrl: string | null;
  isPrivate: boolean;
  isVerified: boolean;
  followersCount: number;
  followingCount: number;
  postsCount: number;
  createdAt: string;
  email?: string;
  role?: UserRole;
}

/**
 * The wire view of a user for one viewer: the owner (`viewerId === user.id`) also gets their e-mail
 * and role; anyone else gets the public profile fields. The host's `externalId` is left out of both
 * views (it is the host's key, e.g. the commerce customer id, and identifies the person across
 * packages). Fields are copied by name, so fields added to {@link User} stay private by default.
 * @example
 * ```ts
 * const me = await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: customerId });
 * return c.json(toUserJSON(me, me.id));
 * ```
 */
export function toUserJSON(user: User, viewerId: string | null): UserJSON {
  const view: UserJSON = {
    id: user.id,
    username: user.username,
    name: user.name,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    isPrivate: user.isPrivate,
    isVerified: user.isVerified,
    followersCount: user.followersCount,
    followingCount: user.followingCount,
    postsCount: user.postsCount,
    createdAt: user.createdAt.toISOString(),
  };
  return viewerId === user.id ? { ...view, email: user.email, role: user.role } : view;
}

/** A profile as another user sees it (e-mail and role stay private to the owner). */
export interface Profile extends UserSummary {
  readonly bio: string;
  readonly followersCount: number;
  readonly followingCount: number;
  readonly postsCount: number;
  readonly createdAt: Date;
  /** The relationship of the viewer to this user. */
  readonly relationship: Relationship;
}

/** How the viewer relates to a user (Mastodon's `Relationship`). */
export interface Relationship {
  readonly following: boolean;
  readonly followedBy: boolean;
  readonly requested: boolean;
  readonly blocking: boolean;
  readonly muting: boolean;
}
