// The conventions that data, model and io share, kept apart from all three so that none imports another: padded
// label positions hold IGNORE_INDEX, the decoder's inputs are the labels shifted one step right, and T5's
// vocabulary starts with its three fixed special ids.

/** T5's padding id, also the decoder's start token. */
export const PAD_ID = 0;
/** T5's end-of-sequence id (</s>), which ends every encoded text. */
export const EOS_ID = 1;
/** T5's unknown-piece id. */
export const UNK_ID = 2;

/** Label value that the loss ignores (padding), as in PyTorch and Hugging Face. */
export const IGNORE_INDEX = -100;

/**
 * Decoder inputs for teacher forcing: labels shifted one step right, starting with the decoder start token;
 * ignored labels (-100) become the pad token.
 */
export function shiftTokensRight(labels: number[][], decoderStartTokenId = 0, padTokenId = 0): number[][] {
  return labels.map((row) => [decoderStartTokenId, ...row.slice(0, -1)].map((id) => (id === IGNORE_INDEX ? padTokenId : id)));
}
