// What generation takes and gives back, and the checking and padding of its input.
import { checkTokenId } from "./options";

/** The inputs of generate(): token ids per row, and optionally their attention mask. */
export interface GenerationInput {
  /** Token ids per row: unpadded (rows may differ in length), or padded when attentionMask is given. */
  inputIds: number[][];
  /** 1 for tokens, 0 for padding, same shape as inputIds. Absent: every given token is real. */
  attentionMask?: number[][];
}

/** What generateWithScores() returns: the generated tokens and a score per input row. */
export interface GenerationResult {
  /** Generated tokens per input row (no decoder start token; EOS included when the row stopped on it). */
  sequences: number[][];
  /**
   * Per row. Greedy and sampling: the model's log-probability of the generated tokens (sum of log-softmax of the
   * raw logits). Beam search: Hugging Face's sequence score, sum of processed log-probs / length^lengthPenalty.
   */
  scores: number[];
}

/** Input rows padded to one length, with their 0/1 attention mask. */
export interface PaddedInput {
  ids: number[][];
  mask: number[][];
}

/** The input checked against the vocabulary and padded with padTokenId (unless it comes padded, with a mask). */
export function prepareInput(input: GenerationInput, vocab: number, padTokenId: number): PaddedInput {
  const { inputIds, attentionMask } = input;
  if (!Array.isArray(inputIds) || inputIds.length === 0) throw new Error("generate: inputIds is empty (no rows).");
  inputIds.forEach((row, b) => {
    if (!Array.isArray(row) || row.length === 0) throw new Error(`generate: inputIds[${b}] is empty (no tokens).`);
    row.forEach((id, t) => checkTokenId(id, `generate: inputIds[${b}][${t}]`, vocab));
  });
  if (attentionMask) {
    if (attentionMask.length !== inputIds.length || attentionMask.some((m, b) => !Array.isArray(m) || m.length !== inputIds[b].length)) {
      throw new Error("generate: attentionMask must have the same shape as inputIds (one 0/1 per token).");
    }
    const width = inputIds[0].length;
    if (inputIds.some((row) => row.length !== width)) {
      throw new Error("generate: with an attentionMask, inputIds must be padded to one length; or pass unpadded rows without a mask.");
    }
    attentionMask.forEach((m, b) => {
      if (m.some((x) => x !== 0 && x !== 1)) throw new Error(`generate: attentionMask[${b}] must hold only 0 and 1.`);
      if (!m.includes(1)) throw new Error(`generate: attentionMask[${b}] is all zeros (an empty input row).`);
    });
    return { ids: inputIds, mask: attentionMask };
  }
  const width = Math.max(...inputIds.map((row) => row.length));
  return {
    ids: inputIds.map((row) => [...row, ...new Array<number>(width - row.length).fill(padTokenId)]),
    mask: inputIds.map((row) => [...new Array<number>(row.length).fill(1), ...new Array<number>(width - row.length).fill(0)]),
  };
}
