import { before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../src/io/checkpoint";
import { shiftTokensRight } from "../src/labels";
import { seq2seqLoss } from "../src/model/loss";
import { initParams } from "../src/model/params";
import { relativePositionBucket } from "../src/model/position";
import { T5Model, decode, encode, forward, releaseCache } from "../src/model/t5";
import { TEST_BACKENDS, T5_FIXTURES, referenceCases, tinyConfig, useBackend } from "./helpers";

const int2d = (rows: number[][]) => tf.tensor2d(rows, undefined, "int32");

/**
 * Tolerance against the reference logits. tiny-flan is numerically touchy: a float64 evaluation of the same
 * weights differs from the (float32) reference by up to 8.8e-5, so float32 implementations differ by ~1e-4.
 */
const LOGIT_TOLERANCE = 2e-4;

function maxLogitError(expected: number[][][], actual: number[][][], labels: number[][]): number {
  let worst = 0;
  expected.forEach((row, b) =>
    row.forEach((position, t) => {
      if (labels[b][t] === -100) return; // padding positions: defined but irrelevant (fixtures README)
      position.forEach((value, v) => (worst = Math.max(worst, Math.abs(value - actual[b][t][v]))));
    }),
  );
  return worst;
}

describe("relative position buckets (hand-computed from the formula)", () => {
  // bidirectional, 32 buckets -> 16 per direction, 8 exact, logarithmic up to distance 128
  const both = (rp: number) => relativePositionBucket(rp, true, 32, 128);
  // causal, 32 buckets, 16 exact
  const back = (rp: number) => relativePositionBucket(rp, false, 32, 128);
  test("exact buckets for small distances, the other direction offset by half", () => {
    assert.deepEqual([0, -1, -7, 1, 7].map(both), [0, 1, 7, 17, 23]);
  });
  test("logarithmic buckets: 8 + trunc(ln(d/8) / ln(16) * 8)", () => {
    assert.equal(both(-8), 8); // ln 1 = 0
    assert.equal(both(-20), 10); // 8 + trunc(2.644)
    assert.equal(both(-50), 13); // 8 + trunc(5.288)
    assert.equal(both(20), 26); // 16 + 10
    assert.equal(both(-100), 15); // 8 + trunc(7.29)
    assert.equal(both(-200), 15); // capped at the last bucket
    assert.equal(both(200), 31);
  });
  test("causal: the future shares bucket 0; 16 + trunc(ln(d/16) / ln(8) * 16) beyond 16", () => {
    assert.equal(back(5), 0);
    assert.equal(back(-5), 5);
    assert.equal(back(-15), 15);
    assert.equal(back(-20), 17); // 16 + trunc(1.717)
    assert.equal(back(-64), 26); // 16 + trunc(10.667)
    assert.equal(back(-127), 31); // 16 + trunc(15.94)
    assert.equal(back(-128), 31); // 16 + 16, capped
  });
});

test("labels shift right into decoder inputs, -100 becomes pad", () => {
  assert.deepEqual(shiftTokensRight([[5, 6, 1, -100]]), [[0, 5, 6, 1]]);
});

for (const backend of TEST_BACKENDS) {
  describe(`T5 model on ${backend}`, () => {
    before(() => useBackend(backend));

    for (const name of ["tiny-flan", "tiny-t5"]) {
      test(`${name}: logits and loss equal the Hugging Face reference`, () => {
        const model = loadModel(path.join(T5_FIXTURES, name));
        for (const c of referenceCases(name)) {
          tf.tidy(() => {
            const logits = forward(model, int2d(c.input_ids), int2d(c.attention_mask), int2d(c.decoder_input_ids));
            const error = maxLogitError(c.logits, logits.arraySync() as number[][][], c.labels);
            assert.ok(error < LOGIT_TOLERANCE, `${name}/${c.case}: max logit error ${error}`);
            const loss = seq2seqLoss(logits, int2d(c.labels)).dataSync()[0];
            assert.ok(Math.abs(loss - c.loss) < 1e-4, `${name}/${c.case}: loss ${loss} vs ${c.loss}`);
          });
        }
        Object.values(model.params).forEach((t) => t.dispose());
      });
    }

    test("a decoder position never sees the future", () => {
      const model: T5Model = { config: tinyConfig(), params: initParams(tinyConfig(), 1) };
      tf.tidy(() => {
        const src = int2d([[5, 6, 7, 1]]);
        const mask = int2d([[1, 1, 1, 1]]);
        const a = forward(model, src, mask, int2d([[0, 9, 10, 11, 12]])).arraySync()[0];
        const b = forward(model, src, mask, int2d([[0, 9, 10, 30, 31]])).arraySync()[0];
        for (let t = 0; t < 3; t++) assert.deepEqual(a[t], b[t], `position ${t} changed when later tokens changed`);
        assert.notDeepEqual(a[3], b[3]);
      });
      Object.values(model.params).forEach((t) => t.dispose());
    });

    test("encoder padding changes nothing", () => {
      const model: T5Model = { config: tinyConfig(), params: initParams(tinyConfig(), 2) };
      tf.tidy(() => {
        const dec = int2d([[0, 9, 10]]);
        const plain = forward(model, int2d([[5, 6, 7, 1]]), int2d([[1, 1, 1, 1]]), dec).arraySync()[0];
        const padded = forward(model, int2d([[5, 6, 7, 1, 0, 0, 0]]), int2d([[1, 1, 1, 1, 0, 0, 0]]), dec).arraySync()[0];
        plain.forEach((row, t) => row.forEach((v, i) => assert.ok(Math.abs(v - padded[t][i]) < 1e-5, `position ${t}`)));
      });
      Object.values(model.params).forEach((t) => t.dispose());
    });

    test("step-by-step decoding with the cache equals the full decoder", () => {
      const model: T5Model = { config: tinyConfig(), params: initParams(tinyConfig(), 3) };
      tf.tidy(() => {
        const src = int2d([[5, 6, 7, 1], [8, 9, 1, 0]]);
        const mask = int2d([[1, 1, 1, 1], [1, 1, 1, 0]]);
        const dec = [[0, 11, 12, 13], [0, 14, 15, 16]];
        const full = forward(model, src, mask, int2d(dec)).arraySync();
        const hidden = encode(model, src, mask);
        let cache = undefined;
        for (let t = 0; t < 4; t++) {
          const step = decode(model, int2d(dec.map((row) => [row[t]])), hidden, mask, cache);
          const logits = step.logits.arraySync();
          for (let b = 0; b < 2; b++) {
            logits[b][0].forEach((v, i) => assert.ok(Math.abs(v - full[b][t][i]) < 1e-5, `row ${b} step ${t}`));
          }
          if (cache) releaseCache(cache, step.cache);
          cache = step.cache;
        }
      });
      Object.values(model.params).forEach((t) => t.dispose());
    });

    test("token ids outside the vocabulary are a clear error", () => {
      const model: T5Model = { config: tinyConfig(), params: initParams(tinyConfig(), 4) };
      assert.throws(
        () => forward(model, int2d([[5, 99, 1]]), int2d([[1, 1, 1]]), int2d([[0]])),
        /Token id 99 at position 1 is outside the vocabulary \[0, 40\)/,
      );
      assert.throws(() => forward(model, int2d([[5, 1]]), int2d([[1, 1, 1]]), int2d([[0]])), /attentionMask has shape \[1,3\] but inputIds has shape \[1,2\]/);
      Object.values(model.params).forEach((t) => t.dispose());
    });
  });
}

test("initParams is the same for the same seed, seed 0 included (tfjs's randomNormal takes 0 as no seed)", async () => {
  await useBackend("cpu");
  for (const seed of [0, 1]) {
    const [a, b] = [initParams(tinyConfig(), seed), initParams(tinyConfig(), seed)];
    for (const name of Object.keys(a)) assert.deepEqual(Array.from(a[name].dataSync()), Array.from(b[name].dataSync()), `seed ${seed}: ${name}`);
    [...Object.values(a), ...Object.values(b)].forEach((t) => t.dispose());
  }
  const other = [initParams(tinyConfig(), 0), initParams(tinyConfig(), 1)];
  assert.notDeepEqual(Array.from(Object.values(other[0])[0].dataSync()), Array.from(Object.values(other[1])[0].dataSync()));
  other.forEach((p) => Object.values(p).forEach((t) => t.dispose()));
});
