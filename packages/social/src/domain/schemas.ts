import { idSchema } from "@platform/core";
import type { SocialErrorCode } from "./error-codes.js";
import { z } from "zod";

/**
 * An id of a given prefix, accepted as a plain string (entities carry plain strings) and checked
 * with core's `idSchema` (`invalid_id`).
 */
function prefixedId<P extends string>(prefix: P) {
  return z
    .string()
    .pipe(idSchema(prefix))
    .transform((v): string => v);
}

/** A user id (`usr_...`). */
export const userIdSchema = prefixedId("usr");
/** A post id (`post_...`). */
export const postIdSchema = prefixedId("post");
/** A comment id (`cmt_...`). */
export const commentIdSchema = prefixedId("cmt");
/** A notification id (`ntf_...`). */
export const notificationIdSchema = prefixedId("ntf");

/** An http(s) URL with its own error code, e.g. `invalid_image_url`. */
export function codedUrlSchema(code: SocialErrorCode) {
  return z
    .string()
    .trim()
    .max(2048)
    .superRefine((value, ctx) => {
      try {
        if (["http:", "https:"].includes(new URL(value).protocol)) return;
      } catch {
        // fall through
      }
      ctx.addIssue({ code: "custom", message: "must be an http(s) URL", params: { code } });
    });
}
