/** A stretch `[start, end)` of one seq-ordered list (ascending seqs, parallel values). */
export interface SeqRange {
  readonly seqs: readonly number[];
  readonly values: readonly number[];
  readonly start: number;
  readonly end: number;
}

/**
 * The values of the `limit` largest seqs across several ascending lists, largest first: a k-way
 * merge with a binary max-heap of list heads, O(limit · log k) and no object per entry. Seqs are
 * unique across lists (one store-wide sequence), so ties never occur.
 */
export function mergeNewest(ranges: readonly SeqRange[], limit: number): number[] {
  const out: number[] = [];
  if (ranges.length === 1) {
    const r = ranges[0]!;
    for (let i = r.end - 1; i >= r.start && out.length < limit; i--) out.push(r.values[i]!);
    return out;
  }
  // heap[] holds range indexes; pos[k] is the next (exclusive upper) position of range k.
  const k = ranges.length;
  const pos = new Int32Array(k);
  const heap = new Int32Array(k);
  const head = (j: number) => ranges[j]!.seqs[pos[j]! - 1]!;
  let n = 0;
  for (let j = 0; j < k; j++) {
    pos[j] = ranges[j]!.end;
    heap[n] = j;
    siftUp(n++);
  }
  while (n > 0 && out.length < limit) {
    const j = heap[0]!;
    const r = ranges[j]!;
    out.push(r.values[--pos[j]!]!);
    if (pos[j]! > r.start) siftDown(0);
    else {
      heap[0] = heap[--n]!;
      if (n > 0) siftDown(0);
    }
  }
  return out;

  function siftUp(i: number): void {
    const x = heap[i]!;
    const s = head(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (head(heap[p]!) >= s) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = x;
  }

  function siftDown(i: number): void {
    const x = heap[i]!;
    const s = head(x);
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && head(heap[c + 1]!) > head(heap[c]!)) c++;
      if (head(heap[c]!) <= s) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = x;
  }
}
