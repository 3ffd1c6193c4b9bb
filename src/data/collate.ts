// Turn tokenized examples into one padded batch: encoder inputs with their mask, labels padded with -100.
import { IGNORE_INDEX, shiftTokensRight } from "../model/loss";

export interface TokenizedExample {
  inputIds: number[];
  labels: number[];
}

export interface Batch {
  inputIds: number[][];
  attentionMask: number[][];
  decoderInputIds: number[][];
  labels: number[][];
}

function padTo<T>(row: T[], length: number, value: T): T[] {
  return row.length >= length ? row.slice(0, length) : [...row, ...new Array<T>(length - row.length).fill(value)];
}

/** Right-pad every row to the longest in the batch (pad id 0, label -100); decoder inputs are shifted labels. */
export function collate(examples: TokenizedExample[], padTokenId = 0, decoderStartTokenId = 0): Batch {
  if (examples.length === 0) throw new Error("collate: empty batch.");
  examples.forEach((e, i) => {
    if (e.inputIds.length === 0) throw new Error(`collate: example ${i} has no input tokens.`);
    if (e.labels.length === 0) throw new Error(`collate: example ${i} has no target tokens.`);
  });
  const sourceLength = Math.max(...examples.map((e) => e.inputIds.length));
  const targetLength = Math.max(...examples.map((e) => e.labels.length));
  const labels = examples.map((e) => padTo(e.labels, targetLength, IGNORE_INDEX));
  return {
    inputIds: examples.map((e) => padTo(e.inputIds, sourceLength, padTokenId)),
    attentionMask: examples.map((e) => padTo(e.inputIds.map(() => 1), sourceLength, 0)),
    decoderInputIds: shiftTokensRight(labels, decoderStartTokenId, padTokenId),
    labels,
  };
}
