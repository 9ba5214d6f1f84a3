import { z } from "zod";
import { AuthenticationError, ForbiddenError, ValidationError } from "../errors/errors.js";
import { coreCodes } from "../errors/core-error-codes.js";

/**
 * Who is calling: the principal the host app authenticated (a customer, a social user, an API
 * client or a back-office user), passed as the first argument of every service method.
 *
 * `id` is the principal's id in the package it calls (a customer id in commerce, a user id in
 * social, a client id kept for audit in payments), or `null` for the anonymous actor. `roles` are
 * trusted as given: build actors from your own authentication (or commerce's
 * `users.authenticate(token)`), never from request data.
 */
export interface Actor<Role extends string = string> {
  readonly id: string | null;
  readonly roles: readonly Role[];
}

/** The actor of a request nobody signed in to: no id, no roles (browsing, registering, signing in). */
export const ANONYMOUS_ACTOR: Actor<never> = Object.freeze({ id: null, roles: Object.freeze([]) as readonly never[] });

const actorSchema = z.object({ id: z.string().min(1).max(64).nullable(), roles: z.array(z.string().min(1).max(64)).max(32) });

/**
 * Checks the shape of an actor handed in by the host (JavaScript callers get no type check).
 * @throws ValidationError `invalid_actor`.
 */
export function checkActor<R extends string>(actor: Actor<R>): Actor<R> {
  if (!actorSchema.safeParse(actor).success) {
    throw new ValidationError(coreCodes.invalid_actor, "the actor must be { id: string | null, roles: string[] }", {
      issues: [{ path: ["actor"], message: "invalid actor", code: coreCodes.invalid_actor }],
    });
  }
  return actor;
}

/** True when the actor holds one of the roles. */
export function hasRole(actor: Actor, ...roles: readonly string[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

/**
 * Asserts that the actor holds at least one of the roles.
 * @throws ValidationError `invalid_actor`; ForbiddenError `role_required` (`details.roles`).
 * @example
 * ```ts
 * requireRole(actor, "admin");
 * ```
 */
export function requireRole(actor: Actor, ...roles: readonly string[]): void {
  checkActor(actor);
  if (!hasRole(actor, ...roles)) {
    throw new ForbiddenError(coreCodes.role_required, `this operation needs the ${roles.join(" or ")} role`, {
      details: { roles: [...roles] },
    });
  }
}

/**
 * Returns the id of a signed-in actor.
 * @throws ValidationError `invalid_actor`; AuthenticationError `unauthenticated` for the anonymous actor.
 */
export function requireActorId(actor: Actor): string {
  checkActor(actor);
  if (actor.id === null) throw new AuthenticationError(coreCodes.unauthenticated, "a signed-in actor is required");
  return actor.id;
}
