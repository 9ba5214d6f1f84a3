/**
 * A sorted set of document numbers in a growable typed array: the posting list of one term in
 * one field. Appends (new documents get rising numbers) are O(1); re-indexing an older
 * document inserts in place (one memmove), which keeps reads a binary search with no merge.
 */
export class PostingList {
  private data = new Uint32Array(4);
  length = 0;

  /** The document at position `i` (ascending order). */
  at(i: number): number {
    return this.data[i]!;
  }

  /** Adds a document (no-op when present). */
  add(doc: number): void {
    const n = this.length;
    if (n === this.data.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(this.data);
      this.data = grown;
    }
    if (n === 0 || this.data[n - 1]! < doc) {
      this.data[n] = doc;
      this.length = n + 1;
      return;
    }
    const i = this.lowerBound(doc);
    if (this.data[i] === doc) return;
    this.data.copyWithin(i + 1, i, n);
    this.data[i] = doc;
    this.length = n + 1;
  }

  /** Removes a document (no-op when absent). */
  remove(doc: number): void {
    const i = this.lowerBound(doc);
    if (i >= this.length || this.data[i] !== doc) return;
    this.data.copyWithin(i, i + 1, this.length);
    this.length--;
    // Give memory back when a list shrank a lot (a common word leaving many products).
    if (this.data.length > 64 && this.length < this.data.length / 4) this.data = this.data.slice(0, this.data.length / 2);
  }

  /** Whether the document is in the list. */
  has(doc: number): boolean {
    const i = this.lowerBound(doc);
    return i < this.length && this.data[i] === doc;
  }

  /** Position of the first document >= `doc`. */
  lowerBound(doc: number): number {
    let lo = 0;
    let hi = this.length;
    const d = this.data;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid]! < doc) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes held by the list's buffer. */
  get bytes(): number {
    return this.data.byteLength;
  }
}
