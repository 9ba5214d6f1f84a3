import { extractMentions } from "../domain/text.js";
import type { SocialTx } from "../ports/social-store.js";

/** At most this many mentions of one text notify (Mastodon-style spam guard). */
const MAX_MENTIONS = 10;

/**
 * Ids of the users a text mentions: unknown names, the author and anyone on the other side of a
 * block are dropped, so a block stops mentions.
 */
export async function resolveMentions(tx: SocialTx, authorId: string, text: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of extractMentions(text).slice(0, MAX_MENTIONS)) {
    const user = await tx.users.getByUsername(name);
    if (!user || user.id === authorId) continue;
    if (await tx.blocks.eitherBlocks(authorId, user.id)) continue;
    ids.push(user.id);
  }
  return ids;
}
