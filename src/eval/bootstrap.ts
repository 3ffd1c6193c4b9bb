/**
 * Corpus-level aggregation of per-example scores with a bootstrap confidence interval, as rouge_score's
 * `BootstrapAggregator` does it: draw `samples` resamples of the examples with replacement, take the mean of
 * each, and report the (1 - confidence) / 2, 0.5 and 1 - (1 - confidence) / 2 percentiles of those means
 * (numpy's default linear interpolation) as low, mid and high.
 *
 * rouge_score draws with numpy's global, unseeded generator; here the draws come from a seeded PRNG, so the same
 * seed gives the same interval. Hugging Face `evaluate` reports `mid` (the median of the bootstrap means);
 * `mean` here is the plain mean over examples, which needs no sampling.
 */

export interface BootstrapOptions {
  /** Number of resamples (rouge_score's n_samples, default there 1000). */
  samples: number;
  /** Seed of the resampling draws; same seed, same interval. */
  seed: number;
  /** Width of the interval, in [0, 1]; default 0.95 as in rouge_score. */
  confidence?: number;
}

export interface BootstrapInterval {
  low: number;
  mid: number;
  high: number;
}

/** splitmix32-style seeded PRNG: uniform numbers in [0, 1) from a 32-bit seed. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 4294967296;
  };
}

/** The arithmetic mean (NaN for no values). */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** numpy.percentile(values, q) with the default "linear" method; `sorted` ascending, q in [0, 100]. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error("percentile of no values");
  const position = (q / 100) * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  // numpy's _lerp: interpolate from the nearer end, so t = 1 gives b exactly.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function validate(options: BootstrapOptions): number {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence >= 0 && confidence <= 1)) throw new Error(`bootstrap confidence must be in [0, 1], got ${confidence}`);
  if (!Number.isInteger(options.samples) || options.samples <= 0) {
    throw new Error(`bootstrap samples must be a positive integer, got ${options.samples}`);
  }
  if (!Number.isFinite(options.seed)) throw new Error(`bootstrap seed must be a finite number, got ${options.seed}`);
  return confidence;
}

/**
 * Bootstrap intervals of the mean for several measures at once. `columns[k][i]` is measure k of example i; every
 * resample draws one set of example indices shared by all measures (as rouge_score resamples whole rows), so the
 * intervals of precision, recall and F of one metric come from the same draws.
 */
export function bootstrapIntervals(columns: readonly (readonly number[])[], options: BootstrapOptions): BootstrapInterval[] {
  const confidence = validate(options);
  if (columns.length === 0) return [];
  const n = columns[0].length;
  if (n === 0) throw new Error("bootstrap needs at least one example");
  for (const column of columns) if (column.length !== n) throw new Error("bootstrap columns differ in length");
  const random = seededUniform(options.seed);
  const means = columns.map(() => new Float64Array(options.samples));
  const sums = new Float64Array(columns.length);
  for (let s = 0; s < options.samples; s++) {
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const index = Math.floor(random() * n);
      for (let k = 0; k < columns.length; k++) sums[k] += columns[k][index];
    }
    for (let k = 0; k < columns.length; k++) means[k][s] = sums[k] / n;
  }
  const delta = (1 - confidence) / 2;
  return means.map((m) => {
    m.sort();
    return {
      low: percentileOfSorted(m, 100 * delta),
      mid: percentileOfSorted(m, 50),
      high: percentileOfSorted(m, 100 * (1 - delta)),
    };
  });
}
