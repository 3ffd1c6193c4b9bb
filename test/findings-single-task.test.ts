// Notebook 01's findings (src/lab/findings/single-task.ts): every branch of the wording, from hand-made results.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ceilingSentence, copyingVerdict, curveReachSentence, fewExamplesClaim, pretrainingGapSentence, singleTaskFindings, SingleTaskResults } from "../src/lab/findings/single-task";
import { summarizeCurve } from "../src/lab/experiments/forgetting-report";

const baselines = { bestTurnOracle: { rougeL: 0.2105 }, firstCustomerTurn: { rougeL: 0.12 }, summarySkeleton: { rougeL: 0.18 } };

test("learning or copying: clearly above every trivial summarizer, or not above some of them (the test notebook 05 uses)", () => {
  assert.equal(
    copyingVerdict(3000, [0.3, 0.31, 0.32], [0.5, 0.5, 0.6], baselines),
    "At 3000 examples the fine-tuned model's ROUGE-L (0.31, 95% interval 0.29 to 0.33 over 3 seeds) is clearly above every trivial summarizer, the best of them (bestTurnOracle, 0.21) included, and it states 53% of the facts, which no template can: it summarizes, it does not copy.",
  );
  // One seed must clear the best baseline by the copying margin (0.02): 0.225 does not, 0.235 does.
  assert.equal(
    copyingVerdict(1000, [0.225], [0.11], baselines),
    "At 1000 examples the fine-tuned model's ROUGE-L (0.23) is not clearly above bestTurnOracle (0.21): by ROUGE alone it has not clearly learned more than copying a turn or a template (fact accuracy 0.11).",
  );
  assert.match(copyingVerdict(1000, [0.235], [0.11], baselines), /is clearly above every trivial summarizer/);
  assert.equal(
    copyingVerdict(100, [0.1], [0.02], baselines),
    "At 100 examples the fine-tuned model's ROUGE-L (0.10) is not clearly above bestTurnOracle (0.21), firstCustomerTurn (0.12), summarySkeleton (0.18): by ROUGE alone it has not clearly learned more than copying a turn or a template (fact accuracy 0.02).",
  );
  // Three seeds whose interval reaches below the oracle: above it on average, not clearly.
  assert.match(copyingVerdict(3000, [0.22, 0.25, 0.23], [0.3, 0.3, 0.3], baselines), /is not clearly above bestTurnOracle \(0\.21\):/);
});

const curve = (means: number[], sizes = [100, 500, 1000]) => summarizeCurve(sizes.map((size, i) => ({ size, seed: 0, value: means[i] })));

test("where the learning curve comes within 5% of its best", () => {
  assert.equal(
    curveReachSentence("ROUGE-L", curve([0.3, 0.3, 0.31]), 200, 1000),
    "ROUGE-L is already within 5% of its best (0.31 at 1000) with the smallest set, 100 examples (100: 0.30, 500: 0.30, 1000: 0.31): at 200 steps the curve is flat - the step budget, not the data, is the limit.",
  );
  assert.equal(
    curveReachSentence("fact accuracy", curve([0.1, 0.08, 0.11]), 200, 1000),
    "fact accuracy is highest at 1000 examples, the largest size of this profile (100: 0.10, 500: 0.08, 1000: 0.11): it may still be rising.",
  );
  assert.equal(
    curveReachSentence("ROUGE-L", curve([0.18, 0.21, 0.204]), 200, 1000),
    "ROUGE-L first comes within 5% of its best (0.21 at 500 examples) at 500 examples (100: 0.18, 500: 0.21, 1000: 0.20).",
  );
  // A curve of one size is not "flat from the smallest set": it is the largest size.
  assert.match(curveReachSentence("ROUGE-L", curve([0.2], [1000]), 200, 1000), /is highest at 1000 examples/);
});

test("the claim that 500-1,000 examples give good results, each verdict", () => {
  const evidence = { bestBaseline: 0.21, bestRouge: { size: 1000, mean: 0.3 }, enoughAt: 500, largestSize: 3000, sizesBeatingCopying: [500, 1000, 3000], steps: 400, batchSize: 8, seeds: 3 };
  assert.equal(
    fewExamplesClaim({ ...evidence, bestRouge: { size: 500, mean: 0.225 }, sizesBeatingCopying: [] }),
    "So the claim that 500-1,000 examples give good results is not borne out here: at no size is ROUGE-L clearly above every trivial summarizer (best of them 0.21; best model 0.23 at 500): with 400 steps of batch 8 the model has not yet learned to summarize beyond copying from any of them.",
  );
  const quick = { ...evidence, enoughAt: 1000, largestSize: 1000, sizesBeatingCopying: [1000] };
  assert.equal(
    fewExamplesClaim({ ...quick, full: { steps: 400, largestSize: 3000 } }),
    "The claim that 500-1,000 examples give good results cannot be settled by this profile: the scores still rise at 1000 examples, its largest size (the full profile goes to 400 steps and 3,000 examples).",
  );
  assert.match(fewExamplesClaim(quick), /still rise at 1000 examples, its largest size\.$/);
  assert.equal(
    fewExamplesClaim({ ...evidence, enoughAt: 3000 }),
    "So the claim that 500-1,000 examples give good results is not borne out here: the scores keep rising past 1,000 examples (within 5% of the best only at 3000).",
  );
  assert.equal(
    fewExamplesClaim(evidence),
    "So the claim that 500-1,000 examples give good results holds here: by 500 examples both scores are within 5% of the best we measured and ROUGE-L is clearly above every trivial summarizer (best of them 0.21) over its whole 95% interval across seeds.",
  );
  // Settled where both the 5% criterion and the copying test are met: the later of the two sizes.
  assert.match(fewExamplesClaim({ ...evidence, seeds: 1, sizesBeatingCopying: [1000, 3000] }), /holds here: by 1000 examples .* \(best of them 0\.21\)\.$/);
  assert.equal(
    fewExamplesClaim({ ...evidence, sizesBeatingCopying: [3000] }),
    "The claim that 500-1,000 examples give good results holds only in part here: by 500 examples both scores are within 5% of the best we measured, but no size up to 1,000 has a ROUGE-L clearly above every trivial summarizer (best of them 0.21); 3000 examples do.",
  );
});

test("what the base model's earlier training is worth at one size, against a model trained from scratch", () => {
  assert.equal(
    pretrainingGapSentence(100, { base: [0.3], scratch: [0.2] }, { base: [0.5], scratch: [0.55] }),
    "At 100 examples pretraining is worth +0.10 ROUGE-L and -0.05 fact accuracy (fine-tuned base 0.30 ROUGE-L and 0.50 facts, from scratch 0.20 and 0.55; one seed: no interval, so a gap of a few hundredths may be noise).",
  );
  assert.equal(
    pretrainingGapSentence(250, { base: [0.3, 0.32, 0.31], scratch: [0.2, 0.21, 0.2] }, { base: [0.3, 0.2, 0.25], scratch: [0.25, 0.25, 0.25] }),
    "At 250 examples pretraining is worth ROUGE-L +0.11 (95% interval +0.09 to +0.12: it helps) and fact accuracy 0.00 (95% interval -0.12 to +0.12: not told from noise), paired over 3 seeds (fine-tuned base 0.31 ROUGE-L and 0.25 facts, from scratch 0.20 and 0.25).",
  );
  assert.match(pretrainingGapSentence(1000, { base: [0.2, 0.2, 0.2], scratch: [0.3, 0.32, 0.31] }, { base: [0.1, 0.1, 0.1], scratch: [0.1, 0.1, 0.1] }), /ROUGE-L -0\.11 \(95% interval -0\.13 to -0\.09: from scratch is better\)/);
});

test("the inter-reference ceiling, for scale", () => {
  assert.equal(ceilingSentence(1000, [0.27, 0.29], 0.54),
    "For scale: a second reference summary of the same chats (same facts, the generator's other wording) scores 0.54 ROUGE-L against the first; the fine-tuned model at 1000 examples reaches 0.28, 52% of it.");
});

const run = (size: number, seed: number, rougeL: number, factAccuracy: number) => ({ size, seed, score: { generated: { rougeL, factAccuracy } } });

const quickResults: SingleTaskResults = {
  task: "chat_summary", steps: 200, batchSize: 8, profile: "quick", seeds: [0], sizes: [100, 250, 1000],
  zeroShot: { rougeL: 0.001, factAccuracy: 0 },
  curve: [run(100, 0, 0.18, 0.1), run(250, 0, 0.21, 0.08), run(1000, 0, 0.204, 0.11)],
  scratch: [run(100, 0, 0.15, 0.05), run(1000, 0, 0.2062, 0.09)],
  baselines,
  ceiling: 0.54,
  full: { steps: 400, largestSize: 3000, seeds: [0, 1, 2] },
};

test("notebook 01's findings, one seed: the sentences of a quick run, in order", () => {
  assert.deepEqual(singleTaskFindings(quickResults), [
    "Fine-tuning on 1000 chats (200 steps) raised chat_summary ROUGE-L from 0.00 to 0.20 with one seed (no interval: run more seeds to tell it from noise).",
    "Fine-tuning on 1000 chats (200 steps) raised fact accuracy from 0.00 to 0.11 with one seed (no interval: run more seeds to tell it from noise).",
    "At 1000 examples the fine-tuned model's ROUGE-L (0.20) is not clearly above bestTurnOracle (0.21): by ROUGE alone it has not clearly learned more than copying a turn or a template (fact accuracy 0.11).",
    "ROUGE-L first comes within 5% of its best (0.21 at 250 examples) at 250 examples (100: 0.18, 250: 0.21, 1000: 0.20).",
    "fact accuracy is highest at 1000 examples, the largest size of this profile (100: 0.10, 250: 0.08, 1000: 0.11): it may still be rising.",
    "So the claim that 500-1,000 examples give good results is not borne out here: at no size is ROUGE-L clearly above every trivial summarizer (best of them 0.21; best model 0.21 at 250): with 200 steps of batch 8 the model has not yet learned to summarize beyond copying from any of them.",
    "At 100 examples pretraining is worth +0.03 ROUGE-L and +0.05 fact accuracy (fine-tuned base 0.18 ROUGE-L and 0.10 facts, from scratch 0.15 and 0.05; one seed: no interval, so a gap of a few hundredths may be noise).",
    "At 1000 examples pretraining is worth 0.00 ROUGE-L and +0.02 fact accuracy (fine-tuned base 0.20 ROUGE-L and 0.11 facts, from scratch 0.21 and 0.09; one seed: no interval, so a gap of a few hundredths may be noise).",
    "For scale: a second reference summary of the same chats (same facts, the generator's other wording) scores 0.54 ROUGE-L against the first; the fine-tuned model at 1000 examples reaches 0.20, 38% of it.",
    "All of this is one seed (the quick profile): there are no intervals, so small differences may be noise. The full profile runs seeds 0, 1, 2.",
  ]);
});

test("notebook 01's findings, three seeds of the full profile: paired by seed, no one-seed caveat", () => {
  const sizes = [100, 1000, 3000];
  const means: Record<number, [number, number]> = { 100: [0.2, 0.05], 1000: [0.3, 0.3], 3000: [0.31, 0.4] };
  const results: SingleTaskResults = {
    ...quickResults, profile: "full", steps: 400, seeds: [0, 1, 2], sizes, ceiling: undefined,
    // Listed seed-major and out of size order: the findings find each run by size and seed.
    curve: [2, 0, 1].flatMap((seed) => [3000, 100, 1000].map((size) => run(size, seed, means[size][0] + 0.01 * seed, means[size][1] + 0.01 * seed))),
    scratch: [1, 0, 2].flatMap((seed) => [1000, 100].map((size) => run(size, seed, 0.1 + 0.01 * seed, 0.01))),
  };
  const findings = singleTaskFindings(results);
  assert.equal(findings.length, 8);
  assert.equal(findings[0], "Fine-tuning on 3000 chats (400 steps) raised chat_summary ROUGE-L from 0.00 to 0.32 in all 3 seeds; change +0.32 \u00b1 0.02.");
  assert.match(findings[2], /^At 3000 examples .* is clearly above every trivial summarizer/);
  assert.match(findings[3], /^ROUGE-L first comes within 5% of its best \(0\.32 at 3000 examples\) at 1000 examples/);
  assert.match(findings[5], /^So the claim that 500-1,000 examples give good results is not borne out here: the scores keep rising past 1,000 examples \(within 5% of the best only at 3000\)\.$/);
  assert.match(findings[6], /^At 100 examples pretraining is worth ROUGE-L \+0\.10 \(95% interval .*: it helps\) and fact accuracy \+0\.05 .* paired over 3 seeds/);
  assert.match(findings[7], /^At 1000 examples pretraining is worth ROUGE-L \+0\.20 /);
  assert.throws(() => singleTaskFindings({ ...results, scratch: results.scratch.slice(1) }), /no from-scratch run of size 1000, seed 1/);
});
