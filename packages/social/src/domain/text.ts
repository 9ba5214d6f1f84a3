/** Length of a string in Unicode code points, so an emoji counts once, not as two UTF-16 units. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

// A hashtag or mention starts at the beginning or after a character that cannot be part of a
// word, so "mail@example.com" or "a#b" are not entities (Mastodon's rule).
const HASHTAG = /(?<![\p{L}\p{N}_&/])#([\p{L}\p{M}\p{N}_]{1,100})/gu;
const MENTION = /(?<![\p{L}\p{N}_/@.])@([A-Za-z0-9_]{1,30})(?![A-Za-z0-9_])/gu;

/**
 * Hashtags of a text, normalised (NFKC, lower case), without duplicates, in order of appearance.
 * A tag needs a non-digit character: "#2026" is a number, not a tag.
 * @example extractHashtags("Hello #Café #café #日本 #42") // ["café", "日本"]
 */
export function extractHashtags(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(HASHTAG)) {
    const tag = match[1]!.normalize("NFKC").toLowerCase();
    if (/^\p{N}+$/u.test(tag)) continue;
    out.add(tag);
  }
  return [...out];
}

/**
 * Usernames mentioned in a text (`@name`), lower-cased, without duplicates, in order.
 * Mentions of remote accounts (`@name@host`) and e-mail addresses are ignored.
 */
export function extractMentions(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const end = (match.index ?? 0) + match[0].length;
    if (text[end] === "@") continue;
    out.add(match[1]!.toLowerCase());
  }
  return [...out];
}
