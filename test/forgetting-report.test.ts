import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeScoreMatrix } from "../src/eval/forgetting";
import {
  seedAgreementNote,
  beforeAfterHtml,
  diagnoseForgetting,
  flatScores,
  forgettingAcrossSeeds,
  forgettingTableRows,
  heatmapHtml,
  learningCurveHtml,
  scoreMatrixOf,
  smallestSizeReaching,
  summarizeCurve,
} from "../src/lab/experiments/forgetting-report";
import { TaskScore } from "../src/lab/experiments/scoring";

function taskScore(task: string, primary: number, teacherForcedAccuracy: number, rankAccuracy?: number): TaskScore {
  return { task, primary, generated: { accuracy: primary }, teacherForcedAccuracy, meanLogLikelihood: -1, rankAccuracy, samples: [] };
}

const close = (a: number, b: number, label = "") => assert.ok(Math.abs(a - b) < 1e-9, `${label}: ${a} != ${b}`);

test("score matrices of each kind of score, from scoreModel results", () => {
  const models = [
    { name: "base", scores: { a: taskScore("a", 0.9, 0.95, 0.9), b: taskScore("b", 0.5, 0.6) } },
    { name: "ft", scores: { a: taskScore("a", 0.1, 0.9, 0.85), b: taskScore("b", 0.2, 0.5) } },
  ];
  assert.deepEqual(scoreMatrixOf(models, ["a", "b"], "generated").scores, [[0.9, 0.5], [0.1, 0.2]]);
  assert.deepEqual(scoreMatrixOf(models, ["a", "b"], "teacherForced").scores, [[0.95, 0.6], [0.9, 0.5]]);
  assert.deepEqual(scoreMatrixOf(models, ["a"], "rankAccuracy").scores, [[0.9], [0.85]]);
  assert.throws(() => scoreMatrixOf(models, ["b"], "rankAccuracy"), /no rank classification accuracy on task "b"/);
  assert.throws(() => scoreMatrixOf(models, ["c"], "generated"), /was not scored on task "c"/);
  const flat = flatScores(models[0].scores);
  assert.deepEqual(flat.a, { accuracy: 0.9, rankAccuracy: 0.9, teacherForcedAccuracy: 0.95, meanLogLikelihood: -1 });
  assert.equal("rankAccuracy" in flat.b, false);
});

test("forgetting per seed and across seeds, against the base row", () => {
  const matrix = makeScoreMatrix(["base", "ft 0", "ft 1"], ["a", "b", "new"], [
    [0.9, 0.5, 0.0],
    [0.2, 0.5, 0.6],
    [0.4, 0.3, 0.7],
  ]);
  const result = forgettingAcrossSeeds(matrix, "base", [{ model: "ft 0", seed: 0 }, { model: "ft 1", seed: 1 }], ["new"]);
  assert.deepEqual(result.tasks, ["a", "b"]);
  close(result.perSeed[0].forgetting.a, 0.7, "seed 0 a");
  close(result.perSeed[1].forgetting.b, 0.2, "seed 1 b");
  close(result.perSeed[0].backwardTransfer!, -0.35, "bwt 0");
  close(result.perSeed[1].gain.new, 0.7, "gain 1");
  close(result.summary.a!.mean, 0.6, "mean a");
  close(result.summary.backwardTransfer!.mean, -0.35, "mean bwt");
  const rows = forgettingTableRows(result, 2);
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => r.seed), ["0", "1", "mean \u00b1 95% CI", "std"]);
  assert.match(String(rows[2].a), /^0\.60 \u00b1 /);
  const single = forgettingAcrossSeeds(makeScoreMatrix(["base", "ft"], ["a", "new"], [[0.9, 0], [0.3, 0.5]]), "base", [{ model: "ft", seed: 3 }], ["new"]);
  assert.equal(forgettingTableRows(single)[1].a, "0.600 (1 seed)");
  assert.equal(forgettingTableRows(single)[2].a, "n/a");
});

test("diagnosis: format lost vs knowledge lost vs kept", () => {
  const base = { task: "t", likelihoodName: "rank accuracy" };
  const format = diagnoseForgetting({ ...base, generatedBefore: [0.9, 0.9], generatedAfter: [0.0, 0.05], likelihoodBefore: [0.9, 0.9], likelihoodAfter: [0.88, 0.86] });
  assert.equal(format.diagnosis, "format lost, knowledge kept");
  assert.match(format.sentence, /lost the answer format but kept most of the knowledge/);
  const both = diagnoseForgetting({ ...base, generatedBefore: [0.9, 0.9], generatedAfter: [0.0, 0.05], likelihoodBefore: [0.9, 0.9], likelihoodAfter: [0.3, 0.35] });
  assert.equal(both.diagnosis, "format and knowledge lost");
  const kept = diagnoseForgetting({ ...base, generatedBefore: [0.9, 0.9], generatedAfter: [0.91, 0.88], likelihoodBefore: [0.9, 0.9], likelihoodAfter: [0.9, 0.9] });
  assert.equal(kept.diagnosis, "kept");
  // a large mean drop whose seeds disagree is noise, not a loss
  const noisy = diagnoseForgetting({ ...base, generatedBefore: [0.9, 0.9], generatedAfter: [0.0, 1.0], likelihoodBefore: [0.9, 0.9], likelihoodAfter: [0.9, 0.9] });
  assert.equal(noisy.diagnosis, "kept");
  // two seeds that both lost a lot: a loss, although the t interval (df = 1) includes zero
  const agreeing = diagnoseForgetting({ ...base, generatedBefore: [1, 1], generatedAfter: [0.19, 0.02], likelihoodBefore: [1, 1], likelihoodAfter: [0.98, 0.95] });
  assert.equal(agreeing.diagnosis, "format lost, knowledge kept");
  // retention is measured above chance: 1.0 -> 0.6 with chance 0.2 keeps half
  const chance = diagnoseForgetting({ ...base, generatedBefore: [1], generatedAfter: [0], likelihoodBefore: [1], likelihoodAfter: [0.6], chance: 0.2 });
  close(chance.likelihoodRetained, 0.5, "retained above chance");
  assert.equal(chance.diagnosis, "format and knowledge lost");
  assert.match(chance.sentence, /share above chance, 0\.20/);
  const odd = diagnoseForgetting({ ...base, generatedBefore: [0.9], generatedAfter: [0.9], likelihoodBefore: [0.9], likelihoodAfter: [0.4] });
  assert.equal(odd.diagnosis, "likelihood fell, answers kept");
  assert.match(odd.sentence, /one seed/);
  assert.throws(() => diagnoseForgetting({ ...base, generatedBefore: [0.9], generatedAfter: [], likelihoodBefore: [0.9], likelihoodAfter: [0.4] }), /one value per seed/);
});

test("learning curves: summary by size and the smallest size near the best", () => {
  const points = [
    { size: 500, seed: 0, value: 0.6 },
    { size: 100, seed: 0, value: 0.3 },
    { size: 1000, seed: 0, value: 0.62 },
    { size: 500, seed: 1, value: 0.58 },
    { size: 100, seed: 1, value: 0.32 },
    { size: 1000, seed: 1, value: 0.64 },
  ];
  const curve = summarizeCurve(points);
  assert.deepEqual(curve.map((c) => c.size), [100, 500, 1000]);
  close(curve[0].mean, 0.31);
  assert.equal(curve[0].n, 2);
  const reach = smallestSizeReaching(curve, 0.9);
  assert.equal(reach.size, 500);
  assert.equal(reach.best.size, 1000);
  assert.equal(smallestSizeReaching(curve, 1).size, 1000);
  assert.throws(() => smallestSizeReaching(curve, 0), /fraction/);
});

test("figures render as plotly html", () => {
  const html = learningCurveHtml([{ name: "rougeL", points: [{ size: 100, seed: 0, value: 0.3 }, { size: 500, seed: 0, value: 0.5 }] }], [{ name: "oracle", value: 0.21 }], { title: "curve", yTitle: "ROUGE-L" });
  assert.match(html, /Plotly\.newPlot/);
  assert.match(html, /oracle/);
  const matrix = makeScoreMatrix(["base", "ft"], ["a", "b"], [[0.9, 0.5], [0.1, 0.2]]);
  assert.match(heatmapHtml(matrix, { title: "m" }), /"type":"heatmap"/);
  assert.match(beforeAfterHtml(["a", "b"], [0.9, 0.5], [{ seed: 0, values: [0.1, 0.2] }, { seed: 1, values: [0.2, 0.3] }], { title: "x", yTitle: "y" }), /error_y/);
  assert.throws(() => beforeAfterHtml(["a"], [0.9, 0.5], [], { title: "x", yTitle: "y" }), /one value per task/);
});

test("a note when every seed agrees but the interval includes zero", () => {
  assert.match(seedAgreementNote([1, 1], [0.19, 0.02]), /Every one of the 2 seeds moved it the same way \(1\.00 -> 0\.19, 0\.02\)/);
  assert.equal(seedAgreementNote([1, 1], [0.19, 1.2]), "");
  assert.equal(seedAgreementNote([1], [0.1]), "");
  assert.equal(seedAgreementNote([1, 1, 1], [0.5, 0.51, 0.49]), ""); // interval excludes zero: describeChange says it
  assert.equal(seedAgreementNote([1, 1], [0.98, 0.97]), ""); // agreeing but below the threshold
});
