// Summaries of repeated measurements, and the interleaved schedule that produces them: contenders take
// turns (A B C A B C ...) so that a slow spell on the shared machine hits every one of them alike.

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** The mean of the last n values: where a series has settled, less noisy than its last value. */
export function lastMean(xs: readonly number[], n: number): number {
  return mean(xs.slice(-n));
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** How many times faster `fast` is than `slow`, by medians of a time (lower is better). */
export function speedup(fast: Summary, slow: Summary): number {
  return slow.median / fast.median;
}

/** One measurement of a contender in a given round (0-based, warm-up rounds first): the figure to record. */
export type Sampler = (round: number) => number | Promise<number>;

export interface ScheduleOptions {
  /** Rounds run and thrown away first, so V8 has tiered the code up and caches are warm. */
  warmup: number;
  /** Rounds recorded. */
  reps: number;
  /** Called after every recorded sample, for progress lines. */
  onSample?: (name: string, rep: number, value: number) => void;
}

/**
 * Runs every contender once per round, in the order given, for warmup + reps rounds; returns the
 * recorded samples per contender, in round order.
 */
export async function interleave(
  contenders: Readonly<Record<string, Sampler>>,
  o: ScheduleOptions,
): Promise<Record<string, number[]>> {
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < o.warmup + o.reps; round++) {
    for (const name of names) {
      const value = await contenders[name]!(round);
      if (round < o.warmup) continue;
      samples[name]!.push(value);
      o.onSample?.(name, round - o.warmup, value);
    }
  }
  return samples;
}

/**
 * Times `body` over enough calls that one sample lasts at least `targetMs`, counting calls in a first
 * trial; returns the call count to use.
 */
export function calibrate(body: () => void, targetMs: number, now: () => number = () => performance.now()): number {
  let calls = 1;
  for (;;) {
    const t = now();
    for (let i = 0; i < calls; i++) body();
    const ms = now() - t;
    if (ms >= targetMs / 4 || calls >= 1 << 24) return Math.max(1, Math.ceil((calls * targetMs) / Math.max(ms, 1e-3)));
    calls *= 4;
  }
}
