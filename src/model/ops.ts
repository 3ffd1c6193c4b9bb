// The few tensor operations T5 is built from, written so that every backend, wasm included, runs them fast.
import * as tf from "@tensorflow/tfjs";

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
      return [tf.matMul(dy2, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy2)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

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

/** gelu_new, the tanh approximation T5 v1.1 uses. x*x*x rather than pow(x, 3): pow is slow on wasm. */
export function geluNew(x: tf.Tensor): tf.Tensor {
  const cube = tf.mul(tf.mul(x, x), x);
  const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

export function activation(name: "relu" | "gelu_new" | "silu", x: tf.Tensor): tf.Tensor {
  if (name === "relu") return tf.relu(x);
  if (name === "silu") return tf.mul(x, tf.sigmoid(x));
  return geluNew(x);
}
