import { defineErrorCodes } from "@platform/core";

/**
 * Every error code thrown by \@platform/social that is not one of core's (`CORE_ERROR_CODES`:
 * `validation_failed`, `invalid_cursor`, `invalid_actor`, `unauthenticated`, `role_required` ...
 * apply too), with its kind and when it is thrown. docs/social.md renders its code table from it.
 */
export const SOCIAL_ERROR_CODES = {
  invalid_username: { kind: "validation", description: "a username is not 3-30 ASCII letters, digits or underscores" },
  username_reserved: {
    kind: "validation",
    description: "a username is reserved (`admin`, `support`, `settings` ...: see `RESERVED_USERNAMES`)",
  },
  name_too_long: { kind: "validation", description: "a display name is longer than 50 code points" },
  bio_too_long: { kind: "validation", description: "a bio is longer than 160 code points" },
  invalid_avatar_url: { kind: "validation", description: "an avatar URL is not an absolute http(s) URL" },
  invalid_external_id: {
    kind: "validation",
    description: "a host id (`externalId`) is empty, over 255 characters, or holds control characters or lone surrogates",
  },
  content_empty: { kind: "validation", description: "a post or comment is empty after trimming" },
  content_too_long: { kind: "validation", description: "a post or comment is longer than 500 code points" },
  too_many_images: { kind: "validation", description: "a post carries more than 4 images" },
  invalid_image_url: { kind: "validation", description: "an image URL is not an absolute http(s) URL" },
  unknown_actor: { kind: "unauthenticated", description: "`actor.id` is not the id of a social user" },
  not_author: {
    kind: "forbidden",
    description:
      "someone other than the author (or, for deleting a comment, the post's owner) tried to change a post or comment they may see",
  },
  not_recipient: { kind: "forbidden", description: "someone marked another user's notification read" },
  blocked_by_user: { kind: "forbidden", description: "the other user blocks the actor (following them, reading their content)" },
  user_blocked: { kind: "forbidden", description: "the actor blocks the other user and tried to follow them" },
  account_private: {
    kind: "forbidden",
    description: "the content or follow lists of a private account were read by someone who does not follow it",
  },
  user_not_found: { kind: "not_found", description: "no user has this id, username or host id" },
  post_not_found: {
    kind: "not_found",
    description: "no post with this id is visible to the actor (missing and hidden posts answer alike)",
  },
  post_deleted: { kind: "not_found", description: "the post was deleted (only told to those who could see it)" },
  comment_not_found: {
    kind: "not_found",
    description: "no comment with this id is visible to the actor (missing and hidden comments answer alike)",
  },
  comment_deleted: { kind: "not_found", description: "the comment was deleted (only told to those who could see it)" },
  follow_request_not_found: {
    kind: "not_found",
    description: "there is no pending follow request between the two users to approve, reject or cancel",
  },
  notification_not_found: { kind: "not_found", description: "no notification has this id" },
  username_taken: { kind: "conflict", description: "another account has this username (compared case-insensitively)" },
  email_taken: { kind: "conflict", description: "another account has this e-mail address" },
  external_id_taken: { kind: "conflict", description: "the host id is linked to another account" },
  already_following: {
    kind: "conflict",
    description: "a store refused a second follow row for the same pair (services use insert-if-absent and never throw it)",
  },
  already_requested: {
    kind: "conflict",
    description: "a store refused a second follow request for the same pair (services never throw it)",
  },
  already_blocked: { kind: "conflict", description: "a store refused a second block row for the same pair (services never throw it)" },
  already_muted: { kind: "conflict", description: "a store refused a second mute row for the same pair (services never throw it)" },
  already_reposted: {
    kind: "conflict",
    description: "a store refused a second repost of a post by the same user (services never throw it)",
  },
  already_liked: { kind: "conflict", description: "a store refused a second like of a target by the same user (services never throw it)" },
  notification_exists: {
    kind: "conflict",
    description: "a store refused a second notification with the same recipient and dedupe key (services never throw it)",
  },
  self_follow: { kind: "domain_rule", description: "a user tried to follow themselves" },
  self_block: { kind: "domain_rule", description: "a user tried to block themselves" },
  self_mute: { kind: "domain_rule", description: "a user tried to mute themselves" },
  post_not_repostable: { kind: "domain_rule", description: "only public posts of public accounts can be reposted" },
  parent_mismatch: { kind: "domain_rule", description: "a reply names a parent comment of another post" },
} as const;

/** The codes of \@platform/social as constants: `socialCodes.post_not_found === "post_not_found"`. */
export const socialCodes = defineErrorCodes(SOCIAL_ERROR_CODES);

/** A code thrown by \@platform/social (core's codes aside). */
export type SocialErrorCode = keyof typeof SOCIAL_ERROR_CODES;
