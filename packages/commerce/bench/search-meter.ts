/**
 * Load-independent figures for a latency bench on a shared machine: per call the wall time, the
 * CPU time and the heap bytes allocated, plus every garbage collection the process ran while the
 * calls were measured (PerformanceObserver 'gc'), so a tail can be split into "a scavenge ran
 * during this call" and "this call was slow by itself".
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import { summarizeLatencies } from "@platform/core/testing";

/** One measured call. */
export interface MeteredSample {
  readonly wall: number;
  readonly cpu: number;
  /** Heap bytes allocated by the call; NaN when a collection ran during it (the delta then means nothing). */
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
}

interface GcEntry {
  readonly start: number;
  readonly end: number;
  readonly minor: boolean;
}

const heapUsed = () => v8.getHeapStatistics().used_heap_size;

/** Measures calls and the collections that ran during them. Call {@link SearchMeter.stop} when done. */
export class SearchMeter {
  private readonly gcs: GcEntry[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      this.gcs.push({ start: e.startTime, end: e.startTime + e.duration, minor: kind === constants.NODE_PERFORMANCE_GC_MINOR });
    }
  });
  /** Bytes the measuring itself allocates per call (calibrated on an empty call). */
  private overhead = 0;

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /** Calibrates the meter's own allocation per call. */
  async calibrate(): Promise<void> {
    const empty = await this.measure(async () => undefined, 200);
    const bytes = empty.map((s) => s.bytes).filter((b) => !Number.isNaN(b));
    this.overhead = summarizeLatencies(bytes).p50;
  }

  /** Runs `fn` once to warm it (unless `warm` is false), then `rounds` times measured. */
  async measure(fn: () => unknown, rounds: number, warm = true): Promise<MeteredSample[]> {
    if (warm) await fn();
    const out: MeteredSample[] = [];
    for (let r = 0; r < rounds; r++) {
      const h = heapUsed();
      const c = process.cpuUsage();
      const start = performance.now();
      await fn();
      const end = performance.now();
      const used = process.cpuUsage(c);
      const delta = heapUsed() - h - this.overhead;
      // A collection during the call makes the heap shrink (or grow by less than was allocated): such samples are marked later.
      out.push({ wall: end - start, cpu: (used.user + used.system) / 1000, bytes: delta, start, end });
    }
    return out;
  }

  /** Waits for pending 'gc' entries, then summarises samples: allocation, scavenges, CPU and wall latency with and without a collection. */
  async summary(samples: readonly MeteredSample[]): Promise<MeterSummary> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sorted = [...samples].sort((a, b) => a.start - b.start);
    const gcs = [...this.gcs].sort((a, b) => a.start - b.start);
    // Every collection of the measured window counts (one triggered between two calls was paid for by them).
    const from = sorted[0]?.start ?? 0;
    const to = sorted[sorted.length - 1]?.end ?? 0;
    const inWindow = gcs.filter((g) => g.start >= from && g.start <= to);
    const scavenges = inWindow.filter((g) => g.minor).length;
    const majors = inWindow.length - scavenges;
    let gcMs = 0;
    const hit = new Set<MeteredSample>();
    // Both lists are in time order: one merge pass marks the calls a collection overlapped.
    let g = 0;
    for (const s of sorted) {
      while (g < gcs.length && gcs[g]!.end < s.start) g++;
      for (let k = g; k < gcs.length && gcs[k]!.start <= s.end; k++) {
        hit.add(s);
        gcMs += Math.min(gcs[k]!.end, s.end) - Math.max(gcs[k]!.start, s.start);
      }
    }
    const clean = samples.filter((s) => !hit.has(s));
    const bytes = clean.map((s) => s.bytes);
    return {
      count: samples.length,
      bytesPerCall: bytes.reduce((a, b) => a + b, 0) / Math.max(1, bytes.length),
      bytesP99: summarizeLatencies(bytes).p99,
      scavengesPer1000: (scavenges * 1000) / Math.max(1, samples.length),
      majorsPer1000: (majors * 1000) / Math.max(1, samples.length),
      callsWithGc: hit.size,
      gcMs,
      wall: summarizeLatencies(samples.map((s) => s.wall)),
      cpu: summarizeLatencies(samples.map((s) => s.cpu)),
      wallWithoutGc: summarizeLatencies(clean.map((s) => s.wall)),
      cpuWithoutGc: summarizeLatencies(clean.map((s) => s.cpu)),
    };
  }

  /** Stops observing. */
  stop(): void {
    this.observer.disconnect();
  }
}

/** What {@link SearchMeter.summary} reports. */
export interface MeterSummary {
  readonly count: number;
  readonly bytesPerCall: number;
  readonly bytesP99: number;
  readonly scavengesPer1000: number;
  readonly majorsPer1000: number;
  readonly callsWithGc: number;
  readonly gcMs: number;
  readonly wall: ReturnType<typeof summarizeLatencies>;
  readonly cpu: ReturnType<typeof summarizeLatencies>;
  readonly wallWithoutGc: ReturnType<typeof summarizeLatencies>;
  readonly cpuWithoutGc: ReturnType<typeof summarizeLatencies>;
}

const f = (n: number) => n.toFixed(3);
const lat = (s: ReturnType<typeof summarizeLatencies>) => `p50 ${f(s.p50)} / p99 ${f(s.p99)} / max ${f(s.max)} ms`;

/** The summary as printed lines. */
export function describeSummary(label: string, s: MeterSummary): string[] {
  return [
    `${label}: ${s.count} calls; ${s.bytesPerCall.toFixed(0)} B allocated per call (p99 ${s.bytesP99.toFixed(0)} B); ` +
      `${s.scavengesPer1000.toFixed(1)} scavenges and ${s.majorsPer1000.toFixed(1)} other collections per 1,000 calls ` +
      `(${((s.callsWithGc * 100) / Math.max(1, s.count)).toFixed(2)}% of calls overlapped one, ${s.gcMs.toFixed(1)} ms of them inside calls)`,
    `${label}: CPU ${lat(s.cpu)}; wall ${lat(s.wall)}`,
    `${label}: without a collection: CPU ${lat(s.cpuWithoutGc)}; wall ${lat(s.wallWithoutGc)}`,
  ];
}
