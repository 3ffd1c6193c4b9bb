import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { Batch, TokenizedExample, collate } from "../src/data/collate";
import { loadModel } from "../src/io/checkpoint";
import { ParamMap, initParams } from "../src/model/params";
import { T5Model } from "../src/model/t5";
import { BatchSource, EpochBatches, JsonValue } from "../src/train/batches";
import { accumulatedGradients, train, TrainerOptions, TrainingDivergedError } from "../src/train/trainer";
import { toVariables } from "../src/train/step";
import { tempDir, tinyConfig, useBackend } from "./helpers";

before(() => useBackend("wasm"));

/** Examples with different target lengths, so token weighting matters. */
const EXAMPLES: TokenizedExample[] = Array.from({ length: 12 }, (_, i) => ({
  inputIds: [5 + i, 6 + (i % 5), 7, 8 + (i % 3), 1],
  labels: Array.from({ length: 1 + (i % 4) }, (_, j) => 9 + ((i + j) % 20)).concat([1]),
}));

function freshModel(seed = 3, dropout = 0): T5Model {
  const config = tinyConfig({ dropout_rate: dropout });
  return { config, params: toVariables(initParams(config, seed)) };
}

function dispose(params: ParamMap): void {
  Object.values(params).forEach((t) => t.dispose());
}

function snapshot(params: ParamMap): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(params).map(([n, t]) => [n, t.dataSync().slice() as Float32Array]));
}

const baseOptions = (over: Partial<TrainerOptions> = {}): TrainerOptions => ({
  steps: 6,
  batchSize: 4,
  optimizer: { kind: "adamw", weightDecay: 0.01 },
  learningRate: 3e-3,
  schedule: { kind: "linear", warmupSteps: 2 },
  seed: 11,
  ...over,
});

test("gradient accumulation weighted by target tokens equals one larger batch", () => {
  const model = freshModel();
  const all = collate(EXAMPLES.slice(0, 4));
  const parts = [collate(EXAMPLES.slice(0, 1)), collate(EXAMPLES.slice(1, 4))]; // 2 and 3+4+... tokens: unequal
  const big = accumulatedGradients(model, [all], () => undefined);
  const small = accumulatedGradients(model, parts, () => undefined);
  assert.ok(Math.abs(big.loss - small.loss) < 1e-5, `loss ${big.loss} vs ${small.loss}`);
  for (const name of Object.keys(big.grads)) {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(big.grads[name], small.grads[name]))).dataSync()[0]);
    assert.ok(diff < 1e-5, `${name}: max gradient difference ${diff}`);
  }
  Object.values(big.grads).forEach((g) => g.dispose());
  Object.values(small.grads).forEach((g) => g.dispose());
  dispose(model.params);
});

test("an interrupted run resumes and ends with the same weights as an uninterrupted one", async () => {
  const straightDir = tempDir("straight");
  const straight = freshModel(3, 0.1);
  await train(straight, new EpochBatches(EXAMPLES, 5), baseOptions({ outDir: straightDir, saveEvery: 3 }));

  const resumedDir = tempDir("resumed");
  const first = freshModel(3, 0.1);
  const crashAtStep4 = { update: (s: { step: number }) => { if (s.step === 4) throw new Error("simulated crash"); }, done: () => {} };
  await assert.rejects(train(first, new EpochBatches(EXAMPLES, 5), baseOptions({ outDir: resumedDir, saveEvery: 3, progress: crashAtStep4 })), /simulated crash/);
  dispose(first.params);

  const second = freshModel(99, 0.1); // other initial weights: everything must come from the checkpoint
  const result = await train(second, new EpochBatches(EXAMPLES, 5), baseOptions({ outDir: resumedDir, saveEvery: 3 }));
  assert.equal(result.resumedFrom, 3);
  assert.deepEqual(result.losses.map((l) => l.step), [4, 5, 6]);
  const a = snapshot(straight.params);
  const b = snapshot(second.params);
  for (const name of Object.keys(a)) assert.deepEqual(b[name], a[name], `${name} differs after resuming`);
  const metricSteps = fs.readFileSync(path.join(resumedDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).step);
  assert.deepEqual(metricSteps, [...metricSteps].sort((x, y) => x - y), "metrics.jsonl has no repeated steps");
  dispose(straight.params);
  dispose(second.params);
});

test("the run folder: run.json, metrics.jsonl, step folders, best and last", async () => {
  const dir = tempDir("runfolder");
  const model = freshModel();
  let calls = 0;
  const scores = [0.2, 0.5, 0.4];
  const result = await train(model, new EpochBatches(EXAMPLES, 1), baseOptions({
    outDir: dir, steps: 6, evalEvery: 2, logEvery: 1,
    evaluate: () => ({ score: scores[calls++] }),
    earlyStopping: { metric: "score", mode: "max", patience: 5 },
  }));
  assert.equal(result.bestStep, 4);
  const run = JSON.parse(fs.readFileSync(path.join(dir, "run.json"), "utf8"));
  assert.equal(run.options.seed, 11);
  assert.equal(run.backend, "wasm");
  assert.ok(run.started && run.ended && run.versions["tfjs-core"]);
  const lines = fs.readFileSync(path.join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.filter((l) => "loss" in l).length, 6);
  assert.deepEqual(lines.filter((l) => l.eval).map((l) => l.eval.score), scores);
  for (const key of ["loss", "learning_rate", "tokens_per_s", "grad_norm"]) assert.equal(typeof lines[0][key], "number", key);
  const checkpoints = fs.readdirSync(path.join(dir, "checkpoints")).sort();
  // saved every 10% of the run by default (here every step), the newest two kept; best (step 4) is a linked copy
  assert.deepEqual(checkpoints, ["best", "last", "step-5", "step-6"]);
  for (const file of ["config.json", "model.safetensors", "trainer_state.json", "optimizer.safetensors"]) {
    assert.ok(fs.existsSync(path.join(dir, "checkpoints", "best", file)), file);
  }
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "checkpoints", "best", "trainer_state.json"), "utf8")).step, 4);
  const best = loadModel(path.join(dir, "checkpoints", "best"));
  dispose(best.params);
  dispose(model.params);
});

test("early stopping ends the run after `patience` evaluations without improvement", async () => {
  const model = freshModel();
  const result = await train(model, new EpochBatches(EXAMPLES, 1), baseOptions({
    steps: 20, evalEvery: 1, evaluate: (_m, step) => ({ loss: step < 3 ? 1 / step : 10 }),
    earlyStopping: { metric: "loss", mode: "min", patience: 2 },
  }));
  assert.equal(result.stoppedEarly, true);
  assert.equal(result.steps, 4);
  assert.equal(result.bestStep, 2);
  dispose(model.params);
});

test("a NaN loss stops with the step named, keeping the last good checkpoint", async () => {
  const dir = tempDir("nan");
  const model = freshModel();
  const poison = (m: T5Model) => {
    (m.params["lm_head.weight"] as tf.Variable).assign(tf.fill(m.params["lm_head.weight"].shape, NaN));
    return { ok: 1 };
  };
  await assert.rejects(
    train(model, new EpochBatches(EXAMPLES, 1), baseOptions({ outDir: dir, evalEvery: 2, evaluate: poison })),
    (error: Error) => error instanceof TrainingDivergedError && /step 3: the loss is NaN/.test(error.message) && /last good checkpoint/.test(error.message),
  );
  const last = JSON.parse(fs.readFileSync(path.join(dir, "checkpoints", "last", "trainer_state.json"), "utf8"));
  assert.equal(last.step, 2);
  dispose(model.params);
});

test("frozen parameters stay bit-identical; no tensor growth over many steps", async () => {
  const config = tinyConfig();
  const model = { config, params: toVariables(initParams(config, 4), (name) => name.startsWith("decoder.")) };
  const frozenBefore = snapshot(model.params)["encoder.block.0.layer.0.SelfAttention.q.weight"];
  const source = new EpochBatches(EXAMPLES, 2);
  await train(model, source, baseOptions({ steps: 2 }));
  const tensors = tf.memory().numTensors;
  await train(model, source, baseOptions({ steps: 30, optimizer: { kind: "adafactor" } }));
  assert.equal(tf.memory().numTensors, tensors, "tensor count grew across training");
  assert.deepEqual(model.params["encoder.block.0.layer.0.SelfAttention.q.weight"].dataSync(), frozenBefore);
  dispose(model.params);
});

test("bad options are clear errors", async () => {
  const model = freshModel();
  await assert.rejects(train(model, new EpochBatches(EXAMPLES, 1), baseOptions({ steps: 0 })), /steps must be a positive integer/);
  await assert.rejects(train(model, new EpochBatches(EXAMPLES, 1), baseOptions({ earlyStopping: { metric: "x", mode: "max", patience: 1 } })), /earlyStopping needs an evaluate function/);
  dispose(model.params);
});

test("EpochBatches: deterministic, reshuffled per epoch, restorable", () => {
  const a = new EpochBatches(EXAMPLES, 9);
  const firstEpoch = [a.next(6), a.next(6)].flatMap((b: Batch) => b.inputIds.map((r) => r[0]));
  assert.deepEqual([...firstEpoch].sort((x, y) => x - y), EXAMPLES.map((e) => e.inputIds[0]));
  const saved: JsonValue = a.state();
  const next = a.next(5);
  const b: BatchSource = new EpochBatches(EXAMPLES, 9);
  b.restore(saved);
  assert.deepEqual(b.next(5), next);
  assert.throws(() => b.restore({ epoch: "x" }), /not \{epoch, index\}/);
});

test("a LoRA run checkpoints its adapter (PEFT layout) and resumes to the same adapter weights", async () => {
  const { addAdapter, loraTrainable } = await import("../src/model/lora");
  const loraModel = (): T5Model => {
    const config = tinyConfig();
    const model: T5Model = { config, params: initParams(config, 3) };
    addAdapter(model, { r: 2, lora_alpha: 4, lora_dropout: 0.1, target_modules: ["q", "v"] }, { seed: 1 });
    return loraTrainable(model);
  };
  const options = (dir: string, progress?: TrainerOptions["progress"]) => baseOptions({ outDir: dir, saveEvery: 3, dropoutRate: 0, progress });
  const straight = loraModel();
  await train(straight, new EpochBatches(EXAMPLES, 5), options(tempDir("lora-straight")));

  const dir = tempDir("lora-resumed");
  const crash = { update: (s: { step: number }) => { if (s.step === 4) throw new Error("simulated crash"); }, done: () => {} };
  const first = loraModel();
  await assert.rejects(train(first, new EpochBatches(EXAMPLES, 5), options(dir, crash)), /simulated crash/);
  assert.ok(fs.existsSync(path.join(dir, "checkpoints", "last", "adapter_model.safetensors")));
  assert.ok(!fs.existsSync(path.join(dir, "checkpoints", "last", "model.safetensors")));
  const second = loraModel();
  await train(second, new EpochBatches(EXAMPLES, 5), options(dir));
  const a = snapshot(straight.params);
  const b = snapshot(second.params);
  for (const name of Object.keys(a).filter((n) => n.includes("lora_"))) assert.deepEqual(b[name], a[name], name);
  [straight, first, second].forEach((m) => dispose(m.params));
});

test("MixtureBatches: a seeded mixture stream, tokenized per task, restorable by position", async () => {
  const { makeMixture } = await import("../src/data/mixtures");
  const { MixtureBatches } = await import("../src/train/batches");
  const { loadTokenizer } = await import("../src/io/tokenizer");
  const tokenizer = await loadTokenizer(path.join(__dirname, "..", "models", "quickstart-tokenizer"));
  const task = (name: string) => ({
    name, description: name, folder: name, metric: "classification" as const, primaryMetric: "accuracy",
    templates: [{ id: "t", input: `${name}: {text}`, target: "{label}" }, { id: "h", input: "{text}?", target: "{label}", heldOut: true }],
    fields: (r: Record<string, unknown>) => ({ text: String(r.text), label: String(r.label) }),
    validate: () => {},
    maxInputTokens: 6, maxTargetTokens: 4,
  });
  const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, text: `item number ${i} is quite good`, label: i % 2 ? "yes" : "no" }));
  const mixture = makeMixture("m", [{ task: task("alpha"), records: records(5) }, { task: task("beta"), records: records(9) }]);
  const a = new MixtureBatches(mixture, 3, tokenizer);
  a.next(4);
  const position = a.state();
  const expected = a.next(4);
  const b = new MixtureBatches(mixture, 3, tokenizer);
  b.restore(position);
  assert.deepEqual(b.next(4), expected);
  assert.ok(a.truncation.inputs > 0, "inputs longer than 6 tokens are cut and counted");
  assert.ok(expected.inputIds.every((row) => row.filter((id) => id !== 0).length <= 6));
  assert.equal(a.report().reduce((sum, r) => sum + r.drawn, 0), 8);
});
