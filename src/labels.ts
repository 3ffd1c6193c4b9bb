// The label convention that the collator (data) writes and the loss (model) reads, kept apart from both so that
// neither imports the other: padded label positions hold IGNORE_INDEX, and the decoder's inputs are the labels
// shifted one step right.

/** Label value that the loss ignores (padding), as in PyTorch and Hugging Face. */
export const IGNORE_INDEX = -100;

/**
 * Decoder inputs for teacher forcing: labels shifted one step right, starting with the decoder start token;
 * ignored labels (-100) become the pad token.
 */
export function shiftTokensRight(labels: number[][], decoderStartTokenId = 0, padTokenId = 0): number[][] {
  return labels.map((row) => [decoderStartTokenId, ...row.slice(0, -1)].map((id) => (id === IGNORE_INDEX ? padTokenId : id)));
}
