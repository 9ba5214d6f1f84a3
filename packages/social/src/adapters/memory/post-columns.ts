import { ConflictError, coreCodes, type MemoryTransactionRunner } from "@platform/core";
import type { Post } from "../../domain/post.js";
import { dateOrNull, flatten, grown, ListInterner, msOrNaN, StringInterner } from "./columns.js";
import { SortedLists } from "./sorted-lists.js";

const FOLLOWERS_ONLY = 1;
const PULL = 2;

type PostPatch = Partial<Omit<Post, "id" | "seq" | "authorId">>;

/**
 * The posts of the memory store in columns: one row per post, numbers in typed arrays, strings
 * interned, no object per post beyond its id and content strings. Rows are appended and never
 * removed (posts are tombstoned, not deleted), so a row number is a stable handle that
 * activities and feeds can hold. Ordered indexes by author and hashtag hold live posts only.
 * Every write is journaled in the current memory transaction: a rollback restores rows, counters
 * and indexes exactly.
 */
export class PostColumns {
  private size = 0;
  private live = 0;
  private readonly rowOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly contents: string[] = [];
  private readonly images: (readonly string[])[] = [];
  private readonly hashtags: (readonly string[])[] = [];
  private readonly mentions: (readonly string[])[] = [];
  private seqs = new Float64Array(0);
  private authors = new Int32Array(0);
  private flags = new Uint8Array(0);
  private likes = new Int32Array(0);
  private comments = new Int32Array(0);
  private reposts = new Int32Array(0);
  private created = new Float64Array(0);
  private updated = new Float64Array(0);
  private edited = new Float64Array(0);
  private deleted = new Float64Array(0);
  private readonly byAuthor: SortedLists<number>;
  private readonly byHashtag: SortedLists<number>;
  private readonly lists = new ListInterner();

  constructor(
    private readonly runner: MemoryTransactionRunner,
    /** Shared with the other columnar tables: user ids become 4-byte codes. */
    readonly users: StringInterner,
  ) {
    this.byAuthor = new SortedLists<number>(runner);
    this.byHashtag = new SortedLists<number>(runner);
  }

  /** Number of rows, tombstones included. */
  get rowCount(): number {
    return this.size;
  }

  /** Number of live (not deleted) posts. */
  get liveCount(): number {
    return this.live;
  }

  /** The row of post `id`, or -1. */
  rowOfId(id: string): number {
    return this.rowOf.get(id) ?? -1;
  }

  seqAt(row: number): number {
    return this.seqs[row]!;
  }

  get(id: string): Post | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.materialise(row);
  }

  /** Every post in insertion order, tombstones included (a full scan, for tests and tooling). */
  *values(): IterableIterator<Post> {
    for (let row = 0; row < this.size; row++) yield this.materialise(row);
  }

  /** The same rows as {@link PostColumns.values}, under the `table` name the row-object tables use. */
  get table(): { values(): IterableIterator<Post> } {
    return this;
  }

  /** Appends a post. @throws ConflictError `duplicate_id`. */
  insert(post: Post): Post {
    const tx = this.runner.require();
    if (this.rowOf.has(post.id))
      throw new ConflictError(coreCodes.duplicate_id, `posts ${post.id} already exists`, { details: { table: "posts", id: post.id } });
    const row = this.size;
    this.ensure(row + 1);
    this.size = row + 1;
    this.rowOf.set(post.id, row);
    this.ids[row] = flatten(post.id);
    this.seqs[row] = post.seq;
    this.authors[row] = this.users.intern(post.authorId);
    this.write(row, post);
    if (this.isLive(row)) this.live++;
    tx.journal(() => {
      if (this.isLive(row)) this.live--;
      this.rowOf.delete(post.id);
      this.size = row;
      // Drop the references so the strings of a rolled-back post can be collected.
      this.ids.length = this.contents.length = this.images.length = this.hashtags.length = this.mentions.length = row;
    });
    this.index(row);
    return this.materialise(row);
  }

  /** Rewrites fields of a post (never its id, seq or author); keeps the indexes in step. */
  update(id: string, patch: PostPatch): Post | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    const tx = this.runner.require();
    const before = this.materialise(row);
    const reindex = "deletedAt" in patch || "hashtags" in patch;
    if (reindex) this.unindex(row);
    const wasLive = this.isLive(row);
    this.write(row, { ...before, ...patch });
    this.live += Number(this.isLive(row)) - Number(wasLive);
    tx.journal(() => {
      this.live += Number(wasLive) - Number(this.isLive(row));
      this.write(row, before);
    });
    if (reindex) this.index(row);
    return this.materialise(row);
  }

  /** Live posts of an author, strictly below `before`, newest first. */
  pageByAuthor(authorId: string, before: number | null | undefined, limit: number): Post[] {
    return this.byAuthor.before(authorId, before, limit).map((e) => this.materialise(e.value));
  }

  /** Live posts carrying `tag`, strictly below `before`, newest first. */
  pageByHashtag(tag: string, before: number | null | undefined, limit: number): Post[] {
    return this.byHashtag.before(tag, before, limit).map((e) => this.materialise(e.value));
  }

  countByAuthor(authorId: string): number {
    return this.byAuthor.size(authorId);
  }

  /** Builds the {@link Post} of a row: a fresh object, so callers can never alter the table. */
  materialise(row: number): Post {
    const flags = this.flags[row]!;
    return {
      id: this.ids[row]!,
      seq: this.seqs[row]!,
      authorId: this.users.value(this.authors[row]!),
      content: this.contents[row]!,
      images: this.images[row]!,
      visibility: flags & FOLLOWERS_ONLY ? "followers" : "public",
      hashtags: this.hashtags[row]!,
      mentionIds: this.mentions[row]!,
      delivery: flags & PULL ? "pull" : "push",
      likesCount: this.likes[row]!,
      commentsCount: this.comments[row]!,
      repostsCount: this.reposts[row]!,
      createdAt: new Date(this.created[row]!),
      updatedAt: new Date(this.updated[row]!),
      editedAt: dateOrNull(this.edited[row]!),
      deletedAt: dateOrNull(this.deleted[row]!),
    };
  }

  private isLive(row: number): boolean {
    return Number.isNaN(this.deleted[row]!);
  }

  private write(row: number, p: Omit<Post, "id" | "seq" | "authorId">): void {
    this.contents[row] = flatten(p.content);
    this.images[row] = p.images.length === 0 ? this.lists.intern(p.images) : Object.freeze([...p.images]);
    this.hashtags[row] = this.lists.intern(p.hashtags);
    this.mentions[row] = p.mentionIds.length === 0 ? this.lists.intern(p.mentionIds) : Object.freeze([...p.mentionIds]);
    this.flags[row] = (p.visibility === "followers" ? FOLLOWERS_ONLY : 0) | (p.delivery === "pull" ? PULL : 0);
    this.likes[row] = p.likesCount;
    this.comments[row] = p.commentsCount;
    this.reposts[row] = p.repostsCount;
    this.created[row] = p.createdAt.getTime();
    this.updated[row] = p.updatedAt.getTime();
    this.edited[row] = msOrNaN(p.editedAt);
    this.deleted[row] = msOrNaN(p.deletedAt);
  }

  /** Files a live row under its author and hashtags (journaled by the lists). */
  private index(row: number): void {
    if (!this.isLive(row)) return;
    const seq = this.seqs[row]!;
    this.byAuthor.add(this.users.value(this.authors[row]!), seq, row);
    for (const tag of this.hashtags[row]!) this.byHashtag.add(tag, seq, row);
  }

  private unindex(row: number): void {
    if (!this.isLive(row)) return;
    const seq = this.seqs[row]!;
    this.byAuthor.remove(this.users.value(this.authors[row]!), seq);
    for (const tag of this.hashtags[row]!) this.byHashtag.remove(tag, seq);
  }

  private ensure(size: number): void {
    if (size <= this.seqs.length) return;
    this.seqs = grown(this.seqs, size);
    const n = this.seqs.length;
    this.authors = grown(this.authors, n);
    this.flags = grown(this.flags, n);
    this.likes = grown(this.likes, n);
    this.comments = grown(this.comments, n);
    this.reposts = grown(this.reposts, n);
    this.created = grown(this.created, n);
    this.updated = grown(this.updated, n);
    this.edited = grown(this.edited, n);
    this.deleted = grown(this.deleted, n);
  }
}
