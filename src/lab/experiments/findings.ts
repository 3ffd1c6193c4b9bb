// Sentences that state a finding, generated from the measured values, so that a changed result cannot leave a
// false sentence behind. They branch on the direction of the effect, on how many seeds agree, and on whether the
// confidence interval of the change (across seeds) includes zero.
import { summarizeSeeds } from "../../eval/stats";

export interface Change {
  /** e.g. "review_rating accuracy" */
  subject: string;
  /** e.g. "full fine-tuning on chat_summary" */
  cause: string;
  /** One value per seed, paired: before[i] and after[i] come from seed i. */
  before: number[];
  after: number[];
  digits?: number;
}

function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}

/** "both seeds", "all 3 seeds". */
function allSeeds(n: number): string {
  return n === 2 ? "both seeds" : `all ${n} seeds`;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * "full fine-tuning lowered review_rating accuracy from 0.81 to 0.42 in all 3 seeds (change -0.39 +- 0.05)" or
 * "... made no difference to X that we can distinguish from noise (change +0.01 +- 0.04, 3 seeds)".
 */
export function describeChange(change: Change): string {
  const { subject, cause, before, after } = change;
  const digits = change.digits ?? 2;
  if (before.length !== after.length || before.length === 0) throw new Error(`describeChange(${subject}): before and after need one value per seed each.`);
  const diffs = after.map((a, i) => a - before[i]);
  const n = diffs.length;
  const summary = summarizeSeeds(diffs);
  const from = fmt(mean(before), digits);
  const to = fmt(mean(after), digits);
  const signed = (v: number) => (v >= 0 ? "+" : "") + fmt(v, digits);
  if (summary.interval && summary.interval.low <= 0 && summary.interval.high >= 0) {
    return `${cause} made no difference to ${subject} that we can distinguish from noise (${from} -> ${to}; change ${signed(summary.mean)} \u00b1 ${fmt(summary.interval.halfWidth, digits)}, 95% interval over ${n} seeds).`;
  }
  if (summary.mean === 0) return `${cause} left ${subject} unchanged at ${from}${n === 1 ? " (one seed)" : ` in ${allSeeds(n)}`}.`;
  const verb = summary.mean < 0 ? "lowered" : "raised";
  const agreeing = diffs.filter((d) => Math.sign(d) === Math.sign(summary.mean)).length;
  const seeds = n === 1 ? "with one seed (no interval: run more seeds to tell it from noise)" : agreeing === n ? `in ${allSeeds(n)}` : `in ${agreeing} of ${n} seeds`;
  const interval = summary.interval ? `; change ${signed(summary.mean)} \u00b1 ${fmt(summary.interval.halfWidth, digits)}` : "";
  return `${cause} ${verb} ${subject} from ${from} to ${to} ${seeds}${interval}.`;
}

/** "A (0.62) beat B (0.41)" / "A and B are within noise of each other": compare two methods' per-seed scores. */
export function compareMethods(subject: string, a: { name: string; values: number[] }, b: { name: string; values: number[] }, digits = 2): string {
  const ma = mean(a.values);
  const mb = mean(b.values);
  const sa = summarizeSeeds(a.values);
  const sb = summarizeSeeds(b.values);
  const overlap = sa.interval && sb.interval && sa.interval.low <= sb.interval.high && sb.interval.low <= sa.interval.high;
  const detail = `${a.name} ${fmt(ma, digits)}${a.values.length > 1 ? ` over ${a.values.length} seeds` : ""}, ${b.name} ${fmt(mb, digits)}${b.values.length > 1 ? ` over ${b.values.length} seeds` : ""}`;
  if (overlap) return `On ${subject}, ${a.name} and ${b.name} are within noise of each other (${detail}; the 95% intervals overlap).`;
  if (ma === mb) return `On ${subject}, ${a.name} and ${b.name} score the same (${detail}).`;
  const [hi, lo] = ma > mb ? [a.name, b.name] : [b.name, a.name];
  const caveat = !sa.interval || !sb.interval ? " (one seed: no interval, so this may be noise)" : "";
  return `On ${subject}, ${hi} scored higher than ${lo} (${detail})${caveat}.`;
}

/** "0.24, 95% interval 0.20 to 0.28 over 3 seeds", or just "0.24" for one value. */
export function scoreWithInterval(values: readonly number[], digits = 2): string {
  const s = summarizeSeeds(values);
  return s.interval ? `${fmt(s.mean, digits)}, 95% interval ${fmt(s.interval.low, digits)} to ${fmt(s.interval.high, digits)} over ${s.n} seeds` : fmt(s.mean, digits);
}

export interface BaselineComparison {
  /** e.g. "ROUGE-L" */
  subject: string;
  /** The method and its score per seed. */
  method: { name: string; values: number[] };
  /** A fixed reference (a trivial baseline): no seed noise of its own. */
  baseline: { name: string; value: number };
  digits?: number;
  /** With one seed, a margin smaller than this is "too close to call" (default 0.02). */
  tie?: number;
  /** Appended when the method is clearly below the baseline, e.g. "it does not beat copying". */
  belowMeans?: string;
}

/**
 * A method against a fixed baseline: above or below it only when the 95% interval over seeds excludes the baseline
 * (with one value, when the margin is at least `tie`); otherwise "within seed noise" / "too close to call". One value
 * may be one seed or a model without a seed (the base, zero-shot): the caller says which elsewhere.
 */
export function compareToBaseline(c: BaselineComparison): string {
  const digits = c.digits ?? 3;
  const summary = summarizeSeeds(c.method.values);
  const margin = summary.mean - c.baseline.value;
  const where = `${c.baseline.name} (${fmt(c.baseline.value, digits)})`;
  const side = `${fmt(Math.abs(margin), digits)} ${margin >= 0 ? "above" : "below"}`;
  const head = `${c.method.name}'s ${c.subject} (${scoreWithInterval(c.method.values, digits)})`;
  if (summary.interval && summary.interval.low <= c.baseline.value && c.baseline.value <= summary.interval.high) {
    return `${head} is within seed noise of ${where}: ${side} it on average, but the interval includes it.`;
  }
  if (!summary.interval && Math.abs(margin) < (c.tie ?? 0.02)) {
    return `${head} is about level with ${where}: ${side} it, too close to call without an interval.`;
  }
  const below = margin < 0 && c.belowMeans ? `: ${c.belowMeans}` : "";
  return `${head} is ${side} ${where}${summary.interval ? `, the whole interval ${margin >= 0 ? "above" : "below"} it` : ""}${below}.`;
}
