// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (2-norm, error_if_nonfinite=False).
import * as tf from "@tensorflow/tfjs";

export type GradMap = Record<string, tf.Tensor>;

/** sqrt of the sum over all gradients of their squared 2-norms (names in sorted order, for reproducible sums). */
export function globalNorm(grads: GradMap): number {
  const names = Object.keys(grads).sort();
  if (names.length === 0) return 0;
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name]))))));
  const value = norm.dataSync()[0];
  norm.dispose();
  return value;
}

export interface ClipResult {
  /** The gradients after clipping (new tensors; the input map was disposed). */
  grads: GradMap;
  /** The global norm before clipping - what the HF Trainer logs as grad_norm. */
  norm: number;
}

/**
 * Scale all gradients by maxNorm / (norm + 1e-6) when that factor is below 1, as torch does. Takes ownership of
 * `grads` (like torch's in-place version): its tensors are disposed and a new map is returned. A non-finite norm is
 * returned as is and the gradients pass through unscaled: the caller should skip such a step.
 */
export function clipGradNorm(grads: GradMap, maxNorm: number): ClipResult {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}.`);
  const norm = globalNorm(grads);
  const coefficient = maxNorm / (norm + 1e-6);
  if (!(coefficient < 1)) return { grads, norm };
  const clipped: GradMap = {};
  for (const name of Object.keys(grads).sort()) {
    clipped[name] = tf.tidy(() => tf.mul(grads[name], coefficient));
    grads[name].dispose();
  }
  return { grads: clipped, norm };
}
