// Pieces the notebooks' findings share: a Markdown bullet list, a change with what its seeds did, "clearly above a
// reference", and the one test every notebook uses for "learned more than copying".
import { summarizeSeeds } from "../../eval/stats";
import { Change, describeChange } from "../experiments/findings";
import { seedAgreementNote } from "../experiments/forgetting-report";

/** Sentences as a Markdown bullet list, one "- " line each, empty ones left out (what the findings cells display). */
export function bulletList(sentences: readonly string[]): string {
  return sentences.filter((s) => s !== "").map((s) => `- ${s}`).join("\n");
}

/** describeChange followed by seedAgreementNote: a change, plus what every seed did when the interval cannot tell. */
export function describeSeededChange(change: Change): string {
  return describeChange(change) + seedAgreementNote(change.before, change.after, 0.05, change.digits ?? 2);
}

/**
 * Whether scores over seeds are clearly above a reference: the whole 95% interval above it; with one value (no
 * interval), above it at all, or by at least `oneSeedMargin` when one is given.
 */
export function clearlyAbove(values: readonly number[], reference: number, oneSeedMargin?: number): boolean {
  const s = summarizeSeeds(values);
  if (s.interval) return s.interval.low > reference;
  return oneSeedMargin === undefined ? s.mean > reference : s.mean >= reference + oneSeedMargin;
}

/** The trivial baseline with the highest ROUGE-L, as [name, scores] (the first on ties). */
export function bestBaseline<T extends { rougeL: number }>(baselines: Readonly<Record<string, T>>): [string, T] {
  const entries = Object.entries(baselines);
  if (entries.length === 0) throw new Error("bestBaseline: no baselines");
  return entries.reduce((a, b) => (b[1].rougeL > a[1].rougeL ? b : a));
}

/** With one seed (no interval), a model beats copying only by at least this much ROUGE-L. */
export const COPYING_MARGIN = 0.02;

/**
 * The notebooks' one test of "learned more than copying": ROUGE-L over seeds clearly above every trivial
 * summarizer (the whole 95% interval above the best of them; with one seed, at least COPYING_MARGIN above it).
 */
export function beatsCopying(rougeL: readonly number[], baselines: Readonly<Record<string, { rougeL: number }>>): boolean {
  return clearlyAbove(rougeL, bestBaseline(baselines)[1].rougeL, COPYING_MARGIN);
}

/** A difference with its sign, at `digits` decimals: "+0.05", "-0.12", and "0.00" for one that rounds to zero. */
export function signedDifference(x: number, digits = 2): string {
  const text = Math.abs(x).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${x > 0 ? "+" : "-"}${text}`;
}

/** A share as a whole percentage: 0.234 -> "23%". */
export function percent(share: number): string {
  return `${(100 * share).toFixed(0)}%`;
}
