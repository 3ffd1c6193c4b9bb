// Memory estimates per backend, the check before loading, and a guard that keeps the measured constants honest.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadModelAndAdapter } from "../src/cli/common";
import {
  GiB,
  MemoryError,
  WASM_MAX_BYTES,
  checkMemory,
  currentMemoryBackend,
  estimateMemory,
  largestBatch,
  memoryLimit,
  memoryTableMarkdown,
  predictedTensorBytesPeak,
} from "../src/io/memory";
import { countLoraParameters } from "../src/model/lora";
import { publicT5Config } from "../src/model/public-configs";
import { initParams, parameterSpecs } from "../src/model/params";
import { batchLoss, toVariables } from "../src/train/step";
import { computeGradients, disposeGradients } from "../src/train/optimizers";
import { T5Model } from "../src/model/t5";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const NO_ENV = {};
const base = publicT5Config("flan-t5-base")!;

test("the textbook figures: flan-t5-base full fine-tuning with AdamW needs about 4 GB before activations", () => {
  const e = estimateMemory(base, { mode: "full", optimizer: "adamw" }, "wasm");
  assert.equal(e.parameters, 247_577_856);
  assert.equal(e.bytes.weights, 4 * e.parameters);
  assert.equal(e.bytes.gradients, 4 * e.parameters);
  assert.equal(e.bytes.optimizer, 8 * e.parameters);
  assert.ok(Math.abs(e.textbook / 1e9 - 3.96) < 0.01, String(e.textbook));
  // Adafactor keeps a row and a column per matrix: far less than AdamW's two full copies.
  const adafactor = estimateMemory(base, { mode: "full", optimizer: "adafactor" }, "wasm");
  const expected = [...parameterSpecs(base).values()].reduce((sum, s) => sum + (s.shape.length === 2 ? s.shape[0] + s.shape[1] : s.shape[0]), 0);
  assert.equal(adafactor.bytes.optimizer, 4 * expected);
  assert.ok(adafactor.bytes.optimizer < 0.01 * e.bytes.optimizer);
  // LoRA trains the adapter only: PEFT's count, gradients and state for it alone.
  const lora = estimateMemory(base, { mode: "lora", lora: { r: 16, target_modules: ["q", "k", "v", "o"] } }, "wasm");
  const adapter = countLoraParameters(base, { r: 16, target_modules: ["q", "k", "v", "o"] });
  assert.equal(lora.trainable, adapter);
  assert.equal(lora.bytes.weights, 4 * (lora.parameters + adapter));
  assert.equal(lora.bytes.optimizer, 8 * adapter);
  // Gradient accumulation keeps a running sum; activations grow with the batch and the lengths.
  assert.equal(estimateMemory(base, { mode: "full", gradientAccumulation: 4 }, "cpu").bytes.gradients, 8 * e.parameters);
  const small = estimateMemory(base, { mode: "full", batchSize: 1, sourceLength: 128, targetLength: 32 }, "wasm").bytes.activations;
  assert.ok(estimateMemory(base, { mode: "full", batchSize: 2, sourceLength: 128, targetLength: 32 }, "wasm").bytes.activations === 2 * small);
  assert.ok(estimateMemory(base, { mode: "full", batchSize: 1, sourceLength: 256, targetLength: 32 }, "wasm").bytes.activations > 2 * small);
  // Running it needs no gradients, state or backward temporaries.
  const run = estimateMemory(base, { mode: "inference" }, "wasm");
  assert.deepEqual([run.bytes.gradients, run.bytes.optimizer, run.bytes.overhead], [0, 0, 0]);
});

test("limits: 4 GiB on wasm, RAM on cpu and tfjs-node, unknown on the GPU unless FLANLAB_MEMORY_LIMIT_GB says", () => {
  assert.equal(WASM_MAX_BYTES, 4 * GiB);
  assert.equal(memoryLimit("wasm", NO_ENV, 64 * GiB).bytes, 4 * GiB);
  assert.equal(memoryLimit("wasm", NO_ENV, 2 * GiB).bytes, 2 * GiB);
  assert.equal(memoryLimit("tensorflow", NO_ENV, 64 * GiB).bytes, 64 * GiB);
  assert.equal(memoryLimit("cpu", NO_ENV, 16 * GiB).bytes, 16 * GiB);
  assert.equal(memoryLimit("tensorflow-gpu", NO_ENV, 64 * GiB).bytes, undefined);
  assert.equal(memoryLimit("tensorflow-gpu", { FLANLAB_MEMORY_LIMIT_GB: "24" }).bytes, 24e9);
  assert.equal(memoryLimit("wasm", { FLANLAB_MEMORY_LIMIT_GB: "100" }).bytes, 4 * GiB);
  assert.throws(() => memoryLimit("cpu", { FLANLAB_MEMORY_LIMIT_GB: "lots" }), /FLANLAB_MEMORY_LIMIT_GB="lots" must be a positive number/);
  assert.equal(currentMemoryBackend("wasm"), "wasm");
  assert.equal(currentMemoryBackend("tensorflow", { FLANLAB_BACKEND: "tfjs-node-gpu" }), "tensorflow-gpu");
  assert.equal(currentMemoryBackend("tensorflow", { FLANLAB_BACKEND: "tensorflow" }), "tensorflow");
});

test("a plan that does not fit fails with the estimate, the limit and what would fit instead", () => {
  const plan = { mode: "full" as const, optimizer: "adamw" as const, batchSize: 8, sourceLength: 512, targetLength: 128 };
  assert.throws(() => checkMemory(base, plan, { backend: "wasm", name: "google/flan-t5-base", env: NO_ENV, totalMemory: 32 * GiB }), (e: Error) => {
    assert.ok(e instanceof MemoryError);
    assert.match(e.message, /^google\/flan-t5-base: full fine-tuning with AdamW on the wasm backend needs about \d+ GB \(weights 990 MB, gradients 990 MB, AdamW state 2\.0 GB, backward temporaries/);
    assert.match(e.message, /more than the 4 GiB the wasm backend can address/);
    assert.match(e.message, /the tensorflow backend \(npm install @tensorflow\/tfjs-node/);
    assert.match(e.message, /FLANLAB_SKIP_MEMORY_CHECK=1/);
    return true;
  });
  // flan-t5-small fits wasm with a batch of four at 256 + 64 tokens; the error for a batch of 8 says so.
  const small = publicT5Config("flan-t5-small")!;
  const shaped = { mode: "full" as const, sourceLength: 256, targetLength: 64 };
  assert.equal(largestBatch(small, shaped, "wasm", WASM_MAX_BYTES), 4);
  assert.throws(() => checkMemory(small, { ...shaped, batchSize: 8 }, { backend: "wasm", env: NO_ENV, totalMemory: 32 * GiB }), /a batch of 4 \(gradient accumulation keeps the effective batch/);
  // The same plan fits a 32 GB machine on tfjs-node; the escape hatch and an unknown GPU limit let anything through.
  assert.ok(checkMemory(small, { ...shaped, batchSize: 8 }, { backend: "tensorflow", env: NO_ENV, totalMemory: 32 * GiB }).total < 32 * GiB);
  assert.ok(checkMemory(base, plan, { backend: "wasm", env: { FLANLAB_SKIP_MEMORY_CHECK: "1" } }));
  assert.ok(checkMemory(base, plan, { backend: "tensorflow-gpu", env: NO_ENV }));
});

test("loading checks memory from config.json before reading any weight", async () => {
  await useBackend("wasm");
  const folder = tempDir("memory-large");
  // flan-t5-xl's architecture (2.85 B parameters, 11 GB in float32): more than wasm can hold even to run it.
  const xl = { ...publicT5Config("flan-t5-large")!, d_model: 2048, d_ff: 5120, num_heads: 32, num_layers: 24, num_decoder_layers: 24 };
  fs.writeFileSync(path.join(folder, "config.json"), JSON.stringify({ ...xl, model_type: "t5" }));
  // No weights at all: reaching them would be a different error.
  const before = { ...process.env };
  delete process.env.FLANLAB_SKIP_MEMORY_CHECK;
  delete process.env.FLANLAB_MEMORY_LIMIT_GB;
  try {
    assert.throws(() => loadModelAndAdapter(folder), (e: Error) => {
      assert.ok(e instanceof MemoryError, e.message);
      assert.match(e.message, /running it \(generation, evaluation\) on the wasm backend needs about/);
      return true;
    });
    // flan-t5-large runs on wasm (short inputs), but its full fine-tuning is refused before any weight is read.
    const large = tempDir("memory-large");
    fs.writeFileSync(path.join(large, "config.json"), JSON.stringify({ ...publicT5Config("flan-t5-large")!, model_type: "t5" }));
    assert.throws(() => loadModelAndAdapter(large), /no model\.safetensors/);
    assert.throws(() => loadModelAndAdapter(large, undefined, { mode: "full" }), /full fine-tuning with AdamW on the wasm backend/);
  } finally {
    process.env = before;
  }
});

/** The peak of tf.memory().numBytes over one gradient computation (every kernel's output counted when made). */
function measuredPeak(model: T5Model, batch: Parameters<typeof batchLoss>[1]): number {
  const engine = tf.engine() as unknown as { runKernelFunc: (...a: unknown[]) => unknown; state: { numBytes: number } };
  const original = engine.runKernelFunc;
  const start = tf.memory().numBytes;
  let peak = start;
  engine.runKernelFunc = function (this: unknown, ...args: unknown[]) {
    const out = original.apply(this, args);
    peak = Math.max(peak, engine.state.numBytes);
    return out;
  };
  try {
    const { grads } = computeGradients(() => batchLoss(model, batch), model.params as Record<string, tf.Variable>);
    peak = Math.max(peak, tf.memory().numBytes);
    disposeGradients(grads);
  } finally {
    engine.runKernelFunc = original;
  }
  return peak;
}

for (const backend of ["wasm", "cpu"] as const) {
  test(`the measured constants still describe the model code (${backend}: one gradient computation, full fine-tuning)`, async () => {
    await useBackend(backend);
    const config = tinyConfig({ vocab_size: 2000, d_model: 128, d_kv: 32, num_heads: 4, d_ff: 384, num_layers: 2, num_decoder_layers: 2 });
    const model: T5Model = { config, params: toVariables(initParams(config, 0)) };
    const [B, S, T] = [2, 48, 16];
    const row = (n: number, k: number) => Array.from({ length: n }, (_, i) => ((i * 7 + k) % 1990) + 3);
    const batch = {
      inputIds: Array.from({ length: B }, (_, b) => row(S, b)),
      attentionMask: Array.from({ length: B }, () => new Array(S).fill(1)),
      decoderInputIds: Array.from({ length: B }, (_, b) => [0, ...row(T - 1, b)]),
      labels: Array.from({ length: B }, (_, b) => row(T, b + 1)),
    };
    const peak = measuredPeak(model, batch);
    Object.values(model.params).forEach((t) => t.dispose());
    const predicted = predictedTensorBytesPeak(config, "full", B, S, T, backend);
    const ratio = predicted / peak;
    if (process.env.FLANLAB_SHOW_MEMORY === "1") console.log(`${backend}: predicted ${predicted}, measured ${peak}, ratio ${ratio.toFixed(3)}`);
    assert.ok(
      ratio > 0.75 && ratio < 1.33,
      `src/io/memory.ts predicts ${(predicted / 1e6).toFixed(1)} MB, the ${backend} backend peaked at ${(peak / 1e6).toFixed(1)} MB ` +
        `(ratio ${ratio.toFixed(2)}): the model code changed how much it keeps; measure again and update RAW_ACTIVATIONS, RAW_OVERHEAD and REAL there.`,
    );
  });
}

test("the README's memory table is the one memory.ts computes", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  assert.ok(readme.includes(memoryTableMarkdown()), `README.md: paste the output of memoryTableMarkdown():\n${memoryTableMarkdown()}`);
});
