// The few tensor operations T5 is built from, written so that every backend, wasm included, runs them fast.
import * as tf from "@tensorflow/tfjs";

/**
 * x^T for 2-D x. On wasm a plain transpose of a matrix with a power-of-two row count is slow (4-8x: strided
 * reads that collide in cache); viewing it as [rows/8, 8, cols] and moving cols first gives the same result and
 * reads 8 neighbouring rows at a time (measured in bench/NOTES.md). Very large matrices do better plainly.
 */
export function transpose2d(x: tf.Tensor): tf.Tensor2D {
  const [rows, cols] = x.shape as [number, number];
  if (rows % 8 !== 0 || rows * cols > 4_000_000 || tf.getBackend() !== "wasm") return tf.transpose(x) as tf.Tensor2D;
  return x.reshape([rows / 8, 8, cols]).transpose([2, 0, 1]).reshape([cols, rows]);
}

/**
 * a @ b for 2-D a [n, k] and b [k, m], with gradients that are again plain, untransposed 2-D products.
 * Why: tfjs-wasm sends only untransposed 2-D products to XNNPACK; autodiff's own matMul gradient uses the
 * transpose flags, which fall back to a scalar loop about 10x slower (NOTES.md, "Why wasm is slow").
 */
export const matMul2d = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const w = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, transpose2d(ws)), tf.matMul(transpose2d(xs), dy2)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * x @ table^T for x [m, k] and table [n, k] (a tied LM head: hidden states times the embedding table), with
 * untransposed 2-D products only and the smaller transpose: for few rows (generation) table @ x^T transposed back,
 * else x @ table^T; the gradients dx = dy @ table and dtable = (x^T dy)^T or dy^T x likewise.
 */
export const matMulTransposed = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const table = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([x, table]);
  const fewRows = x.shape[0] < x.shape[1];
  return {
    value: fewRows ? transpose2d(tf.matMul(table, transpose2d(x))) : tf.matMul(x, transpose2d(table)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ts] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      const dTable = fewRows ? tf.matMul(transpose2d(dy2), xs) : transpose2d(tf.matMul(transpose2d(xs), dy2));
      return [tf.matMul(dy2, ts), dTable];
    },
  };
}) as (x: tf.Tensor2D, table: tf.Tensor2D) => tf.Tensor2D;

/** tf.tidy for a function that returns a typed object of tensors (tidy's own typing only knows TensorContainer). */
export function tidyObject<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** x [..., in] @ w [in, out] -> [..., out], as one 2-D product. */
export function linear(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  const flat = x.reshape([-1, inDim]) as tf.Tensor2D;
  const out = matMul2d(flat, weight as tf.Tensor2D);
  return out.reshape([...x.shape.slice(0, -1), weight.shape[1] as number]);
}

/**
 * Embedding lookup table[ids] whose gradient is a scatter-add done in JavaScript.
 * Why: the gradient tfjs gives gather is UnsortedSegmentSum, which has no wasm kernel and is O(vocab x tokens x d)
 * on cpu; a scatter-add is O(tokens x d).
 */
export function embed(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const vocab = table.shape[0] as number;
  const dim = table.shape[1] as number;
  const idValues = ids.dataSync();
  for (let i = 0; i < idValues.length; i++) {
    const id = idValues[i];
    if (!(id >= 0 && id < vocab)) {
      throw new Error(`Token id ${id} at position ${i} is outside the vocabulary [0, ${vocab}).`);
    }
  }
  const lookup = tf.customGrad((t) => ({
    value: tf.gather(t as tf.Tensor2D, ids.reshape([-1])).reshape([...ids.shape, dim]),
    gradFunc: (dy: tf.Tensor) => {
      const upstream = dy.dataSync();
      const grad = new Float32Array(vocab * dim);
      for (let i = 0; i < idValues.length; i++) {
        const row = idValues[i] * dim;
        const src = i * dim;
        for (let j = 0; j < dim; j++) grad[row + j] += upstream[src + j];
      }
      return tf.tensor2d(grad, [vocab, dim]);
    },
  }));
  return lookup(table);
}

/** T5's RMS norm: no mean subtraction, no bias. */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, epsilon: number): tf.Tensor {
  const variance = tf.mean(tf.mul(x, x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(variance, epsilon))), weight);
}

/**
 * gelu_new, the tanh approximation T5 v1.1 uses: 0.5 x (1 + tanh(u)) with u = sqrt(2/pi) (x + 0.044715 x^3),
 * computed as x sigmoid(2u) (the same function): wasm's tanh is a scalar loop about 18x slower than its sigmoid.
 * x*x rather than pow: pow is slow on wasm.
 */
export function geluNew(x: tf.Tensor): tf.Tensor {
  const c = 2 * Math.sqrt(2 / Math.PI);
  const twiceInner = tf.mul(x, tf.add(tf.mul(tf.mul(x, x), c * 0.044715), c));
  return tf.mul(x, tf.sigmoid(twiceInner));
}

export function activation(name: "relu" | "gelu_new" | "silu", x: tf.Tensor): tf.Tensor {
  if (name === "relu") return tf.relu(x);
  if (name === "silu") return tf.mul(x, tf.sigmoid(x));
  return geluNew(x);
}

// ---------------------------------------------------------------------------------------------------------------
// Attention products on wasm
//
// Attention needs one product per (batch row, head): batched products, which tfjs-wasm runs in a scalar loop at
// about 3 GFLOP/s. A depthwise convolution whose filter is [K, 1, G, N] computes, for each of G channel groups, a
// product [M, K] x [K, N] (XNNPACK's grouped GEMM, about 15 GFLOP/s here): the input holds group g's left
// operand in channel g, one row per output pixel, K taps per pixel; the filter holds its right operand.
// "Grouped" tensors below keep the group axis G = batch x heads where those convolutions want it.

/**
 * out[m, g, n] = sum_k x[m, k, g] * f[k, g, n] for x [M, K, G] and f [K, G, N]; out is [M, G, N].
 * No gradient of its own (the two attention products below define theirs).
 */
export function groupedProduct(x: tf.Tensor, f: tf.Tensor): tf.Tensor3D {
  const [m, k, g] = x.shape;
  const n = f.shape[2] as number;
  const image = x.reshape([1, m * k, 1, g]) as tf.Tensor4D;
  const filter = f.reshape([k, 1, g, n]) as tf.Tensor4D;
  return tf.depthwiseConv2d(image, filter, [k, 1], "valid").reshape([m, g, n]);
}

/**
 * Attention scores per group: queries [Lq, d, G] and keys [d, G, Lk] -> scores [Lq, G, Lk].
 * The layouts are chosen so that the forward product and the keys' gradient need no transpose of the large
 * [Lq, G, Lk] tensors; the queries' gradient needs one.
 */
export const groupedScores = tf.customGrad((queries, keys, save) => {
  const q = queries as tf.Tensor;
  const k = keys as tf.Tensor;
  (save as tf.GradSaveFunc)([q, k]);
  return {
    value: groupedProduct(q, k),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [qs, ks] = saved;
      const dq = groupedProduct(dy.transpose([0, 2, 1]), ks.transpose([2, 1, 0])).transpose([0, 2, 1]); // [Lq, d, G]
      const dk = groupedProduct(qs.transpose([1, 0, 2]), dy); // [d, G, Lk]
      return [dq, dk];
    },
  };
}) as (queries: tf.Tensor3D, keys: tf.Tensor3D) => tf.Tensor3D;

/** Attention output per group: weights [Lq, G, Lk] and values [Lk, G, d] -> [Lq, G, d]. */
export const groupedContext = tf.customGrad((weights, values, save) => {
  const w = weights as tf.Tensor;
  const v = values as tf.Tensor;
  (save as tf.GradSaveFunc)([w, v]);
  return {
    value: groupedProduct(w.transpose([0, 2, 1]), v),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ws, vs] = saved;
      const dw = groupedProduct(dy.transpose([0, 2, 1]), vs.transpose([2, 1, 0])); // [Lq, G, Lk]
      const dv = groupedProduct(dy.transpose([2, 0, 1]), ws).transpose([2, 1, 0]); // [Lk, G, d]
      return [dw, dv];
    },
  };
}) as (weights: tf.Tensor3D, values: tf.Tensor3D) => tf.Tensor3D;

export type AttentionKernel = "auto" | "batched" | "grouped";
let attentionKernel: AttentionKernel = "auto";

/**
 * How attention multiplies: "batched" (tf.matMul on [batch, heads, ...]; native backends run it well), "grouped"
 * (the depthwise-convolution products above; much faster on wasm), or "auto" (grouped on wasm when more than one
 * query position is computed at once). For benchmarks and tests; results agree to float rounding.
 */
export function setAttentionKernel(kernel: AttentionKernel): void {
  attentionKernel = kernel;
}

export function useGroupedAttention(queryLength: number): boolean {
  if (attentionKernel !== "auto") return attentionKernel === "grouped";
  return tf.getBackend() === "wasm" && queryLength > 1;
}
