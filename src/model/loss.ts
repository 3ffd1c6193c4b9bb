// The sequence-to-sequence training objective.
import * as tf from "@tensorflow/tfjs";
import { IGNORE_INDEX } from "../labels";
import { gatherRows } from "./ops";

/**
 * Mean cross-entropy over the labels that are not IGNORE_INDEX.
 * logits [batch, length, vocab], labels [batch, length] int32.
 *
 * Written with its own gradient, (softmax - onehot(label)) x weight / count, because the direct form is slow on
 * wasm: logSoftmax's exp runs scalar (about 8x the cost of the softmax kernel) and gather's gradient has no wasm
 * kernel. The log-probability of the label comes from the softmax alone: log p(label) = logit(label) - max logit
 * + log max p, since the largest probability is exp(0) / sum exp(logit - max logit); max p >= 1/vocab never
 * underflows.
 */
export function seq2seqLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  if (labels.rank !== 2 || logits.rank !== 3 || logits.shape[0] !== labels.shape[0] || logits.shape[1] !== labels.shape[1]) {
    throw new Error(`seq2seqLoss: logits [${logits.shape}] and labels [${labels.shape}] do not match as [B, T, V] and [B, T].`);
  }
  const vocab = logits.shape[2] as number;
  const rows = labels.size;
  const labelValues = labels.dataSync();
  const weights = new Float32Array(rows);
  const safeLabels = new Int32Array(rows);
  const flatIndex = new Int32Array(rows);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const label = labelValues[i];
    if (label === IGNORE_INDEX) continue;
    if (!(label >= 0 && label < vocab)) throw new Error(`seq2seqLoss: label ${label} at position ${i} is outside the vocabulary [0, ${vocab}).`);
    weights[i] = 1;
    safeLabels[i] = label;
    flatIndex[i] = i * vocab + label;
    count++;
  }
  const scale = 1 / Math.max(count, 1);
  return tf.tidy(() => {
    const crossEntropy = tf.customGrad((x, save) => {
      const flat = (x as tf.Tensor).reshape([rows, vocab]);
      const probs = tf.softmax(flat);
      (save as tf.GradSaveFunc)([probs]);
      const picked = gatherRows(flat.reshape([-1]), tf.tensor1d(flatIndex, "int32"));
      const logProbs = tf.add(tf.sub(picked, tf.max(flat, -1)), tf.log(tf.max(probs, -1)));
      return {
        value: tf.mul(tf.sum(tf.mul(logProbs, tf.tensor1d(weights))), -scale) as tf.Scalar,
        // runs after this tidy: tensors it needs are made here (or saved)
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.tidy(() => {
            const rowScale = tf.mul(tf.tensor2d(weights, [rows, 1]), tf.mul(dy, scale));
            const target = tf.oneHot(tf.tensor1d(safeLabels, "int32"), vocab);
            return tf.mul(tf.sub(saved[0], target), rowScale).reshape(logits.shape);
          }),
      };
    });
    return crossEntropy(logits) as tf.Scalar;
  });
}
