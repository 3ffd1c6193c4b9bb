/**
 * Scoring by likelihood instead of generation, as T0 and FLAN evaluate classification ("rank classification"):
 * every candidate answer is scored by the log-probability the model gives it under teacher forcing, and the best
 * candidate is the prediction. A model that knows the answer but has forgotten the output format still ranks the
 * right label first, so this separates knowledge from format (compare with the generated answers' formatError).
 *
 * A candidate's score is the sum over its target ids (ending with </s>, as in training) of
 * log p(id | input, earlier ids): the sum, not the mean, as in T0 and seqio's rank_classification; longer labels
 * pay for each extra token, so `lengthNormalize` is offered for label sets of very different lengths.
 */
import * as tf from "@tensorflow/tfjs";
import type { Batch } from "../data/collate";
import { IGNORE_INDEX, shiftTokensRight } from "../labels";
import { batchLogits } from "../model/batch-logits";
import { type T5Model, decode, encode } from "../model/t5";
import { normalizeLabel } from "./metrics";
import { truncateIds } from "../data/collate";

/** What rank classification needs of a tokenizer (src/io/tokenizer.ts's Tokenizer has it). */
export interface LabelEncoder {
  readonly eosTokenId: number;
  /** Ids of a text, ending with </s>. */
  encode(text: string): number[];
}

const DEFAULT_PAIR_BATCH = 16;
const DEFAULT_INPUT_BATCH = 8;

function padRow(row: readonly number[], length: number, value: number): number[] {
  return [...row, ...new Array<number>(length - row.length).fill(value)];
}

function checkRows(rows: readonly (readonly number[])[], what: string): void {
  rows.forEach((row, i) => {
    if (row.length === 0) throw new Error(`${what} ${i} is empty`);
  });
}

function checkBatchSize(batchSize: number): void {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batchSize must be an integer >= 1, got ${batchSize}`);
}

/** Right-padded encoder inputs and their mask as tensors. */
function encoderTensors(rows: readonly (readonly number[])[], padTokenId: number): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const length = Math.max(...rows.map((r) => r.length));
  return {
    ids: tf.tensor2d(rows.map((r) => padRow(r, length, padTokenId)), [rows.length, length], "int32"),
    mask: tf.tensor2d(rows.map((r) => padRow(r.map(() => 1), length, 0)), [rows.length, length], "int32"),
  };
}

/**
 * Per row, the sum over labels != IGNORE_INDEX of log softmax(logits)[t, label_t]: [batch].
 * Picks the label entries with one gather over the flattened log-probs (no [batch, length, vocab] one-hot).
 */
function labelLogProbs(logits: tf.Tensor3D, labels: readonly (readonly number[])[]): tf.Tensor {
  const [batch, length, vocab] = logits.shape;
  const flatIndex: number[] = [];
  const weight: number[] = [];
  labels.forEach((row, b) => {
    for (let t = 0; t < length; t++) {
      const id = row[t] ?? IGNORE_INDEX;
      const counted = id !== IGNORE_INDEX;
      if (counted && !(id >= 0 && id < vocab)) throw new Error(`label id ${id} (row ${b}, position ${t}) is outside the vocabulary [0, ${vocab})`);
      flatIndex.push((b * length + t) * vocab + (counted ? id : 0));
      weight.push(counted ? 1 : 0);
    }
  });
  const picked = tf.gather(tf.logSoftmax(logits).reshape([-1]), tf.tensor1d(flatIndex, "int32"));
  return tf.sum(tf.mul(picked, tf.tensor1d(weight)).reshape([batch, length]), 1);
}

/** Decoder logits of label rows (right-padded with IGNORE_INDEX) against encoder states of the same batch. */
function labelScores(model: T5Model, hidden: tf.Tensor3D, mask: tf.Tensor2D, labels: readonly (readonly number[])[]): tf.Tensor {
  const length = Math.max(...labels.map((r) => r.length));
  const padded = labels.map((r) => padRow(r, length, IGNORE_INDEX));
  const decoderInputs = shiftTokensRight(padded, model.config.decoder_start_token_id, model.config.pad_token_id);
  const decoderIds = tf.tensor2d(decoderInputs, [labels.length, length], "int32");
  const { logits } = decode(model, decoderIds, hidden, mask); // the cache it returns dies with the caller's tidy
  return labelLogProbs(logits, padded);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface SequenceLikelihoodOptions {
  /** (input, candidate) pairs per forward pass; default 16. */
  batchSize?: number;
}

/**
 * log p(candidateIds[i] | inputIds[i]) for every i: the sum of the log-probabilities of the candidate's ids under
 * teacher forcing (decoder start token, then the candidate shifted right). Rows are unpadded id lists (inputs as
 * the encoder sees them, candidates ending with </s> as training targets do). Pairs go through the model
 * batchSize at a time; padding changes nothing (masked in the encoder, ignored in the decoder).
 */
export function sequenceLogLikelihoods(
  model: T5Model,
  inputIds: readonly (readonly number[])[],
  candidateIds: readonly (readonly number[])[],
  options: SequenceLikelihoodOptions = {},
): number[] {
  const batchSize = options.batchSize ?? DEFAULT_PAIR_BATCH;
  checkBatchSize(batchSize);
  if (inputIds.length !== candidateIds.length) {
    throw new Error(`sequenceLogLikelihoods: ${inputIds.length} inputs but ${candidateIds.length} candidates (one candidate per input)`);
  }
  checkRows(inputIds, "input");
  checkRows(candidateIds, "candidate");
  const pairs = inputIds.map((input, i) => ({ input, candidate: candidateIds[i] }));
  const out: number[] = [];
  for (const chunk of chunks(pairs, batchSize)) {
    const values = tf.tidy(() => {
      const { ids, mask } = encoderTensors(chunk.map((p) => p.input), model.config.pad_token_id);
      const hidden = encode(model, ids, mask);
      return labelScores(model, hidden, mask, chunk.map((p) => p.candidate)).dataSync();
    });
    out.push(...values);
  }
  return out;
}

export interface RankClassificationOptions {
  /** Inputs per forward pass; the decoder then runs batchSize x labels rows. Default 8. */
  batchSize?: number;
  /** The right label of each input: enables goldRanks. Matched to the label set after normalizeLabel. */
  gold?: readonly string[];
  /** Cut inputs to this many ids, keeping the final </s> (as the collator does). */
  maxInputTokens?: number;
  /** Score each label by its mean log-probability per token instead of the sum. Default false (T0, FLAN). */
  lengthNormalize?: boolean;
}

export interface RankClassificationResult {
  /** The best-scoring label of each input (the first in labelSet order on ties). */
  predictions: string[];
  /** [input][label]: the score of every label for every input (summed, or per token with lengthNormalize). */
  logLikelihoods: number[][];
  /** With `gold`: 1 + the number of labels scoring strictly higher than the gold label (1 = ranked first). */
  goldRanks?: number[];
}

/**
 * Rank classification: score every label of `labelSet` for every input and predict the best. Each input is
 * encoded once; its encoder states are repeated for all labels and every (input, label) row of a batch is decoded
 * in one pass.
 */
export function rankClassification(
  model: T5Model,
  tokenizer: LabelEncoder,
  inputs: readonly string[],
  labelSet: readonly string[],
  options: RankClassificationOptions = {},
): RankClassificationResult {
  const batchSize = options.batchSize ?? DEFAULT_INPUT_BATCH;
  checkBatchSize(batchSize);
  if (labelSet.length === 0) throw new Error("rankClassification: the label set is empty");
  const normalizedLabels = labelSet.map(normalizeLabel);
  normalizedLabels.forEach((l, i) => {
    if (normalizedLabels.indexOf(l) !== i) throw new Error(`rankClassification: label "${labelSet[i]}" appears twice in the label set`);
  });
  let goldIndex: number[] | undefined;
  if (options.gold) {
    if (options.gold.length !== inputs.length) throw new Error(`rankClassification: ${inputs.length} inputs but ${options.gold.length} gold labels`);
    goldIndex = options.gold.map((g, i) => {
      const at = normalizedLabels.indexOf(normalizeLabel(g));
      if (at < 0) throw new Error(`rankClassification: gold label "${g}" of input ${i} is not in the label set [${labelSet.join(", ")}]`);
      return at;
    });
  }
  const { maxInputTokens } = options;
  if (maxInputTokens !== undefined) checkBatchSize(maxInputTokens);
  const encoded = inputs.map((text) => {
    const ids = tokenizer.encode(text);
    return maxInputTokens === undefined ? ids : truncateIds(ids, maxInputTokens, tokenizer.eosTokenId);
  });
  checkRows(encoded, "input");
  const labelIds = labelSet.map((label) => tokenizer.encode(label));
  checkRows(labelIds, "label");
  const labelCount = labelSet.length;

  const logLikelihoods: number[][] = [];
  for (const chunk of chunks(encoded, batchSize)) {
    const values = tf.tidy(() => {
      const { ids, mask } = encoderTensors(chunk, model.config.pad_token_id);
      const hidden = encode(model, ids, mask);
      const repeat = tf.tensor1d(chunk.flatMap((_, b) => new Array<number>(labelCount).fill(b)), "int32");
      const labels = chunk.flatMap(() => labelIds);
      return labelScores(model, tf.gather(hidden, repeat) as tf.Tensor3D, tf.gather(mask, repeat) as tf.Tensor2D, labels).dataSync();
    });
    for (let b = 0; b < chunk.length; b++) {
      const row = Array.from(values.subarray(b * labelCount, (b + 1) * labelCount));
      logLikelihoods.push(options.lengthNormalize ? row.map((v, l) => v / labelIds[l].length) : row);
    }
  }

  const predictions = logLikelihoods.map((row) => {
    let best = 0;
    for (let l = 1; l < row.length; l++) if (row[l] > row[best]) best = l;
    return labelSet[best];
  });
  const result: RankClassificationResult = { predictions, logLikelihoods };
  if (goldIndex) {
    result.goldRanks = logLikelihoods.map((row, i) => 1 + row.filter((v) => v > row[goldIndex![i]]).length);
  }
  return result;
}

export interface TeacherForcedScores {
  /** Share of target tokens (labels != -100) whose argmax under teacher forcing is the label. */
  accuracy: number;
  /** Mean log-probability per target token (= minus the training loss of the batch). */
  meanLogLikelihood: number;
  /** Target tokens counted. */
  tokens: number;
  /** Of those, predicted right. */
  correct: number;
}

/**
 * Token accuracy and mean token log-likelihood from given logits [batch, length, vocab] and labels [batch][length]
 * (-100 = ignored). The argmax takes the first index on ties.
 */
export function teacherForcedScoresFromLogits(logits: tf.Tensor3D, labels: readonly (readonly number[])[]): TeacherForcedScores {
  const [batch, length] = logits.shape;
  if (labels.length !== batch || labels.some((r) => r.length !== length)) {
    throw new Error(`teacherForcedScoresFromLogits: logits [${logits.shape}] and labels [${labels.length}, ${labels[0]?.length}] do not match`);
  }
  const { predicted, sums } = tf.tidy(() => ({
    predicted: tf.argMax(logits, -1).dataSync(),
    sums: labelLogProbs(logits, labels).dataSync(),
  }));
  let tokens = 0;
  let correct = 0;
  labels.forEach((row, b) =>
    row.forEach((id, t) => {
      if (id === IGNORE_INDEX) return;
      tokens++;
      if (predicted[b * length + t] === id) correct++;
    }),
  );
  if (tokens === 0) throw new Error("teacherForcedScoresFromLogits: no target tokens (every label is -100)");
  const total = Array.from(sums).reduce((a, b) => a + b, 0);
  return { accuracy: correct / tokens, meanLogLikelihood: total / tokens, tokens, correct };
}

/** Teacher-forced token accuracy and mean token log-likelihood of a collated batch. */
export function teacherForcedAccuracy(model: T5Model, batch: Batch): TeacherForcedScores {
  const logits = batchLogits(model, batch);
  try {
    return teacherForcedScoresFromLogits(logits, batch.labels);
  } finally {
    logits.dispose();
  }
}
