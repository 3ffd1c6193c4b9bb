// Notebook 01's findings (single-task fine-tuning on chats): the change from zero-shot, learning or copying (the
// trivial summarizers, by the test notebook 05 uses too), the learning curve against the claim that 500-1,000
// examples give good results, what the base model's earlier training contributed at each size (against the same
// architecture trained from scratch), and the inter-reference ceiling for scale.
import { mean } from "../../eval/bootstrap";
import { summarizeSeeds } from "../../eval/stats";
import { scoreWithInterval } from "../experiments/findings";
import { CurveSummary, smallestSizeReaching, summarizeCurve } from "../experiments/forgetting-report";
import { beatsCopying, bestBaseline, describeSeededChange, signedDifference } from "./common";

/** One run's generated metrics (a TaskScore has this shape), for one seed. */
export interface SeededRun {
  seed: number;
  score: { generated: Readonly<Record<string, number>> };
}

/** What notebook 01 measured. */
export interface SingleTaskResults {
  /** The task fine-tuned on, e.g. "chat_summary". */
  task: string;
  steps: number;
  batchSize: number;
  profile: string;
  seeds: readonly number[];
  /** Training-set sizes of the learning curve, ascending. */
  sizes: readonly number[];
  /** The base model's generated metrics, zero-shot (rougeL, factAccuracy). */
  zeroShot: Readonly<Record<string, number>>;
  /** One run per size and seed. */
  curve: readonly (SeededRun & { size: number })[];
  /** One run per seed from random weights, at each of some curve sizes (the same recipe and examples). */
  scratch: readonly (SeededRun & { size: number })[];
  /** The trivial summarizers' ROUGE-L, the best-turn oracle among them. */
  baselines: Readonly<Record<string, { rougeL: number }>> & { bestTurnOracle: { rougeL: number } };
  /** ROUGE-L of a second reference summary of the same chats (lab.chatReferenceCeiling): the scale's top. */
  ceiling?: number;
  /** The full profile, for the sentences that say what it would settle. */
  full: { steps: number; largestSize: number; seeds: readonly number[] };
}

/**
 * Learning or copying: the fine-tuned model's ROUGE-L (per seed) against every trivial summarizer, by the notebooks'
 * one test (beatsCopying: the whole 95% interval over seeds above the best of them; one seed, by COPYING_MARGIN).
 */
export function copyingVerdict(examples: number, rougeL: readonly number[], factAccuracy: readonly number[], baselines: Readonly<Record<string, { rougeL: number }>>): string {
  const entries = Object.entries(baselines);
  const facts = mean(factAccuracy);
  const [bestName, best] = bestBaseline(baselines);
  const head = `At ${examples} examples the fine-tuned model's ROUGE-L (${scoreWithInterval(rougeL)})`;
  if (beatsCopying(rougeL, baselines)) {
    return `${head} is clearly above every trivial summarizer, the best of them (${bestName}, ${best.rougeL.toFixed(2)}) included, and it states ${(100 * facts).toFixed(0)}% of the facts, which no template can: it summarizes, it does not copy.`;
  }
  const notBeaten = entries.filter(([, b]) => !beatsCopying(rougeL, { b })).map(([n, b]) => `${n} (${b.rougeL.toFixed(2)})`).join(", ");
  return `${head} is not clearly above ${notBeaten}: by ROUGE alone it has not clearly learned more than copying a turn or a template (fact accuracy ${facts.toFixed(2)}).`;
}

/** Where a learning curve comes within 5% of its best: flat from the smallest size, still rising at the largest, or in between. */
export function curveReachSentence(name: string, curve: readonly CurveSummary[], steps: number, largestSize: number): string {
  const reach = smallestSizeReaching(curve, 0.95);
  const spread = curve.map((c) => `${c.size}: ${c.mean.toFixed(2)}`).join(", ");
  if (reach.size === curve[0].size && curve.length > 1) {
    return `${name} is already within 5% of its best (${reach.best.mean.toFixed(2)} at ${reach.best.size}) with the smallest set, ${reach.size} examples (${spread}): at ${steps} steps the curve is flat - the step budget, not the data, is the limit.`;
  }
  if (reach.size === largestSize) return `${name} is highest at ${largestSize} examples, the largest size of this profile (${spread}): it may still be rising.`;
  return `${name} first comes within 5% of its best (${reach.best.mean.toFixed(2)} at ${reach.best.size} examples) at ${reach.size} examples (${spread}).`;
}

/** What the learning curve says about the claim that 500-1,000 examples give good results. */
export interface FewExamplesEvidence {
  /** The best trivial summarizer's ROUGE-L. */
  bestBaseline: number;
  /** The size with the best mean ROUGE-L. */
  bestRouge: { size: number; mean: number };
  /** The smallest size at which every score is within 5% of its best. */
  enoughAt: number;
  largestSize: number;
  /** Sizes whose ROUGE-L beats copying (beatsCopying: clearly above every trivial summarizer), ascending. */
  sizesBeatingCopying: readonly number[];
  steps: number;
  batchSize: number;
  seeds: number;
  /** Given in the quick profile: the full profile's steps and largest size, which could settle an open question. */
  full?: { steps: number; largestSize: number };
}

/** The learning-curve claim, "500-1,000 examples give good results": not borne out, cannot be settled, holds, or holds in part. */
export function fewExamplesClaim(e: FewExamplesEvidence): string {
  const claim = "the claim that 500-1,000 examples give good results";
  const baseline = e.bestBaseline.toFixed(2);
  const settledAt = Math.max(e.enoughAt, e.sizesBeatingCopying[0] ?? Infinity);
  if (e.sizesBeatingCopying.length === 0) {
    return `So ${claim} is not borne out here: at no size is ROUGE-L clearly above every trivial summarizer (best of them ${baseline}; best model ${e.bestRouge.mean.toFixed(2)} at ${e.bestRouge.size}): with ${e.steps} steps of batch ${e.batchSize} the model has not yet learned to summarize beyond copying from any of them.`;
  }
  if (e.enoughAt === e.largestSize && e.largestSize <= 1000) {
    const full = e.full ? ` (the full profile goes to ${e.full.steps} steps and ${e.full.largestSize.toLocaleString("en-US")} examples)` : "";
    return `The claim that 500-1,000 examples give good results cannot be settled by this profile: the scores still rise at ${e.largestSize} examples, its largest size${full}.`;
  }
  if (e.enoughAt > 1000) return `So ${claim} is not borne out here: the scores keep rising past 1,000 examples (within 5% of the best only at ${e.enoughAt}).`;
  if (settledAt <= 1000) {
    return `So ${claim} holds here: by ${settledAt} examples both scores are within 5% of the best we measured and ROUGE-L is clearly above every trivial summarizer (best of them ${baseline})${e.seeds > 1 ? " over its whole 95% interval across seeds" : ""}.`;
  }
  return `The claim that 500-1,000 examples give good results holds only in part here: by ${e.enoughAt} examples both scores are within 5% of the best we measured, ` +
    `but no size up to 1,000 has a ROUGE-L clearly above every trivial summarizer (best of them ${baseline}); ${e.sizesBeatingCopying[0]} examples do.`;
}

/**
 * What the base model's earlier training is worth at one training-set size: the paired gap (fine-tuned base minus
 * the same architecture trained from scratch on the same examples with the same recipe) in ROUGE-L and facts.
 */
export function pretrainingGapSentence(size: number, rougeL: { base: readonly number[]; scratch: readonly number[] }, facts: { base: readonly number[]; scratch: readonly number[] }): string {
  const gap = (m: { base: readonly number[]; scratch: readonly number[] }) => summarizeSeeds(m.base.map((v, i) => v - m.scratch[i]));
  const [gapL, gapF] = [gap(rougeL), gap(facts)];
  const scores = `fine-tuned base ${mean(rougeL.base).toFixed(2)} ROUGE-L and ${mean(facts.base).toFixed(2)} facts, from scratch ${mean(rougeL.scratch).toFixed(2)} and ${mean(facts.scratch).toFixed(2)}`;
  if (!gapL.interval || !gapF.interval) {
    return `At ${size} examples pretraining is worth ${signedDifference(gapL.mean)} ROUGE-L and ${signedDifference(gapF.mean)} fact accuracy (${scores}; one seed: no interval, so a gap of a few hundredths may be noise).`;
  }
  const verdict = (g: typeof gapL, name: string) =>
    g.interval!.low > 0 ? `${name} ${signedDifference(g.mean)} (95% interval ${signedDifference(g.interval!.low)} to ${signedDifference(g.interval!.high)}: it helps)`
    : g.interval!.high < 0 ? `${name} ${signedDifference(g.mean)} (95% interval ${signedDifference(g.interval!.low)} to ${signedDifference(g.interval!.high)}: from scratch is better)`
    : `${name} ${signedDifference(g.mean)} (95% interval ${signedDifference(g.interval!.low)} to ${signedDifference(g.interval!.high)}: not told from noise)`;
  return `At ${size} examples pretraining is worth ${verdict(gapL, "ROUGE-L")} and ${verdict(gapF, "fact accuracy")}, paired over ${gapL.n} seeds (${scores}).`;
}

/** The scale's top: the fine-tuned model's ROUGE-L as a share of a second reference summary's. */
export function ceilingSentence(size: number, rougeL: readonly number[], ceiling: number): string {
  const value = mean(rougeL);
  return `For scale: a second reference summary of the same chats (same facts, the generator's other wording) scores ${ceiling.toFixed(2)} ROUGE-L against the first; the fine-tuned model at ${size} examples reaches ${value.toFixed(2)}, ${(100 * value / ceiling).toFixed(0)}% of it.`;
}

/** Notebook 01's closing findings, one sentence each, from its measured results. */
export function singleTaskFindings(r: SingleTaskResults): string[] {
  const top = r.sizes[r.sizes.length - 1];
  const find = <T extends SeededRun & { size: number }>(runs: readonly T[], what: string, size: number, seed: number) => {
    const run = runs.find((c) => c.size === size && c.seed === seed);
    if (!run) throw new Error(`singleTaskFindings: no ${what} run of size ${size}, seed ${seed}`);
    return run;
  };
  const bySeed = (size: number, metric: string) => r.seeds.map((s) => find(r.curve, "fine-tuning", size, s).score.generated[metric]);
  const scratchBySeed = (size: number, metric: string) => r.seeds.map((s) => find(r.scratch, "from-scratch", size, s).score.generated[metric]);
  const cause = `Fine-tuning on ${top} chats (${r.steps} steps)`;
  const findings: string[] = [];
  for (const [subject, metric] of [[`${r.task} ROUGE-L`, "rougeL"], ["fact accuracy", "factAccuracy"]]) {
    findings.push(describeSeededChange({ subject, cause, before: r.seeds.map(() => r.zeroShot[metric]), after: bySeed(top, metric) }));
  }
  findings.push(copyingVerdict(top, bySeed(top, "rougeL"), bySeed(top, "factAccuracy"), r.baselines));
  const points = (metric: string) => r.curve.map((c) => ({ size: c.size, seed: c.seed, value: c.score.generated[metric] }));
  const curves = [["ROUGE-L", summarizeCurve(points("rougeL"))], ["fact accuracy", summarizeCurve(points("factAccuracy"))]] as const;
  for (const [name, curve] of curves) findings.push(curveReachSentence(name, curve, r.steps, top));
  findings.push(fewExamplesClaim({
    bestBaseline: bestBaseline(r.baselines)[1].rougeL, bestRouge: smallestSizeReaching(curves[0][1], 0.95).best,
    enoughAt: Math.max(...curves.map(([, c]) => smallestSizeReaching(c, 0.95).size)), largestSize: top,
    sizesBeatingCopying: r.sizes.filter((size) => beatsCopying(bySeed(size, "rougeL"), r.baselines)),
    steps: r.steps, batchSize: r.batchSize, seeds: r.seeds.length,
    full: r.profile === "quick" ? { steps: r.full.steps, largestSize: r.full.largestSize } : undefined,
  }));
  const scratchSizes = [...new Set(r.scratch.map((s) => s.size))].sort((a, b) => a - b);
  for (const size of scratchSizes) {
    findings.push(pretrainingGapSentence(size,
      { base: bySeed(size, "rougeL"), scratch: scratchBySeed(size, "rougeL") },
      { base: bySeed(size, "factAccuracy"), scratch: scratchBySeed(size, "factAccuracy") }));
  }
  if (r.ceiling !== undefined) findings.push(ceilingSentence(top, bySeed(top, "rougeL"), r.ceiling));
  if (r.seeds.length === 1) findings.push(`All of this is one seed (the quick profile): there are no intervals, so small differences may be noise. The full profile runs seeds ${r.full.seeds.join(", ")}.`);
  return findings;
}
