import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  type RunScores,
  aggregateScoreMatrices,
  forgettingVsBase,
  makeScoreMatrix,
  scoreMatrixFromRuns,
  scoreOf,
  sequenceFigures,
  summarizeFiguresAcrossSeeds,
} from "../src/eval/forgetting";
import {
  formatSeedSummary,
  logGamma,
  regularizedIncompleteBeta,
  sampleStandardDeviation,
  studentTCdf,
  studentTQuantile,
  summarizeSeeds,
} from "../src/eval/stats";

const close = (actual: number | null | undefined, expected: number, label = "", tolerance = 1e-12) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected}`);

function closeRecord(actual: Record<string, number>, expected: Record<string, number>, label = "", tolerance = 1e-12): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${label}: keys`);
  for (const k of Object.keys(expected)) close(actual[k], expected[k], `${label} ${k}`, tolerance);
}

// base and two single-task variants: A fine-tuned on t1, B on t2.
const matrix = makeScoreMatrix(["base", "A", "B"], ["t1", "t2", "t3"], [
  [0.5, 0.6, 0.7],
  [0.9, 0.4, 0.6],
  [0.3, 0.8, 0.75],
]);

describe("score matrix", () => {
  test("validation names the culprit", () => {
    assert.throws(() => makeScoreMatrix(["a", "a"], ["t"], [[1], [1]]), /model "a" appears twice/);
    assert.throws(() => makeScoreMatrix(["a"], ["t", "u"], [[1]]), /row "a" has 1 scores for 2 tasks/);
    assert.throws(() => makeScoreMatrix(["a"], ["t"], [[NaN]]), /"a" on "t" is NaN/);
    assert.throws(() => makeScoreMatrix(["a"], ["t"], []), /1 models but 0 rows/);
    assert.equal(scoreOf(matrix, "B", "t3"), 0.75);
    assert.throws(() => scoreOf(matrix, "C", "t3"), /no model "C"/);
  });

  test("from results runs, by each task's primary metric", () => {
    const runs: RunScores[] = [
      { name: "base", scores: { sum: { rougeL: 0.3, rouge1: 0.4 }, sent: { accuracy: 0.5 } } },
      { name: "ft-sum", scores: { sum: { rougeL: 0.6 }, sent: { accuracy: 0.25, formatError: 0.5 } } },
    ];
    const m = scoreMatrixFromRuns(runs, { sum: "rougeL", sent: "accuracy" });
    assert.deepEqual(m, { models: ["base", "ft-sum"], tasks: ["sum", "sent"], scores: [[0.3, 0.5], [0.6, 0.25]] });
    assert.throws(() => scoreMatrixFromRuns(runs, { sum: "rouge2" }), /run "base" has no rouge2 score on task "sum"/);
    assert.throws(() => scoreMatrixFromRuns(runs, { rate: "mae" }), /lower is better/);
  });
});

describe("forgetting against the base (by hand)", () => {
  test("per task, mean, backward transfer, gain, average", () => {
    const [a, b] = forgettingVsBase(matrix, "base", { A: ["t1"], B: ["t2"] });
    assert.equal(a.model, "A");
    closeRecord(a.forgetting, { t2: 0.2, t3: 0.1 }, "A", 1e-12);
    close(a.meanForgetting, 0.15, "A mean", 1e-12);
    close(a.backwardTransfer, -0.15, "A bwt", 1e-12);
    closeRecord(a.gain, { t1: 0.4 }, "A gain");
    close(a.averageScore, 1.9 / 3, "A average");
    closeRecord(b.forgetting, { t1: 0.2, t3: -0.05 }, "B", 1e-12);
    close(b.meanForgetting, 0.075, "B mean", 1e-12);
    close(b.averageScore, 1.85 / 3, "B average");
  });

  test("a variant trained on every task has no forgetting figure (null), and missing entries are errors", () => {
    const [all] = forgettingVsBase(makeScoreMatrix(["base", "all"], ["t"], [[0.1], [0.9]]), "base", { all: ["t"] });
    assert.deepEqual(all.forgetting, {});
    assert.equal(all.meanForgetting, null);
    assert.equal(all.backwardTransfer, null);
    assert.throws(() => forgettingVsBase(matrix, "base", { A: ["t1"] }), /no trainedOn entry for variant "B"/);
    assert.throws(() => forgettingVsBase(matrix, "base", { A: ["t9"], B: [] }), /no task \(trainedOn of "A"\) "t9"/);
    assert.throws(() => forgettingVsBase(matrix, "nobody", {}), /no base model "nobody"/);
  });
});

describe("sequential fine-tuning (by hand)", () => {
  const tasks = ["t1", "t2", "t3", "t4"];
  const stages = ["t1", "t2", "t3"];
  const scores = [
    [0.8, 0.35, 0.3, 0.45],
    [0.6, 0.9, 0.45, 0.4],
    [0.5, 0.7, 0.85, 0.35],
  ];
  const base = [0.2, 0.3, 0.4, 0.5];

  test("with a base: forgetting (Chaudhry), BWT and FWT (Lopez-Paz & Ranzato), average scores", () => {
    const f = sequenceFigures({ tasks, stages, scores, base });
    closeRecord(f.final, { t1: 0.5, t2: 0.7, t3: 0.85, t4: 0.35 });
    // t1: max(0.2, 0.8, 0.6) - 0.5; t2: max(0.3, 0.35, 0.9) - 0.7; t4: max(0.5, 0.45, 0.4) - 0.35; t3 is the last stage's
    closeRecord(f.forgetting, { t1: 0.3, t2: 0.2, t4: 0.15 }, "forgetting", 1e-12);
    close(f.meanForgetting, 0.25, "F", 1e-12);
    close(f.meanForgettingUntrained, 0.15, "untrained", 1e-12);
    // (0.5 - 0.8 + 0.7 - 0.9) / 2
    close(f.backwardTransfer, -0.25, "BWT", 1e-12);
    // stage 1: 0.35 - 0.3; stage 2: 0.45 - 0.4
    close(f.forwardTransfer, 0.05, "FWT", 1e-12);
    close(f.averageScore, 2.05 / 3, "A", 1e-12);
    close(f.averageScoreAllTasks, 0.6, "A all", 1e-12);
  });

  test("without a base: only stages are earlier rows; no FWT", () => {
    const f = sequenceFigures({ tasks, stages, scores });
    closeRecord(f.forgetting, { t1: 0.3, t2: 0.2, t4: 0.1 }, "forgetting", 1e-12);
    assert.equal(f.forwardTransfer, null);
  });

  test("one stage: nothing earlier without a base; with a base, forgetting against it", () => {
    const one = sequenceFigures({ tasks: ["t1", "t2"], stages: ["t1"], scores: [[0.9, 0.2]] });
    assert.deepEqual(one.forgetting, {});
    assert.equal(one.meanForgetting, null);
    assert.equal(one.meanForgettingUntrained, null);
    assert.equal(one.backwardTransfer, null);
    const withBase = sequenceFigures({ tasks: ["t1", "t2"], stages: ["t1"], scores: [[0.9, 0.2]], base: [0.1, 0.5] });
    closeRecord(withBase.forgetting, { t2: 0.3 }, "vs base", 1e-12);
    close(withBase.meanForgettingUntrained, 0.3, "untrained", 1e-12);
    assert.equal(withBase.forwardTransfer, null);
  });

  test("malformed sequences are errors", () => {
    assert.throws(() => sequenceFigures({ tasks, stages: [], scores: [] }), /no stages/);
    assert.throws(() => sequenceFigures({ tasks, stages: ["t1", "t1"], scores: [scores[0], scores[1]] }), /appears twice/);
    assert.throws(() => sequenceFigures({ tasks, stages: ["t9"], scores: [scores[0]] }), /no task \(stages\) "t9"/);
    assert.throws(() => sequenceFigures({ tasks, stages, scores: scores.slice(0, 2) }), /3 models but 2 rows/);
  });
});

describe("statistics across seeds", () => {
  // Two-sided 95% Student t critical values t(0.975, n - 1) for n = 2..10, from a printed table (3 decimals).
  const T_TABLE: [number, number][] = [
    [2, 12.706], [3, 4.303], [4, 3.182], [5, 2.776], [6, 2.571], [7, 2.447], [8, 2.365], [9, 2.306], [10, 2.262],
  ];

  test("t critical values for n = 2..10 match the table", () => {
    for (const [n, t] of T_TABLE) close(studentTQuantile(0.975, n - 1), t, `n=${n}`, 5e-4);
  });

  test("t quantile and CDF: closed forms for 1 and 2 degrees of freedom, symmetry, large df -> normal", () => {
    close(studentTQuantile(0.975, 1), Math.tan(Math.PI * 0.475), "df 1", 1e-9);
    close(studentTQuantile(0.975, 2), 0.95 * Math.sqrt(2 / (4 * 0.975 * 0.025)), "df 2", 1e-9);
    close(studentTCdf(1, 1), 0.75, "cdf df 1", 1e-12);
    close(studentTCdf(-2.5, 7) + studentTCdf(2.5, 7), 1, "symmetry", 1e-12);
    close(studentTQuantile(0.025, 4), -studentTQuantile(0.975, 4), "lower tail", 1e-12);
    assert.equal(studentTQuantile(0.5, 3), 0);
    close(studentTQuantile(0.975, 1e6), 1.959964, "normal limit", 1e-5);
    close(studentTQuantile(0.995, 5), 4.032, "99% n=6", 5e-4);
    assert.throws(() => studentTQuantile(1, 3), /p must be in \(0, 1\)/);
    assert.throws(() => studentTQuantile(0.9, 0), /degrees of freedom/);
  });

  test("special functions on known values", () => {
    close(logGamma(5), Math.log(24), "lgamma 5", 1e-12);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), "lgamma 1/2", 1e-12);
    close(regularizedIncompleteBeta(0.3, 1, 1), 0.3, "I(1,1)", 1e-12);
    close(regularizedIncompleteBeta(0.4, 2, 3), 0.5248, "I(2,3)", 1e-12); // 6x^2 - 8x^3 + 3x^4 at 0.4
  });

  test("summaries: mean, sample sd (n - 1), t interval; n = 1 says there is no interval", () => {
    const s = summarizeSeeds([1, 2, 3, 4]);
    assert.equal(s.n, 4);
    close(s.mean, 2.5);
    close(s.std, Math.sqrt(5 / 3), "sd", 1e-12);
    close(s.interval!.halfWidth, (3.182446305284263 * Math.sqrt(5 / 3)) / 2, "half width", 1e-9);
    close(s.interval!.low, 2.5 - s.interval!.halfWidth);
    close(s.interval!.high, 2.5 + s.interval!.halfWidth);
    assert.equal(s.interval!.confidence, 0.95);

    const two = summarizeSeeds([1, 3]);
    close(two.std, Math.SQRT2, "sd n=2", 1e-12);
    close(two.interval!.halfWidth, 12.706204736174698, "n=2: t * sd / sqrt(2) = t", 1e-9);

    const single = summarizeSeeds([0.42]);
    assert.deepEqual(single, { n: 1, mean: 0.42, std: null, interval: null, values: [0.42] });
    assert.equal(formatSeedSummary(single), "0.420 (n=1, no interval)");
    assert.equal(formatSeedSummary(two, 2), "2.00 \u00b1 12.71 (n=2)");

    close(summarizeSeeds([5, 5, 5]).interval!.halfWidth, 0, "no spread");
    assert.throws(() => summarizeSeeds([]), /no values/);
    assert.throws(() => summarizeSeeds([1, NaN]), /value 1 is NaN/);
    assert.throws(() => sampleStandardDeviation([1]), /at least 2/);
  });

  test("score matrices across seeds: aligned by name, per-cell summaries and a matrix of means", () => {
    const seed0 = makeScoreMatrix(["base", "A"], ["t1", "t2"], [[0.1, 0.2], [0.5, 0.6]]);
    const seed1 = makeScoreMatrix(["A", "base"], ["t2", "t1"], [[0.8, 0.7], [0.4, 0.3]]);
    const agg = aggregateScoreMatrices([seed0, seed1]);
    assert.deepEqual(agg.models, ["base", "A"]);
    assert.deepEqual(agg.tasks, ["t1", "t2"]);
    assert.deepEqual(agg.cells[0][0].values, [0.1, 0.3]);
    assert.deepEqual(agg.cells[1][1].values, [0.6, 0.8]);
    close(agg.means.scores[1][0], 0.6, "A t1", 1e-12);
    close(agg.cells[1][0].std, Math.SQRT2 * 0.1, "sd", 1e-12);
    assert.throws(
      () => aggregateScoreMatrices([seed0, makeScoreMatrix(["base"], ["t1", "t2"], [[0, 0]])]),
      /matrix 1 has models \[base\]/,
    );
  });

  test("figures across seeds; null figures must be null in every seed", () => {
    const figures = summarizeFiguresAcrossSeeds([
      { meanForgetting: 0.1, backwardTransfer: null },
      { meanForgetting: 0.3, backwardTransfer: null },
    ]);
    close(figures.meanForgetting!.mean, 0.2, "mean", 1e-12);
    assert.equal(figures.backwardTransfer, null);
    assert.throws(() => summarizeFiguresAcrossSeeds([{ x: 1 }, { x: null }]), /"x" is null in 1 of 2 seeds/);
    assert.throws(() => summarizeFiguresAcrossSeeds([{ x: 1 }, { y: 1 }]), /seed 1 differs/);
  });
});
