import { z } from "zod";
import { POST_MAX_IMAGES, POST_MAX_LENGTH } from "./limits.js";
import { pageRequestSchema } from "@platform/core";
import { socialCodes } from "./error-codes.js";
import { codedUrlSchema, postIdSchema, userIdSchema } from "./schemas.js";
import { codePointLength } from "./text.js";
import type { UserSummary } from "./user.js";

/** Who may see a post: everyone, or the author's accepted followers only. */
export type PostVisibility = "public" | "followers";

/**
 * How a post reaches home feeds, decided when it is created: `push` = written into each
 * follower's feed (fan-out on write), `pull` = merged at read time because the author has more
 * followers than the fan-out threshold (fan-out on read).
 */
export type Delivery = "push" | "pull";

/** A post. Deleted posts stay as tombstones so likes and comments on them get `post_deleted`. */
export interface Post {
  readonly id: string;
  /** Store-wide increasing position: feeds and lists are ordered by it (newest first). */
  readonly seq: number;
  readonly authorId: string;
  readonly content: string;
  readonly images: readonly string[];
  readonly visibility: PostVisibility;
  /** Normalised hashtags (`extractHashtags`). */
  readonly hashtags: readonly string[];
  /** Ids of the users mentioned (resolved when written; unknown or blocked names are dropped). */
  readonly mentionIds: readonly string[];
  readonly delivery: Delivery;
  readonly likesCount: number;
  readonly commentsCount: number;
  readonly repostsCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Set on every edit: clients show "edited". */
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
}

/** The counters of a post. */
export interface PostCounters {
  likesCount: number;
  commentsCount: number;
  repostsCount: number;
}

/** A repost ("boost"): one per user per post. */
export interface Repost {
  readonly id: string;
  readonly seq: number;
  readonly userId: string;
  readonly postId: string;
  readonly delivery: Delivery;
  readonly createdAt: Date;
}

/**
 * One entry of an author's timeline (Stream's "activity"): a post or a repost, with its seq and
 * delivery. Feeds hold references to activities, never copies of posts.
 */
export interface Activity {
  /** The post id for a post, the repost id for a repost. */
  readonly id: string;
  readonly seq: number;
  readonly actorId: string;
  readonly verb: "post" | "repost";
  readonly postId: string;
  readonly delivery: Delivery;
  readonly createdAt: Date;
}

/** Post text: non-empty after trimming (`content_empty`), at most 500 code points (`content_too_long`). */
export function contentSchema(max: number, what = "content") {
  return z.string().superRefine((value, ctx) => {
    if (value.trim().length === 0)
      ctx.addIssue({ code: "custom", message: `${what} must not be empty`, params: { code: socialCodes.content_empty } });
    else if (codePointLength(value) > max)
      ctx.addIssue({ code: "custom", message: `${what} is longer than ${max} characters`, params: { code: socialCodes.content_too_long } });
  });
}

const imagesSchema = z
  .array(codedUrlSchema(socialCodes.invalid_image_url))
  .refine((list) => list.length <= POST_MAX_IMAGES, {
    message: `at most ${POST_MAX_IMAGES} images`,
    params: { code: socialCodes.too_many_images },
  })
  .default([]);

/** Input of `posts.create`. */
export const createPostSchema = z.object({
  content: contentSchema(POST_MAX_LENGTH),
  images: imagesSchema,
  visibility: z.enum(["public", "followers"]).default("public"),
});

/** Input of `posts.edit`: new content and/or images, by the author only. */
export const editPostSchema = z.object({
  postId: postIdSchema,
  content: contentSchema(POST_MAX_LENGTH).optional(),
  images: z
    .array(codedUrlSchema(socialCodes.invalid_image_url))
    .refine((list) => list.length <= POST_MAX_IMAGES, {
      message: `at most ${POST_MAX_IMAGES} images`,
      params: { code: socialCodes.too_many_images },
    })
    .optional(),
});

/** Input of calls on one post. */
export const postTargetSchema = z.object({ postId: postIdSchema });

/** Input of `posts.listByUser`. */
export const postsByUserSchema = pageRequestSchema.extend({ userId: userIdSchema });

/** Input of `posts.listByHashtag` (with or without the leading `#`). */
export const postsByHashtagSchema = pageRequestSchema.extend({
  hashtag: z
    .string()
    .trim()
    .min(1)
    .max(101)
    .transform((t) => t.replace(/^#/, "").normalize("NFKC").toLowerCase()),
});

/** Input of lists about one post (likers, reposters). */
export const postPageSchema = pageRequestSchema.extend({ postId: postIdSchema });

/** A post as a viewer sees it. */
export interface PostView {
  readonly id: string;
  readonly author: UserSummary;
  readonly content: string;
  readonly images: readonly string[];
  readonly visibility: PostVisibility;
  readonly hashtags: readonly string[];
  readonly mentionIds: readonly string[];
  readonly likesCount: number;
  readonly commentsCount: number;
  readonly repostsCount: number;
  readonly createdAt: Date;
  readonly editedAt: Date | null;
}

/** Builds the view of a post. */
export function postView(post: Post, author: UserSummary): PostView {
  return {
    id: post.id,
    author,
    content: post.content,
    images: post.images,
    visibility: post.visibility,
    hashtags: post.hashtags,
    mentionIds: post.mentionIds,
    likesCount: post.likesCount,
    commentsCount: post.commentsCount,
    repostsCount: post.repostsCount,
    createdAt: post.createdAt,
    editedAt: post.editedAt,
  };
}
