// The sequence-to-sequence training objective and the decoder inputs it needs.
import * as tf from "@tensorflow/tfjs";

/** Label value that the loss ignores (padding), as in PyTorch and Hugging Face. */
export const IGNORE_INDEX = -100;

/**
 * Decoder inputs for teacher forcing: labels shifted one step right, starting with the decoder start token;
 * ignored labels (-100) become the pad token.
 */
export function shiftTokensRight(labels: number[][], decoderStartTokenId = 0, padTokenId = 0): number[][] {
  return labels.map((row) => [decoderStartTokenId, ...row.slice(0, -1)].map((id) => (id === IGNORE_INDEX ? padTokenId : id)));
}

/**
 * Mean cross-entropy over the labels that are not IGNORE_INDEX.
 * logits [batch, length, vocab], labels [batch, length] int32.
 */
export function seq2seqLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  if (labels.rank !== 2 || logits.rank !== 3 || logits.shape[0] !== labels.shape[0] || logits.shape[1] !== labels.shape[1]) {
    throw new Error(`seq2seqLoss: logits [${logits.shape}] and labels [${labels.shape}] do not match as [B, T, V] and [B, T].`);
  }
  return tf.tidy(() => {
    const vocab = logits.shape[2] as number;
    const counted = tf.notEqual(labels, IGNORE_INDEX);
    const safeLabels = tf.where(counted, labels, tf.zerosLike(labels));
    const logProbs = tf.logSoftmax(logits);
    // one-hot product rather than gather: gather's gradient has no wasm kernel
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(safeLabels.cast("int32"), vocab)), -1);
    const weights = tf.cast(counted, "float32");
    return tf.div(tf.neg(tf.sum(tf.mul(picked, weights))), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
  });
}
