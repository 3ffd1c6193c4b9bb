import { before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Batch, collate } from "../src/data/collate";
import { T5Config } from "../src/model/config";
import { ParamMap, initParams } from "../src/model/params";
import { DropoutStream } from "../src/model/t5";
import { batchLoss, toVariables, trainStep } from "../src/train/step";
import { TEST_BACKENDS, tinyConfig, useBackend } from "./helpers";

const examples = [
  { inputIds: [5, 6, 7, 8, 1], labels: [9, 10, 1] },
  { inputIds: [11, 12, 1], labels: [13, 14, 15, 1] },
  { inputIds: [16, 17, 18, 19, 20, 21, 1], labels: [22, 1] },
  { inputIds: [23, 24, 1], labels: [25, 26, 27, 28, 1] },
];

function disposeAll(params: ParamMap): void {
  Object.values(params).forEach((t) => t.dispose());
}

/** The loss as a function of some parameters, the others held fixed. */
function lossOf(config: T5Config, params: ParamMap, batch: Batch, names: string[], values: tf.Tensor[]): tf.Scalar {
  const replaced = { ...params };
  names.forEach((name, i) => (replaced[name] = values[i]));
  return batchLoss({ config, params: replaced }, batch);
}

/** Indices of the largest-magnitude gradient entries and one fixed-seed random entry. */
function probeIndices(grad: Float32Array, seed: number): number[] {
  const byMagnitude = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a]));
  return [byMagnitude[0], byMagnitude[1], (seed * 7919) % grad.length];
}

function checkGradients(config: T5Config, names: string[]): void {
  const params = initParams(config, 11);
  const batch = collate(examples);
  const tensors = names.map((n) => params[n]);
  const analytic = tf.grads((...values: tf.Tensor[]) => lossOf(config, params, batch, names, values))(tensors);
  const eps = 1e-2;
  names.forEach((name, i) => {
    const grad = analytic[i].dataSync() as Float32Array;
    for (const index of probeIndices(grad, i + 1)) {
      const base = tensors[i].dataSync().slice();
      const at = (delta: number) => {
        const moved = base.slice();
        moved[index] += delta;
        const values = tensors.map((t, j) => (j === i ? tf.tensor(moved, t.shape) : t));
        const loss = lossOf(config, params, batch, names, values);
        const value = loss.dataSync()[0];
        loss.dispose();
        values[i].dispose();
        return value;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const tolerance = 2e-3 + 0.03 * Math.abs(numeric);
      assert.ok(
        Math.abs(numeric - grad[index]) < tolerance,
        `${name}[${index}]: analytic ${grad[index]} vs finite difference ${numeric}`,
      );
    }
  });
  analytic.forEach((g) => g.dispose());
  disposeAll(params);
}

for (const backend of TEST_BACKENDS) {
  describe(`training on ${backend}`, () => {
    before(() => useBackend(backend));

    test("gradients match finite differences (T5 v1.1: gated-GELU, untied head)", () => {
      checkGradients(tinyConfig(), [
        "shared.weight",
        "lm_head.weight",
        "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
        "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
        "encoder.block.1.layer.0.SelfAttention.q.weight",
        "decoder.block.0.layer.1.EncDecAttention.k.weight",
        "decoder.block.1.layer.2.DenseReluDense.wi_0.weight",
        "encoder.block.0.layer.1.DenseReluDense.wo.weight",
        "decoder.block.1.layer.0.layer_norm.weight",
      ]);
    });

    test("gradients match finite differences (original T5: ReLU, tied embeddings)", () => {
      checkGradients(tinyConfig({ feed_forward_proj: "relu", tie_word_embeddings: true }), [
        "shared.weight",
        "encoder.block.0.layer.1.DenseReluDense.wi.weight",
        "decoder.block.0.layer.0.SelfAttention.v.weight",
        "decoder.final_layer_norm.weight",
      ]);
    });

    test("the loss falls when overfitting four examples, and no tensor leaks across steps", () => {
      const config = tinyConfig();
      const model = { config, params: toVariables(initParams(config, 5)) };
      const optimizer = tf.train.adam(1e-2);
      const batch = collate(examples);
      const first = trainStep(model, optimizer, batch);
      const tensorsAfterWarmup = tf.memory().numTensors;
      let last = first;
      for (let step = 0; step < 40; step++) last = trainStep(model, optimizer, batch);
      assert.equal(tf.memory().numTensors, tensorsAfterWarmup, "tensor count grew across training steps");
      assert.ok(last < 0.2 * first, `loss went from ${first} to ${last}`);
      optimizer.dispose();
      disposeAll(model.params);
    });

    test("dropout is seeded: the same seed gives the same loss, another seed another", () => {
      const config = tinyConfig({ dropout_rate: 0.1 });
      const model = { config, params: initParams(config, 5) };
      const batch = collate(examples);
      const lossWith = (seed: number) => tf.tidy(() => batchLoss(model, batch, { dropout: new DropoutStream(0.1, seed) }).dataSync()[0]);
      assert.equal(lossWith(1), lossWith(1));
      assert.notEqual(lossWith(1), lossWith(2));
      disposeAll(model.params);
    });

    test("only trainable variables change", () => {
      const config = tinyConfig();
      const frozen = (name: string) => !name.startsWith("encoder.");
      const model = { config, params: toVariables(initParams(config, 6), frozen) };
      const before = model.params["encoder.block.0.layer.0.SelfAttention.q.weight"].dataSync().slice();
      const headBefore = model.params["lm_head.weight"].dataSync().slice();
      const optimizer = tf.train.adam(1e-2);
      trainStep(model, optimizer, collate(examples));
      assert.deepEqual(model.params["encoder.block.0.layer.0.SelfAttention.q.weight"].dataSync(), before);
      assert.notDeepEqual(model.params["lm_head.weight"].dataSync(), headBefore);
      optimizer.dispose();
      disposeAll(model.params);
    });
  });
}

test("collate pads inputs with 0 and labels with -100, and shifts labels into decoder inputs", () => {
  const batch = collate(examples.slice(0, 2));
  assert.deepEqual(batch.inputIds, [
    [5, 6, 7, 8, 1],
    [11, 12, 1, 0, 0],
  ]);
  assert.deepEqual(batch.attentionMask, [
    [1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0],
  ]);
  assert.deepEqual(batch.labels, [
    [9, 10, 1, -100],
    [13, 14, 15, 1],
  ]);
  assert.deepEqual(batch.decoderInputIds, [
    [0, 9, 10, 1],
    [0, 13, 14, 15],
  ]);
  assert.throws(() => collate([]), /empty batch/);
  assert.throws(() => collate([{ inputIds: [], labels: [1] }]), /example 0 has no input tokens/);
});

test("two models' variables live side by side (tfjs variable names are global)", async () => {
  await useBackend("cpu");
  const config = tinyConfig();
  const a = toVariables(initParams(config, 1));
  const b = toVariables(initParams(config, 1));
  assert.notEqual(a["shared.weight"], b["shared.weight"]);
  disposeAll(a);
  disposeAll(b);
});
