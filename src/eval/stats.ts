/**
 * Small-sample statistics for results across seeds: mean, sample standard deviation (n - 1), and a Student t
 * confidence interval of the mean, mean +- t(1 - (1 - confidence) / 2, n - 1) * sd / sqrt(n).
 * With one seed there is no spread to measure: the summary says so (std and interval null), it does not hide a NaN.
 */
import { mean } from "./bootstrap";

/** Values over seeds: mean, standard deviation and a 95% t interval. */
export interface SeedSummary {
  /** Number of values (seeds). */
  n: number;
  mean: number;
  /** Sample standard deviation (divides by n - 1); null when n = 1. */
  std: number | null;
  /** Two-sided Student t interval of the mean at `confidence`; null when n = 1. */
  interval: { low: number; high: number; halfWidth: number; confidence: number } | null;
  /** The values summarized, in the order given. */
  values: number[];
}

function checkValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new Error(`${what}: no values`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`${what}: value ${i} is ${v}, not a finite number`);
  });
}

/** Sample standard deviation, sqrt(sum (x - mean)^2 / (n - 1)). Needs at least two values. */
export function sampleStandardDeviation(values: readonly number[]): number {
  checkValues(values, "sampleStandardDeviation");
  if (values.length < 2) throw new Error("sampleStandardDeviation: needs at least 2 values (n - 1 = 0)");
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

/** ln Gamma(x) for x > 0: Lanczos approximation (g = 7, 9 terms), relative error ~1e-15. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < c.length; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz), for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    // even step
    let numerator = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    // odd step
    numerator = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < 1e-15) return result;
  }
  return result;
}

/** Regularized incomplete beta function I_x(a, b), x in [0, 1], a, b > 0. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) throw new Error(`regularizedIncompleteBeta: x = ${x} is outside [0, 1]`);
  if (x === 0 || x === 1) return x;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  // The continued fraction converges fast on one side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`studentTCdf: degrees of freedom must be > 0, got ${df}`);
  if (t === 0) return 0.5;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5); // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

/** The t with P(T <= t) = p (inverse CDF), by bisection on studentTCdf; accurate to ~1e-12. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new Error(`studentTQuantile: degrees of freedom must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-13 * Math.max(1, high); i++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Mean, sample standard deviation and Student t interval of the values of one figure across seeds. */
export function summarizeSeeds(values: readonly number[], confidence = 0.95): SeedSummary {
  checkValues(values, "summarizeSeeds");
  if (!(confidence > 0 && confidence < 1)) throw new Error(`summarizeSeeds: confidence must be in (0, 1), got ${confidence}`);
  const n = values.length;
  const m = mean(values);
  if (n === 1) return { n, mean: m, std: null, interval: null, values: [...values] };
  const std = sampleStandardDeviation(values);
  const halfWidth = (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * std) / Math.sqrt(n);
  return { n, mean: m, std, interval: { low: m - halfWidth, high: m + halfWidth, halfWidth, confidence }, values: [...values] };
}

/** "0.412 +- 0.031 (n=3)", or "0.412 (n=1, no interval)": a summary as one line for tables. */
export function formatSeedSummary(summary: SeedSummary, digits = 3): string {
  if (!summary.interval) return `${summary.mean.toFixed(digits)} (n=${summary.n}, no interval)`;
  return `${summary.mean.toFixed(digits)} \u00b1 ${summary.interval.halfWidth.toFixed(digits)} (n=${summary.n})`;
}
