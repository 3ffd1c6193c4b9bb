// One fine-tuning pipeline: `flanlab train` and the library's fineTuneModel (and the lab's fineTune on top of it)
// give bit-identical weights for the same spec, full and LoRA, and LoRA's defaults are PEFT's.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadAdapter } from "../src/io/adapter";
import { loadModel, saveModel } from "../src/io/checkpoint";
import { loadTokenizer } from "../src/io/tokenizer";
import { disposeModel } from "../src/model/lifecycle";
import { LORA_DEFAULTS, LoraConfig } from "../src/model/lora";
import { ParamMap, initParams } from "../src/model/params";
import { T5Model } from "../src/model/t5";
import { fineTuneModel } from "../src/train/finetune";
import { fineTune, trainingMixture } from "../src/lab/experiments/finetune";
import { warmupStepsFor } from "../src/lab/experiments/recipes";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const STEPS = 2;
const BATCH = 2;
const SEED = 3;

function flanlabTrain(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli.ts"), "train", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, FLANLAB_BACKEND: "cpu" },
  });
  assert.equal(run.status, 0, run.stderr);
}

/** A tiny random model with the quickstart tokenizer, saved as a model folder. */
async function tinyModelFolder(): Promise<string> {
  await useBackend("cpu");
  const folder = tempDir("pipeline-model");
  const config = tinyConfig({ vocab_size: 1000, dropout_rate: 0.1 });
  saveModel({ config, params: initParams(config, 1) }, folder, { tokenizerFolder: path.join(ROOT, "models", "quickstart-tokenizer") });
  return folder;
}

/** `flanlab train` on sentiment, the run's final model (with its adapter for LoRA) loaded back. */
function trainedByCli(folder: string, extraFlags: string[]): { model: T5Model; adapterConfig?: LoraConfig } {
  const out = path.join(tempDir("pipeline-run"), "run");
  const flags = ["--model", folder, "--task", "sentiment", "--out", out, "--steps", `${STEPS}`, "--batch-size", `${BATCH}`, "--seed", `${SEED}`];
  flanlabTrain([...flags, "--eval-examples", "1", ...extraFlags]);
  const final = path.join(out, "final");
  if (!fs.existsSync(path.join(final, "adapter_config.json"))) return { model: loadModel(final) };
  const model = loadModel(folder);
  loadAdapter(model, final);
  return { model, adapterConfig: JSON.parse(fs.readFileSync(path.join(final, "adapter_config.json"), "utf8")) };
}

function assertSameWeights(actual: ParamMap, expected: ParamMap): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const name of Object.keys(expected)) {
    const a = Buffer.from((actual[name].dataSync() as Float32Array).buffer);
    const b = Buffer.from((expected[name].dataSync() as Float32Array).buffer);
    assert.ok(a.equals(b), `${name} differs`);
  }
}

async function trainedByLibrary(folder: string, method: "full" | "lora", lora?: { r: number }): Promise<T5Model> {
  const base = loadModel(folder);
  const data = { mixture: trainingMixture({ task: "sentiment" }), tokenizer: await loadTokenizer(folder) };
  const options = { method, lora, steps: STEPS, batchSize: BATCH, learningRate: 1e-3, optimizer: { kind: "adamw" as const }, seed: SEED };
  const { model } = await fineTuneModel(base, data, options);
  disposeModel(base);
  return model;
}

test("flanlab train and fineTuneModel give the same weights: full fine-tuning", async () => {
  const folder = await tinyModelFolder();
  const cli = trainedByCli(folder, []);
  const library = await trainedByLibrary(folder, "full");
  assertSameWeights(cli.model.params, library.params);
  [cli.model, library].forEach(disposeModel);
});

test("flanlab train and fineTuneModel give the same weights: LoRA, with PEFT's defaults for what the flags leave out", async () => {
  const folder = await tinyModelFolder();
  const cli = trainedByCli(folder, ["--lora-r", "2"]);
  const library = await trainedByLibrary(folder, "lora", { r: 2 });
  assert.equal(cli.adapterConfig?.r, 2);
  assert.equal(cli.adapterConfig?.lora_alpha, LORA_DEFAULTS.lora_alpha);
  assert.equal(cli.adapterConfig?.lora_alpha, 8);
  assert.deepEqual(cli.adapterConfig?.target_modules, ["q", "v"]);
  assertSameWeights(cli.model.params, library.params);
  [cli.model, library].forEach(disposeModel);
});

test("the lab's fineTune is the same pipeline: its recipe (AdamW without weight decay, cosine after a tenth of warm-up) is flanlab train with those flags", async () => {
  const folder = await tinyModelFolder();
  const cli = trainedByCli(folder, ["--lora-dropout", "0.1", "--weight-decay", "0", "--schedule", "cosine", "--warmup", String(warmupStepsFor(STEPS))]);
  const base = { model: loadModel(folder), tokenizer: await loadTokenizer(folder), folder };
  const spec = { name: "lora", method: "lora" as const, lora: { lora_dropout: 0.1 }, data: { task: "sentiment" }, steps: STEPS, batchSize: BATCH, learningRate: 1e-3, seed: SEED };
  const lab = await fineTune(base, spec);
  assert.equal(cli.adapterConfig?.lora_dropout, 0.1, "any --lora-* flag turns LoRA on");
  assert.equal(cli.adapterConfig?.r, LORA_DEFAULTS.r);
  assertSameWeights(cli.model.params, lab.model.params);
  [cli.model, lab.model, base.model].forEach(disposeModel);
});
