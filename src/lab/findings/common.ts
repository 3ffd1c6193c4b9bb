// Pieces the notebooks' findings share: a Markdown bullet list, a change with what its seeds did, and "clearly above
// a reference".
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
