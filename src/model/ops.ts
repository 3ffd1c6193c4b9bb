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
 * transpose flags, which fall back to a scalar loop about 10x slower (bench/NOTES.md, "Tried and dropped").
 */
export const matMul2d = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const w = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tidyGrads(() => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = dy as tf.Tensor2D;
        return [tf.matMul(dy2, transpose2d(ws)), tf.matMul(transpose2d(xs), dy2)];
      }),
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
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tidyGrads(() => {
        const [xs, ts] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = dy as tf.Tensor2D;
        const dTable = fewRows ? tf.matMul(transpose2d(dy2), xs) : transpose2d(tf.matMul(transpose2d(xs), dy2));
        return [tf.matMul(dy2, ts), dTable];
      }),
  };
}) as (x: tf.Tensor2D, table: tf.Tensor2D) => tf.Tensor2D;

let identityShared = false;

/**
 * tfjs-wasm's Identity kernel copies the data, and tfjs runs it for every tensor a kernel saves for the backward
 * pass (and for tf.clone). Tensors are immutable and the wasm backend counts references to its buffers, so sharing
 * the buffer, as the cpu and webgl backends do, is equivalent and saves a copy of every saved activation (the
 * probe's wasm heap: 805 -> 709 MiB; t5-small at batch 8 fits under wasm's 4 GiB only with it). Installed once,
 * the first time the model runs on wasm. tfjs has one kernel registry, so this holds for the whole process: safe for
 * other code as well, since no kernel writes into its input and Variable.assign swaps buffers rather than writing
 * (test/ops.test.ts checks clones across dispose and assign).
 */
export function shareIdentityOnWasm(): void {
  if (identityShared || tf.getBackend() !== "wasm") return;
  tf.unregisterKernel(tf.Identity, "wasm");
  tf.registerKernel({
    kernelName: tf.Identity,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
  identityShared = true;
}

/**
 * tf.tidy for a custom gradient's body. tfjs keeps every tensor a customGrad gradFunc makes until the whole
 * backward pass ends; tidying here frees the intermediates (transposes, products) as soon as the gradients exist.
 */
function tidyGrads(fn: () => tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(fn);
}

/** tf.tidy for a function that returns a typed object of tensors (tidy's own typing only knows TensorContainer). */
export function tidyObject<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** x [..., in] @ w [in, out] -> [..., out], as one 2-D product. */
export function linear(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return matMul2d(x as tf.Tensor2D, weight as tf.Tensor2D);
  const inDim = x.shape[x.shape.length - 1];
  const flat = x.reshape([-1, inDim]) as tf.Tensor2D;
  const out = matMul2d(flat, weight as tf.Tensor2D);
  return out.reshape([...x.shape.slice(0, -1), weight.shape[1] as number]);
}

/**
 * Rows `indices` of a tensor: gatherND with one index per row. On wasm tf.gather copies element by element (about
 * 25 ns per number: 6.5 ms for 2032 rows of 128); gatherND copies whole rows, 60x faster.
 */
export function gatherRows(x: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  return tf.gatherND(x, indices.reshape([-1, 1]));
}

/**
 * Embedding lookup table[ids] whose gradient is a scatter-add: scatterND (which sums repeated ids), or a loop in
 * JavaScript on the cpu backend, whose scatterND is slower than the loop.
 * Why: the gradient tfjs gives gather is UnsortedSegmentSum, which has no wasm kernel and is O(vocab x tokens x d)
 * on cpu; a scatter-add is O(tokens x d) plus zeroing the [vocab, d] result.
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
    value: gatherRows(t as tf.Tensor2D, ids).reshape([...ids.shape, dim]),
    gradFunc: (dy: tf.Tensor) => {
      if (tf.getBackend() !== "cpu") {
        // made here: `ids` may be disposed by the time gradients are computed
        return tf.tidy(() => tf.scatterND(tf.tensor2d(idValues, [idValues.length, 1], "int32"), dy.reshape([idValues.length, dim]), [vocab, dim]));
      }
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

/**
 * Sums over all leading axes: x [..., d] -> [d]. As ones [1, n] @ x [n, d]: tfjs reduces a non-last axis by
 * transposing first, which on wasm costs up to 300x more (22 ms vs 0.07 ms for [2048, 512]).
 */
export function columnSums(x: tf.Tensor): tf.Tensor1D {
  const d = x.shape[x.shape.length - 1] as number;
  const rows = x.reshape([-1, d]) as tf.Tensor2D;
  return tf.matMul(tf.ones([1, rows.shape[0]]), rows).reshape([d]);
}

/**
 * T5's RMS norm: x / sqrt(mean(x^2) + eps) * weight, no mean subtraction, no bias. Its gradient is written out
 * (5 large elementwise ops and a column sum instead of autodiff's ~15, several with broadcast reductions):
 * with n = x r, r = 1/sqrt(mean(x^2) + eps) and g = dy * weight: dx = r (g - n mean(g n)), dweight = sum(dy n).
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, epsilon: number): tf.Tensor {
  const norm = tf.customGrad((input, scale, save) => {
    const xs = input as tf.Tensor;
    const w = scale as tf.Tensor;
    const r = tf.rsqrt(tf.add(tf.mean(tf.mul(xs, xs), -1, true), epsilon));
    const normalized = tf.mul(xs, r);
    (save as tf.GradSaveFunc)([w, r, normalized]);
    return {
      value: tf.mul(normalized, w),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tidyGrads(() => {
          const [ws, rs, n] = saved;
          const g = tf.mul(dy, ws);
          const dx = tf.mul(tf.sub(g, tf.mul(n, tf.mean(tf.mul(g, n), -1, true))), rs);
          return [dx, columnSums(tf.mul(dy, n))];
        }),
    };
  });
  return norm(x, weight);
}

const GELU_C = 2 * Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * gelu_new, the tanh approximation T5 v1.1 uses: 0.5 x (1 + tanh(u)) with u = sqrt(2/pi) (x + 0.044715 x^3),
 * computed as x sigmoid(2u) (the same function): wasm's tanh is a scalar loop about 18x slower than its sigmoid.
 * x*x rather than pow: pow is slow on wasm. With `up`, the gated form gelu(x) * up of T5 v1.1's feed-forward.
 * The gradient is written out: with s = sigmoid(2u), gelu'(x) = s + x s (1 - s) c (1 + 3a x^2), c = 2 sqrt(2/pi).
 */
export function geluNew(x: tf.Tensor, up?: tf.Tensor): tf.Tensor {
  const forward = (xs: tf.Tensor) => {
    const s = tf.sigmoid(tf.mul(xs, tf.add(tf.mul(tf.mul(xs, xs), GELU_C * GELU_A), GELU_C)));
    return { s, gelu: tf.mul(xs, s) };
  };
  const derivative = (xs: tf.Tensor, s: tf.Tensor, gelu: tf.Tensor) =>
    tf.add(s, tf.mul(tf.mul(gelu, tf.sub(1, s)), tf.add(tf.mul(tf.mul(xs, xs), 3 * GELU_C * GELU_A), GELU_C)));
  if (!up) {
    return tf.customGrad((input, save) => {
      const xs = input as tf.Tensor;
      const { s, gelu } = forward(xs);
      (save as tf.GradSaveFunc)([xs, s, gelu]);
      return { value: gelu, gradFunc: (dy: tf.Tensor, [xv, sv, gv]: tf.Tensor[]) => tf.tidy(() => tf.mul(dy, derivative(xv, sv, gv))) };
    })(x);
  }
  return tf.customGrad((input, other, save) => {
    const xs = input as tf.Tensor;
    const u = other as tf.Tensor;
    const { s, gelu } = forward(xs);
    (save as tf.GradSaveFunc)([xs, u, s, gelu]);
    return {
      value: tf.mul(gelu, u),
      gradFunc: (dy: tf.Tensor, [xv, uv, sv, gv]: tf.Tensor[]) => tidyGrads(() => [tf.mul(tf.mul(dy, uv), derivative(xv, sv, gv)), tf.mul(dy, gv)]),
    };
  })(x, up);
}

/** The feed-forward activation, times `up` when the block is gated (T5 v1.1: gelu(x W0) * (x W1)). */
export function activation(name: "relu" | "gelu_new" | "silu", x: tf.Tensor, up?: tf.Tensor): tf.Tensor {
  if (name === "gelu_new") return geluNew(x, up);
  const out = name === "relu" ? tf.relu(x) : tf.mul(x, tf.sigmoid(x));
  return up ? tf.mul(out, up) : out;
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
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tidyGrads(() => {
        const [qs, ks] = saved;
        const dq = groupedProduct(dy.transpose([0, 2, 1]), ks.transpose([2, 1, 0])).transpose([0, 2, 1]); // [Lq, d, G]
        const dk = groupedProduct(qs.transpose([1, 0, 2]), dy); // [d, G, Lk]
        return [dq, dk];
      }),
  };
}) as (queries: tf.Tensor3D, keys: tf.Tensor3D) => tf.Tensor3D;

/** Attention output per group: weights [Lq, G, Lk] and values [Lk, G, d] -> [Lq, G, d]. */
export const groupedContext = tf.customGrad((weights, values, save) => {
  const w = weights as tf.Tensor;
  const v = values as tf.Tensor;
  (save as tf.GradSaveFunc)([w, v]);
  return {
    value: groupedProduct(w.transpose([0, 2, 1]), v),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tidyGrads(() => {
        const [ws, vs] = saved;
        const dw = groupedProduct(dy.transpose([0, 2, 1]), vs.transpose([2, 1, 0])); // [Lq, G, Lk]
        const dv = groupedProduct(dy.transpose([2, 0, 1]), ws).transpose([2, 1, 0]); // [Lk, G, d]
        return [dw, dv];
      }),
  };
}) as (weights: tf.Tensor3D, values: tf.Tensor3D) => tf.Tensor3D;

/** How attention multiplies: see setAttentionKernel. */
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

/** Whether attention over `queryLength` query positions at once uses the grouped products (t5.ts's layout switch). */
export function useGroupedAttention(queryLength: number): boolean {
  if (attentionKernel !== "auto") return attentionKernel === "grouped";
  return tf.getBackend() === "wasm" && queryLength > 1;
}
