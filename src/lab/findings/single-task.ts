// Notebook 01's findings (single-task fine-tuning on chats): the change from zero-shot, learning or copying (the
// trivial summarizers), the learning curve against the claim that 500-1,000 examples give good results, and what
// the base model's instruction tuning contributed (against a model trained from scratch).
import { mean } from "../../eval/bootstrap";
import { summarizeSeeds } from "../../eval/stats";
import { compareMethods, scoreWithInterval } from "../experiments/findings";
import { CurveSummary, smallestSizeReaching, summarizeCurve } from "../experiments/forgetting-report";
import { clearlyAbove, describeSeededChange } from "./common";

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
  /** Training-set sizes of the learning curve, ascending; the from-scratch model trains on the last (largest). */
  sizes: readonly number[];
  /** The base model's generated metrics, zero-shot (rougeL, factAccuracy). */
  zeroShot: Readonly<Record<string, number>>;
  /** One run per size and seed. */
  curve: readonly (SeededRun & { size: number })[];
  /** One run per seed from random weights, on the largest size. */
  scratch: readonly SeededRun[];
  /** The trivial summarizers' ROUGE-L, the best-turn oracle among them. */
  baselines: Readonly<Record<string, { rougeL: number }>> & { bestTurnOracle: { rougeL: number } };
  /** The full profile, for the sentences that say what it would settle. */
  full: { steps: number; largestSize: number; seeds: readonly number[] };
}

/**
 * Learning or copying: the fine-tuned model's ROUGE-L (per seed) against every trivial summarizer, "clearly above"
 * meaning the whole 95% interval over seeds above it (with one seed, its value).
 */
export function copyingVerdict(examples: number, rougeL: readonly number[], factAccuracy: readonly number[], baselines: Readonly<Record<string, { rougeL: number }>>, oracle: number): string {
  const entries = Object.entries(baselines);
  const facts = mean(factAccuracy);
  const beaten = entries.filter(([, b]) => clearlyAbove(rougeL, b.rougeL)).map(([n]) => n);
  const head = `At ${examples} examples the fine-tuned model's ROUGE-L (${scoreWithInterval(rougeL)})`;
  if (beaten.length === entries.length) {
    return `${head} is above every trivial summarizer, the reference-peeking best-turn oracle (${oracle.toFixed(2)}) included, and it states ${(100 * facts).toFixed(0)}% of the facts, which no template can: it summarizes, it does not copy.`;
  }
  const notBeaten = entries.filter(([n]) => !beaten.includes(n)).map(([n, b]) => `${n} (${b.rougeL.toFixed(2)})`).join(", ");
  return `${head} ${beaten.length ? `is above ${beaten.join(", ")} but not clearly above` : "is clearly above none of the trivial summarizers:"} ` +
    `${notBeaten}: by ROUGE alone it has not clearly learned more than copying a turn or a template (fact accuracy ${facts.toFixed(2)}).`;
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
  /** The best-turn oracle's ROUGE-L. */
  oracle: number;
  /** The size with the best mean ROUGE-L. */
  bestRouge: { size: number; mean: number };
  /** The smallest size at which every score is within 5% of its best. */
  enoughAt: number;
  largestSize: number;
  /** Sizes whose ROUGE-L is clearly above the oracle (clearlyAbove), ascending. */
  sizesAboveOracle: readonly number[];
  steps: number;
  batchSize: number;
  seeds: number;
  /** Given in the quick profile: the full profile's steps and largest size, which could settle an open question. */
  full?: { steps: number; largestSize: number };
}

/** The learning-curve claim, "500-1,000 examples give good results": not borne out, cannot be settled, holds, or holds in part. */
export function fewExamplesClaim(e: FewExamplesEvidence): string {
  const claim = "the claim that 500-1,000 examples give good results";
  const oracle = e.oracle.toFixed(2);
  const settledAt = Math.max(e.enoughAt, e.sizesAboveOracle[0] ?? Infinity);
  if (e.bestRouge.mean <= e.oracle) {
    return `So ${claim} is not borne out here: no size's ROUGE-L beats the oracle baseline (${oracle}) even on average (best ${e.bestRouge.mean.toFixed(2)} at ${e.bestRouge.size}): with ${e.steps} steps of batch ${e.batchSize} the model has not yet learned to summarize well from any of them.`;
  }
  if (e.enoughAt === e.largestSize && e.largestSize <= 1000) {
    const full = e.full ? ` (the full profile goes to ${e.full.steps} steps and ${e.full.largestSize.toLocaleString("en-US")} examples)` : "";
    return `The claim that 500-1,000 examples give good results cannot be settled by this profile: the scores still rise at ${e.largestSize} examples, its largest size${full}.`;
  }
  if (e.enoughAt > 1000) return `So ${claim} is not borne out here: the scores keep rising past 1,000 examples (within 5% of the best only at ${e.enoughAt}).`;
  if (settledAt <= 1000) {
    return `So ${claim} holds here: by ${settledAt} examples both scores are within 5% of the best we measured and ROUGE-L is above the oracle baseline (${oracle})${e.seeds > 1 ? " over its whole 95% interval across seeds" : ""}.`;
  }
  return `The claim that 500-1,000 examples give good results holds only in part here: by ${e.enoughAt} examples both scores are within 5% of the best we measured, ` +
    `but no size up to 1,000 has a ROUGE-L clearly above the oracle baseline (${oracle})${e.seeds > 1 ? "; their 95% intervals over seeds include it" : ""}` +
    `${e.sizesAboveOracle.length ? ` (${e.sizesAboveOracle[0]} examples do)` : ""}.`;
}

/** What the base model's earlier training is worth: the paired ROUGE-L gap of the fine-tuned base over a model trained from scratch. */
export function pretrainingGapSentence(fineTuned: readonly number[], scratch: readonly number[], steps: number): string {
  const gap = summarizeSeeds(fineTuned.map((v, i) => v - scratch[i]));
  if (!gap.interval) {
    return `With one seed we cannot say whether the base model's earlier training helps on chats: the fine-tuned base is ${Math.abs(gap.mean).toFixed(2)} ROUGE-L ${gap.mean >= 0 ? "above" : "below"} the model trained from scratch, a gap that seeds alone may explain.`;
  }
  const interval = `95% interval ${gap.interval.low.toFixed(2)} to ${gap.interval.high.toFixed(2)}`;
  if (gap.interval.low > 0) {
    return `The base model's earlier training is worth ${gap.mean.toFixed(2)} ROUGE-L here (paired over ${gap.n} seeds, ${interval}): starting from weights that already follow instructions helps a model this small learn chats in ${steps} steps.`;
  }
  if (gap.interval.high < 0) {
    return `Surprisingly, the model trained from scratch scored ${(-gap.mean).toFixed(2)} ROUGE-L higher than the fine-tuned base (paired over ${gap.n} seeds, ${interval}): the base's earlier training did not help on this task at this scale; possibly its weights, tuned to answers of a few tokens, must first unlearn that length.`;
  }
  return `The base model's earlier training made no difference to ROUGE-L that we can tell from noise (paired gap ${gap.mean.toFixed(2)}, ${interval} over ${gap.n} seeds).`;
}

/** Notebook 01's closing findings, one sentence each, from its measured results. */
export function singleTaskFindings(r: SingleTaskResults): string[] {
  const top = r.sizes[r.sizes.length - 1];
  const runAt = (size: number, seed: number) => {
    const run = r.curve.find((c) => c.size === size && c.seed === seed);
    if (!run) throw new Error(`singleTaskFindings: no run of size ${size}, seed ${seed}`);
    return run;
  };
  const bySeed = (size: number, metric: string) => r.seeds.map((s) => runAt(size, s).score.generated[metric]);
  const scratchBySeed = (metric: string) => r.seeds.map((s) => {
    const run = r.scratch.find((x) => x.seed === s);
    if (!run) throw new Error(`singleTaskFindings: no from-scratch run of seed ${s}`);
    return run.score.generated[metric];
  });
  const cause = `Fine-tuning on ${top} chats (${r.steps} steps)`;
  const findings: string[] = [];
  for (const [subject, metric] of [[`${r.task} ROUGE-L`, "rougeL"], ["fact accuracy", "factAccuracy"]]) {
    findings.push(describeSeededChange({ subject, cause, before: r.seeds.map(() => r.zeroShot[metric]), after: bySeed(top, metric) }));
  }
  const oracle = r.baselines.bestTurnOracle.rougeL;
  findings.push(copyingVerdict(top, bySeed(top, "rougeL"), bySeed(top, "factAccuracy"), r.baselines, oracle));
  const points = (metric: string) => r.curve.map((c) => ({ size: c.size, seed: c.seed, value: c.score.generated[metric] }));
  const curves = [["ROUGE-L", summarizeCurve(points("rougeL"))], ["fact accuracy", summarizeCurve(points("factAccuracy"))]] as const;
  for (const [name, curve] of curves) findings.push(curveReachSentence(name, curve, r.steps, top));
  const sizesAboveOracle = r.sizes.filter((size) => clearlyAbove(bySeed(size, "rougeL"), oracle));
  findings.push(fewExamplesClaim({
    oracle, bestRouge: smallestSizeReaching(curves[0][1], 0.95).best, enoughAt: Math.max(...curves.map(([, c]) => smallestSizeReaching(c, 0.95).size)),
    largestSize: top, sizesAboveOracle, steps: r.steps, batchSize: r.batchSize, seeds: r.seeds.length,
    full: r.profile === "quick" ? { steps: r.full.steps, largestSize: r.full.largestSize } : undefined,
  }));
  findings.push(compareMethods(`${r.task} ROUGE-L (${top} examples)`, { name: "the fine-tuned base", values: bySeed(top, "rougeL") }, { name: "the from-scratch model", values: scratchBySeed("rougeL") }));
  findings.push(compareMethods(`fact accuracy (${top} examples)`, { name: "the fine-tuned base", values: bySeed(top, "factAccuracy") }, { name: "the from-scratch model", values: scratchBySeed("factAccuracy") }));
  findings.push(pretrainingGapSentence(bySeed(top, "rougeL"), scratchBySeed("rougeL"), r.steps));
  if (r.seeds.length === 1) findings.push(`All of this is one seed (the quick profile): there are no intervals, so small differences may be noise. The full profile runs seeds ${r.full.seeds.join(", ")}.`);
  return findings;
}
