import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compareMethods, compareToBaseline, describeChange } from "../src/lab/experiments/findings";
import { ResultsLog, byProfile } from "../src/lab/experiments/results";
import { trainingMixture } from "../src/lab/experiments/finetune";
import { mixtureShares } from "../src/data/mixtures";
import { tempDir } from "./helpers";
import * as fs from "fs";

test("findings follow the numbers: direction, agreeing seeds, noise", () => {
  assert.equal(
    describeChange({ subject: "review_rating accuracy", cause: "Fine-tuning", before: [0.8, 0.82, 0.81], after: [0.4, 0.45, 0.41] }),
    "Fine-tuning lowered review_rating accuracy from 0.81 to 0.42 in all 3 seeds; change -0.39 \u00b1 0.04.",
  );
  assert.match(describeChange({ subject: "x", cause: "LoRA", before: [0.5, 0.5, 0.5], after: [0.52, 0.47, 0.51] }), /made no difference to x that we can distinguish from noise/);
  assert.match(describeChange({ subject: "x", cause: "Replay", before: [0.2], after: [0.6] }), /raised x from 0\.20 to 0\.60 with one seed \(no interval/);
  assert.match(compareMethods("chat rougeL", { name: "full", values: [0.5, 0.52] }, { name: "lora", values: [0.2, 0.21] }), /full scored higher than lora/);
  assert.match(compareMethods("chat rougeL", { name: "full", values: [0.5, 0.3] }, { name: "lora", values: [0.45, 0.35] }), /within noise/);
  assert.throws(() => describeChange({ subject: "x", cause: "y", before: [1], after: [] }), /one value per seed/);
});

test("results are written in docs/ARCHITECTURE.md's format", () => {
  const log = new ResultsLog("01_test", "quick", [0], { steps: 10 });
  log.add({ name: "base", method: "none", task: "none", seed: null, scores: { sentiment: { accuracy: 0.9 } }, trainable_params: null, train_seconds: null });
  const file = log.write(tempDir("results"));
  const saved = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const key of ["notebook", "profile", "backend", "seeds", "started", "seconds", "runs"]) assert.ok(key in saved, key);
  assert.equal(saved.runs[0].scores.sentiment.accuracy, 0.9);
  assert.equal(byProfile("full", 1, 2), 2);
});

test("a training mixture from the shipped tasks, with example counts", () => {
  const mixture = trainingMixture({ mixture: [{ task: "chat_summary", examples: 500 }, { task: "sentiment", examples: 250 }], rate: "proportional:10000" });
  const shares = mixtureShares(mixture);
  assert.deepEqual(shares.map((s) => s.records.length), [500, 250]);
  assert.ok(Math.abs(shares[0].proportion - 2 / 3) < 1e-9);
  assert.throws(() => trainingMixture({ task: "sentiment", examples: 99999 }), /has 3000 training records; 99999 were asked for/);
});

test("a method against a fixed baseline: clearly above or below only when the seed interval excludes it", () => {
  const baseline = { name: "best turn", value: 0.208 };
  const compare = (values: number[]) => compareToBaseline({ subject: "ROUGE-L", method: { name: "full", values }, baseline, belowMeans: "it does not beat copying" });
  assert.match(compare([0.268, 0.209, 0.238]), /^full's ROUGE-L \(0\.238, 95% interval 0\.165 to 0\.312 over 3 seeds\) is within seed noise of best turn \(0\.208\): 0\.030 above it on average/);
  assert.match(compare([0.25, 0.26, 0.255]), /is 0\.047 above best turn \(0\.208\), the whole interval above it\.$/);
  assert.match(compare([0.12, 0.13, 0.11]), /is 0\.088 below best turn \(0\.208\), the whole interval below it: it does not beat copying\.$/);
  assert.match(compare([0.215]), /about level with best turn \(0\.208\): 0\.007 above it, too close to call without an interval/);
  assert.match(compare([0.3]), /is 0\.092 above best turn \(0\.208\)\.$/);
});
