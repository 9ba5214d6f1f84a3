/** Length of a username: 3 to 30 ASCII letters, digits or underscores (Mastodon allows 30). */
export const USERNAME_MIN_LENGTH = 3;
/** Longest username. */
export const USERNAME_MAX_LENGTH = 30;
/** Longest display name, in code points. */
export const NAME_MAX_LENGTH = 50;
/** Longest bio, in code points. */
export const BIO_MAX_LENGTH = 160;
/** Longest post, in code points (Mastodon's default). */
export const POST_MAX_LENGTH = 500;
/** Most images on one post (Mastodon and Twitter allow 4). */
export const POST_MAX_IMAGES = 4;
/** Longest comment, in code points. */
export const COMMENT_MAX_LENGTH = 500;
