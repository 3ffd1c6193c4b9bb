import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { copyModel } from "../src/lab/experiments/finetune";
import { addAdapter, mergeAdapter } from "../src/model/lora";
import { initParams } from "../src/model/params";
import { T5Model } from "../src/model/t5";
import { tinyConfig, useBackend } from "./helpers";
import {
  contrastRuns,
  effectiveWeightChange,
  meanWeightChange,
  forgettingOf,
  formatBytes,
  learningForgettingHtml,
  perExampleForgetting,
  perExamplePrimary,
  sizeOnDisk,
} from "../src/lab/experiments/lora-sweep";
import { TaskScore } from "../src/lab/experiments/scoring";

const close = (a: number, b: number, label = "") => assert.ok(Math.abs(a - b) < 1e-9, `${label}: ${a} != ${b}`);

function taskScore(task: string, perExample: number[], teacherForcedAccuracy: number, rankAccuracy?: number): TaskScore {
  const primary = perExample.reduce((a, b) => a + b, 0) / perExample.length;
  const samples = perExample.map((v, i) => ({ input: `${task} ${i}`, references: ["x"], recordId: `${i}`, templateId: "t", prediction: "x", scores: { accuracy: v } }));
  return { task, primary, generated: { accuracy: primary }, teacherForcedAccuracy, meanLogLikelihood: -1, rankAccuracy, samples };
}

const base = { a: taskScore("a", [1, 1, 1, 0], 0.9, 0.8), b: taskScore("b", [1, 0, 1, 0], 0.7) };
const tuned = { a: taskScore("a", [0, 1, 0, 0], 0.8, 0.7), b: taskScore("b", [1, 0, 0, 0], 0.75) };

test("forgetting: mean over tasks of base - model, generated and likelihood-based", () => {
  const f = forgettingOf(base, tuned, ["a", "b"]);
  close(f.generated, (0.5 + 0.25) / 2, "generated");
  close(f.teacherForced, (0.1 - 0.05) / 2, "teacher-forced");
  close(f.rank!, 0.1, "rank (only task a has labels)");
  assert.equal(forgettingOf({ b: base.b }, { b: tuned.b }, ["b"]).rank, null);
  assert.throws(() => forgettingOf(base, tuned, ["a", "c"]), /no scores for c/);
  close(forgettingOf(base, base, ["a", "b"]).generated, 0, "no change");
});

test("per-example values pool tasks; their paired mean difference is a difference of forgetting", () => {
  const metric = () => "accuracy";
  assert.deepEqual(perExamplePrimary(base, ["a", "b"], metric), [1, 1, 1, 0, 1, 0, 1, 0]);
  const diffs = perExampleForgetting(base, tuned, ["a", "b"], metric);
  close(diffs.reduce((x, y) => x + y, 0) / diffs.length, forgettingOf(base, tuned, ["a", "b"]).generated, "pooled mean = forgetting");
  assert.throws(() => perExamplePrimary(base, ["a"], () => "f1"), /no "f1" score/);
});

test("contrasts: over seeds when there are several, over paired examples with one, no interval otherwise", () => {
  const seeds = contrastRuns("ROUGE-L", { name: "A", perSeed: [0.5, 0.52, 0.51] }, { name: "B", perSeed: [0.3, 0.33, 0.31] });
  assert.equal(seeds.direction, 1);
  assert.equal(seeds.over, "seeds");
  assert.match(seeds.sentence, /A is higher than B .*over 3 seeds/);
  const noisy = contrastRuns("ROUGE-L", { name: "A", perSeed: [0.5, 0.2] }, { name: "B", perSeed: [0.3, 0.4] });
  assert.equal(noisy.direction, 0);
  assert.match(noisy.sentence, /within noise/);
  const examples = contrastRuns(
    "forgetting",
    { name: "A", perSeed: [0.1], perExample: [0, 0, 0, 0, 0, 0, 0, 0] },
    { name: "B", perSeed: [0.9], perExample: [1, 1, 1, 1, 1, 1, 1, 0.9] },
  );
  assert.equal(examples.direction, -1);
  assert.equal(examples.over, "test examples");
  assert.match(examples.sentence, /A is lower than B .*8 paired test examples, one training seed/);
  const none = contrastRuns("x", { name: "A", perSeed: [0.1] }, { name: "B", perSeed: [0.2] });
  assert.equal(none.direction, 0);
  assert.equal(none.halfWidth, null);
  assert.match(none.sentence, /cannot be told apart without an interval/);
});

test("the learning-vs-forgetting figure has one labelled trace per group", () => {
  const html = learningForgettingHtml(
    [
      { name: "full", group: "full", forgetting: 0.5, learning: 0.6 },
      { name: "q,v r8", group: "LoRA q,v", forgetting: 0.4, learning: 0.3 },
      { name: "q,v r32", group: "LoRA q,v", forgetting: 0.45, learning: 0.35 },
    ],
    { title: "t", xTitle: "x", yTitle: "y" },
  );
  const spec = JSON.parse(html.match(/var s=(\{.*?\});function/)![1]);
  assert.equal(spec.data.length, 2);
  assert.deepEqual(spec.data[1].text, ["q,v r8", "q,v r32"]);
  assert.deepEqual(spec.data[1].x, [0.4, 0.45]);
});

test("sizes on disk", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flanlab-size-"));
  fs.writeFileSync(path.join(dir, "a.bin"), Buffer.alloc(1500));
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub", "b.bin"), Buffer.alloc(500));
  assert.equal(sizeOnDisk(path.join(dir, "a.bin")), 1500);
  assert.equal(sizeOnDisk(dir), 2000);
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(52_400), "52.4 kB");
  assert.equal(formatBytes(2_713_000), "2.7 MB");
  fs.rmSync(dir, { recursive: true });
});

test("weight change: LoRA's effective A B, merged or not; full fine-tuning's W' - W; unchanged modules left out", async () => {
  await useBackend("cpu");
  const config = tinyConfig();
  const base: T5Model = { config, params: initParams(config, 3) };
  const lora = copyModel(base);
  addAdapter(lora, { r: 2, lora_alpha: 4, target_modules: ["q", "v"], init_lora_weights: false }, { seed: 1 });
  const change = effectiveWeightChange(base, lora);
  assert.equal(Object.keys(change).length, 12, "q and v of 6 attention blocks");
  assert.ok(Object.keys(change).every((m) => /\.(q|v)$/.test(m)));
  const module = "encoder.block.0.layer.0.SelfAttention.q";
  const expected = tf.tidy(() => {
    const delta = tf.mul(tf.matMul(lora.params[`${module}.lora_A.weight`], lora.params[`${module}.lora_B.weight`]), 2);
    return tf.div(tf.norm(delta), tf.norm(base.params[`${module}.weight`])).dataSync()[0];
  });
  close(change[module], expected, "q of block 0");
  mergeAdapter(lora);
  const merged = effectiveWeightChange(base, lora);
  assert.ok(Math.abs(merged[module] - expected) < 1e-5, "merged: the same change, now in W");
  close(meanWeightChange(change, ["q"]), Object.entries(change).filter(([m]) => m.endsWith(".q")).reduce((a, [, v]) => a + v, 0) / 6, "mean over q");
  const full = copyModel(base);
  full.params["lm_head.weight"] = tf.mul(base.params["lm_head.weight"], 1.5);
  const fullChange = effectiveWeightChange(base, full);
  assert.deepEqual(Object.keys(fullChange), ["lm_head"]);
  assert.ok(Math.abs(fullChange.lm_head - 0.5) < 1e-5);
  assert.equal(meanWeightChange({}, ["q"]), 0);
});
