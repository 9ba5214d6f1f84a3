import { z } from "zod";
import { emailSchema } from "@platform/core";
import { codedString, type Role } from "./schemas.js";
import { commerceCodes } from "./error-codes.js";

/** Stored scrypt parameters and output: enough to verify even after the defaults change. */
export interface PasswordHash {
  readonly algorithm: "scrypt";
  readonly salt: string;
  readonly hash: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly keyLength: number;
}

/** A registered customer. The password hash never leaves the services. */
export interface Customer {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
  readonly roles: readonly Role[];
  readonly passwordHash: PasswordHash;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** A customer as services return it: no password material. */
export type CustomerProfile = Omit<Customer, "passwordHash">;

/** Strips the password hash. */
export function toProfile(customer: Customer): CustomerProfile {
  const { passwordHash: _omit, ...profile } = customer;
  return profile;
}

/** A customer as it crosses the wire. */
export interface CustomerJSON {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  roles: Role[];
  createdAt: string;
  updatedAt: string;
}

/**
 * The wire view of a customer, for the customer themself or an admin. It copies the fields it keeps,
 * so a full {@link Customer} passed by mistake still leaves its password hash (and any field added
 * later) behind.
 * @example
 * ```ts
 * const { token, expiresAt, customer } = await shop.users.login({ email, password });
 * return c.json({ token, expiresAt, customer: toCustomerJSON(customer) });
 * ```
 */
export function toCustomerJSON(customer: CustomerProfile | Customer): CustomerJSON {
  return {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    phone: customer.phone,
    roles: [...customer.roles],
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}

/** A normalised email; a bad one answers `invalid_email`. */
export const customerEmailSchema = z.unknown().transform((v, ctx) => {
  const result = emailSchema.safeParse(v);
  if (!result.success) {
    ctx.addIssue({ code: "custom", message: "invalid email address", params: { code: commerceCodes.invalid_email } });
    return z.NEVER;
  }
  return result.data;
});

/**
 * Password policy (NIST 800-63B flavoured): 10-128 characters, at least one letter and
 * one digit or symbol; a policy failure answers `weak_password`.
 */
export const passwordSchema = z.string().superRefine((v, ctx) => {
  const problems: string[] = [];
  if (v.length < 10) problems.push("at least 10 characters");
  if (v.length > 128) problems.push("at most 128 characters");
  if (!/\p{L}/u.test(v)) problems.push("a letter");
  if (!/[^\p{L}]/u.test(v)) problems.push("a digit or symbol");
  if (problems.length > 0)
    ctx.addIssue({ code: "custom", message: `password needs ${problems.join(", ")}`, params: { code: commerceCodes.weak_password } });
});

const phoneSchema = z
  .string()
  .trim()
  .refine((v) => /^\+?[0-9 ()-]{3,20}$/.test(v), { message: "invalid phone number", params: { code: commerceCodes.invalid_phone } });

/** Input of `users.register`. */
export const registerSchema = z.object({
  email: customerEmailSchema,
  password: passwordSchema,
  name: codedString(1, 200, commerceCodes.invalid_name),
  phone: phoneSchema.nullish(),
  /** Answer the same whether the e-mail was new or taken (see `users.register`). */
  uniform: z.boolean().optional(),
});
/** Input of `users.register`, before parsing. */
export type RegisterInput = z.input<typeof registerSchema>;

/** Input of `users.login`. A guest cart id is merged into the customer's cart. */
export const loginSchema = z.object({
  email: customerEmailSchema,
  password: z.string().min(1).max(1024),
  guestCartId: z.string().min(1).max(64).optional(),
});
/** Input of `users.login`, before parsing. */
export type LoginInput = z.input<typeof loginSchema>;

/** Input of `users.updateProfile`. */
export const updateProfileSchema = z.object({
  name: codedString(1, 200, commerceCodes.invalid_name).optional(),
  phone: phoneSchema.nullable().optional(),
});

/** Input of `users.changePassword`. */
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});
