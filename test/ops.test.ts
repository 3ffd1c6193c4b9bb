// The fast forms of ops.ts and loss.ts (own gradients, grouped attention products, blocked transposes) against the
// plain formulas and tfjs's autodiff, on wasm and cpu.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { IGNORE_INDEX } from "../src/labels";
import { seq2seqLoss } from "../src/model/loss";
import {
  columnSums,
  gatherRows,
  geluNew,
  groupedContext,
  groupedScores,
  matMul2d,
  matMulTransposed,
  rmsNorm,
  setAttentionKernel,
  shareIdentityOnWasm,
  transpose2d,
} from "../src/model/ops";
import { initParams } from "../src/model/params";
import { forward } from "../src/model/t5";
import { TEST_BACKENDS, tinyConfig, useBackend } from "./helpers";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Value and gradients (of sum(f * r) for a fixed random r) of f at xs, for comparing two forms of f. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const value = f(...xs);
  const weights = tf.randomNormal(value.shape, 0, 1, "float32", 7);
  const grads = tf.grads((...inputs: tf.Tensor[]) => tf.sum(tf.mul(f(...inputs), weights)))(xs);
  return [value, ...grads];
}

function assertSameOp(name: string, fast: (...xs: tf.Tensor[]) => tf.Tensor, plain: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], tolerance = 1e-4) {
  tf.tidy(() => {
    const a = valueAndGrads(fast, xs);
    const b = valueAndGrads(plain, xs);
    a.forEach((t, i) => {
      const scale = Math.max(1, tf.max(tf.abs(b[i])).dataSync()[0]);
      const diff = maxDiff(t, b[i]) / scale;
      assert.ok(diff < tolerance, `${name}: ${i === 0 ? "value" : `gradient ${i}`} differs by ${diff} (relative)`);
    });
  });
}

const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

for (const backend of TEST_BACKENDS) {
  describe(`fast ops on ${backend}`, () => {
    before(() => useBackend(backend));

    test("rmsNorm and its gradient equal the plain formula under autodiff", () => {
      const plain = (x: tf.Tensor, w: tf.Tensor) => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-6))), w);
      assertSameOp("rmsNorm", (x, w) => rmsNorm(x, w, 1e-6), plain, [normal([3, 5, 8], 1), normal([8], 2)]);
    });

    test("gelu_new (sigmoid form, own gradient) equals the tanh formula, plain and gated", () => {
      const tanhGelu = (x: tf.Tensor) =>
        tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.mul(x, x))))))));
      const x = tf.mul(normal([4, 6], 3), 3);
      assertSameOp("gelu", (a) => geluNew(a), tanhGelu, [x]);
      assertSameOp("gated gelu", (a, b) => geluNew(a, b), (a, b) => tf.mul(tanhGelu(a), b), [x, normal([4, 6], 4)]);
      x.dispose();
    });

    test("2-D products with untransposed gradients: x @ w and x @ table^T (few and many rows)", () => {
      assertSameOp("matMul2d", (a, b) => matMul2d(a as tf.Tensor2D, b as tf.Tensor2D), (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), [normal([16, 8], 5), normal([8, 24], 6)]);
      const table = normal([24, 8], 7);
      for (const rows of [3, 16]) {
        assertSameOp(`matMulTransposed, ${rows} rows`, (a, b) => matMulTransposed(a as tf.Tensor2D, b as tf.Tensor2D), (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), [normal([rows, 8], rows), table]);
      }
      table.dispose();
    });

    test("grouped attention products equal batched matMuls, gradients included", () => {
      const [lq, lk, d, g] = [5, 7, 4, 6];
      // grouped layouts: queries [Lq, d, G], keys [d, G, Lk], weights [Lq, G, Lk], values [Lk, G, d]
      const batchedScores = (q: tf.Tensor, k: tf.Tensor) => tf.matMul(q.transpose([2, 0, 1]), k.transpose([1, 0, 2])).transpose([1, 0, 2]);
      assertSameOp("groupedScores", (q, k) => groupedScores(q as tf.Tensor3D, k as tf.Tensor3D), batchedScores, [normal([lq, d, g], 8), normal([d, g, lk], 9)]);
      const batchedContext = (w: tf.Tensor, v: tf.Tensor) => tf.matMul(w.transpose([1, 0, 2]), v.transpose([1, 0, 2])).transpose([1, 0, 2]);
      assertSameOp("groupedContext", (w, v) => groupedContext(w as tf.Tensor3D, v as tf.Tensor3D), batchedContext, [normal([lq, g, lk], 10), normal([lk, g, d], 11)]);
    });

    test("the model gives the same logits and gradients with grouped and with batched attention", () => {
      const config = tinyConfig({ tie_word_embeddings: true });
      const params = initParams(config, 5);
      const ids = tf.tensor2d([[5, 6, 7, 8, 1], [9, 10, 1, 0, 0]], undefined, "int32");
      const mask = tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], undefined, "int32");
      const decoderIds = tf.tensor2d([[0, 11, 12, 13], [0, 14, 15, 16]], undefined, "int32");
      const labels = tf.tensor2d([[11, 12, 13, 1], [14, 15, 16, IGNORE_INDEX]], undefined, "int32");
      const names = Object.keys(params).sort();
      const run = (kernel: "batched" | "grouped") => {
        setAttentionKernel(kernel);
        const loss = (...weights: tf.Tensor[]) => {
          const p = Object.fromEntries(names.map((n, i) => [n, weights[i]]));
          return seq2seqLoss(forward({ config, params: p }, ids, mask, decoderIds), labels);
        };
        return tf.grads(loss)(names.map((n) => params[n]));
      };
      try {
        tf.tidy(() => {
          const logits = (kernel: "batched" | "grouped") => {
            setAttentionKernel(kernel);
            return forward({ config, params }, ids, mask, decoderIds);
          };
          assert.ok(maxDiff(logits("grouped"), logits("batched")) < 1e-4);
          const grouped = run("grouped");
          const batched = run("batched");
          names.forEach((n, i) => assert.ok(maxDiff(grouped[i], batched[i]) < 1e-4, `gradient of ${n}`));
        });
      } finally {
        setAttentionKernel("auto");
        tf.dispose([ids, mask, decoderIds, labels, ...Object.values(params)]);
      }
    });

    test("the softmax-based loss and its gradient equal log-softmax with a one-hot pick", () => {
      const labels = tf.tensor2d([[3, 1, IGNORE_INDEX], [0, 9, 2]], undefined, "int32");
      const plain = (logits: tf.Tensor) => {
        const counted = tf.cast(tf.notEqual(labels, IGNORE_INDEX), "float32");
        const safe = tf.where(tf.notEqual(labels, IGNORE_INDEX), labels, tf.zerosLike(labels));
        const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(safe, 10)), -1);
        return tf.div(tf.neg(tf.sum(tf.mul(picked, counted))), tf.sum(counted));
      };
      assertSameOp("seq2seqLoss", (logits) => seq2seqLoss(logits, labels), plain, [tf.mul(normal([2, 3, 10], 12), 4)]);
      labels.dispose();
    });

    test("gatherRows, columnSums and transpose2d (power-of-two rows too)", () => {
      tf.tidy(() => {
        const x = normal([16, 3], 13);
        const rows = tf.tensor1d([4, 0, 15, 4], "int32");
        assert.equal(maxDiff(gatherRows(x, rows), tf.gather(x, rows)), 0);
        assert.ok(maxDiff(columnSums(normal([2, 8, 3], 14)), tf.sum(normal([2, 8, 3], 14), [0, 1])) < 1e-5);
        for (const shape of [[16, 3], [24, 8], [5, 7]]) {
          const m = normal(shape, 15);
          assert.equal(maxDiff(transpose2d(m), tf.transpose(m)), 0);
        }
      });
    });
  });
}

after(() => setAttentionKernel("auto"));

test("wasm's shared Identity: a clone outlives its source and keeps its values when a variable is reassigned", async () => {
  await useBackend("wasm");
  shareIdentityOnWasm();
  const bytesBefore = tf.memory().numBytes;
  const x = tf.tensor1d([1, 2, 3]);
  const copy = tf.clone(x);
  x.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3]);
  const initial = tf.tensor1d([4, 5, 6]);
  const next = tf.tensor1d([7, 8, 9]);
  const v = tf.variable(initial);
  const snapshot = tf.clone(v);
  v.assign(next);
  assert.deepEqual(Array.from(snapshot.dataSync()), [4, 5, 6]);
  assert.deepEqual(Array.from(v.dataSync()), [7, 8, 9]);
  [copy, v, snapshot, initial, next].forEach((t) => t.dispose());
  assert.equal(tf.memory().numBytes, bytesBefore, "shared buffers are freed with their last tensor");
});
