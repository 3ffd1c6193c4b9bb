// Text-to-token generation for T5: greedy, seeded sampling (temperature, top-k, top-p) and beam search, with a
// KV cache, batched over inputs of different lengths. Semantics follow Hugging Face's `generate`
// (transformers/generation: logits_process.py, beam_search.py); the code is our own.
//
// Shape of the loop: the encoder runs once; a DecoderSession then owns every tensor of the generation (encoder
// states, mask, KV cache) and hands back only the last position's logits, one Float32Array row per decoder row.
// Choosing tokens happens in JavaScript on those rows with the small pure functions below (unit-testable), and the
// session is told which rows continue (beam reordering, rows that finished) and with which token.
//
// Output convention: one array per input row, the generated tokens without the decoder start token, ending with
// the EOS token when the row stopped on it (as in Hugging Face's sequences), not padded (rows are ragged).
import * as tf from "@tensorflow/tfjs";
import { gatherRows, tidyObject } from "./ops";
import { T5Config } from "./config";
import { DecoderCache, T5Model, decode, encode, releaseCache } from "./t5";
import { mulberry32 } from "../random";

// ---------------------------------------------------------------------------------------------------------------
// Options

export interface GenerationOptions {
  /** Tokens to generate at most per row (EOS included). Default 20. */
  maxNewTokens?: number;
  /** EOS is suppressed (logit -Infinity) until this many tokens were generated. Default 0. */
  minNewTokens?: number;
  /** 1 = greedy or sampling; more = beam search, best beam per input. Default 1. */
  numBeams?: number;
  /** Beam score = sum of log-probs / (generated length)^lengthPenalty. Default 1.0. */
  lengthPenalty?: number;
  /** Beam search stop rule, as Hugging Face's: true, false (heuristic) or "never". Default false. */
  earlyStopping?: boolean | "never";
  /** Sample from the (warped) distribution instead of taking the argmax. Default false. */
  doSample?: boolean;
  /** Sampling only: logits / temperature. Default 1.0. */
  temperature?: number;
  /** Sampling only: keep the k highest logits (ties with the k-th kept); 0 = off. Default 50, as Hugging Face. */
  topK?: number;
  /** Sampling only: keep the smallest set of top tokens with probability >= topP; 1 = off. Default 1.0. */
  topP?: number;
  /** Seed of the sampling draws (mulberry32); same seed, same tokens. Default 0. */
  seed?: number;
  /** >1 discourages tokens already in the decoder sequence (start token included, as Hugging Face). Default 1.0. */
  repetitionPenalty?: number;
  /** false = ignore EOS and always generate maxNewTokens. Default true. */
  stopAtEos?: boolean;
  /** false = rerun the whole decoder every step (slow; a check on the cache). Default true. */
  useCache?: boolean;
  /** Default: model.config.eos_token_id. An array stops on any of them. */
  eosTokenId?: number | number[];
  /** Padding of ragged inputs. Default: model.config.pad_token_id. */
  padTokenId?: number;
  /** Default: model.config.decoder_start_token_id. */
  decoderStartTokenId?: number;
}

/** GenerationOptions with every default filled in and checked. */
export interface ResolvedGenerationOptions {
  maxNewTokens: number;
  minNewTokens: number;
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: boolean | "never";
  doSample: boolean;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  repetitionPenalty: number;
  stopAtEos: boolean;
  useCache: boolean;
  eosTokenIds: number[];
  padTokenId: number;
  decoderStartTokenId: number;
}

export interface GenerationInput {
  /** Token ids per row: unpadded (rows may differ in length), or padded when attentionMask is given. */
  inputIds: number[][];
  /** 1 for tokens, 0 for padding, same shape as inputIds. Absent: every given token is real. */
  attentionMask?: number[][];
}

export interface GenerationResult {
  /** Generated tokens per input row (no decoder start token; EOS included when the row stopped on it). */
  sequences: number[][];
  /**
   * Per row. Greedy and sampling: the model's log-probability of the generated tokens (sum of log-softmax of the
   * raw logits). Beam search: Hugging Face's sequence score, sum of processed log-probs / length^lengthPenalty.
   */
  scores: number[];
}

function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

function checkTokenId(id: unknown, what: string, vocab: number): number {
  if (!isInt(id) || id < 0 || id >= vocab) {
    throw new Error(`${what} = ${JSON.stringify(id)} is not a token id of the vocabulary [0, ${vocab}).`);
  }
  return id;
}

/** Defaults of the options that do not come from the model config (Hugging Face's, except maxNewTokens). */
export const GENERATION_DEFAULTS = {
  maxNewTokens: 20,
  minNewTokens: 0,
  numBeams: 1,
  lengthPenalty: 1.0,
  earlyStopping: false,
  doSample: false,
  temperature: 1.0,
  topK: 50,
  topP: 1.0,
  seed: 0,
  repetitionPenalty: 1.0,
  stopAtEos: true,
  useCache: true,
} satisfies Omit<ResolvedGenerationOptions, "eosTokenIds" | "padTokenId" | "decoderStartTokenId">;

type TokenConfig = Pick<T5Config, "vocab_size" | "eos_token_id" | "pad_token_id" | "decoder_start_token_id">;

/** Fill defaults from the options and the model config; throw a clear error on anything out of range. */
export function resolveGenerationOptions(config: TokenConfig, options: GenerationOptions = {}): ResolvedGenerationOptions {
  const o = { ...GENERATION_DEFAULTS } as Omit<ResolvedGenerationOptions, "eosTokenIds" | "padTokenId" | "decoderStartTokenId">;
  for (const key of Object.keys(GENERATION_DEFAULTS) as (keyof typeof GENERATION_DEFAULTS)[]) {
    if (options[key] !== undefined) (o as Record<string, unknown>)[key] = options[key];
  }
  const vocab = config.vocab_size;
  if (!isInt(o.maxNewTokens) || o.maxNewTokens < 1) throw new Error(`maxNewTokens must be an integer >= 1, got ${o.maxNewTokens}.`);
  if (!isInt(o.minNewTokens) || o.minNewTokens < 0) throw new Error(`minNewTokens must be an integer >= 0, got ${o.minNewTokens}.`);
  if (!isInt(o.numBeams) || o.numBeams < 1) throw new Error(`numBeams must be an integer >= 1, got ${o.numBeams}.`);
  if (!Number.isFinite(o.lengthPenalty)) throw new Error(`lengthPenalty must be a finite number, got ${o.lengthPenalty}.`);
  if (o.earlyStopping !== true && o.earlyStopping !== false && o.earlyStopping !== "never") {
    throw new Error(`earlyStopping must be true, false or "never", got ${JSON.stringify(o.earlyStopping)}.`);
  }
  if (!(o.topP > 0 && o.topP <= 1)) throw new Error(`topP must be in (0, 1], got ${o.topP}.`);
  if (!isInt(o.topK) || o.topK < 0) throw new Error(`topK must be an integer >= 0 (0 = off), got ${o.topK}.`);
  if (o.doSample && !(o.temperature > 0 && Number.isFinite(o.temperature))) {
    throw new Error(`temperature must be > 0 when sampling (doSample), got ${o.temperature}.`);
  }
  if (!isInt(o.seed)) throw new Error(`seed must be an integer, got ${o.seed}.`);
  if (!(o.repetitionPenalty > 0 && Number.isFinite(o.repetitionPenalty))) {
    throw new Error(`repetitionPenalty must be a positive number, got ${o.repetitionPenalty}.`);
  }
  if (o.doSample && o.numBeams > 1) {
    throw new Error(`doSample with numBeams > 1 (beam sampling) is not supported; use numBeams 1 or doSample false.`);
  }
  const eos = options.eosTokenId ?? config.eos_token_id;
  const eosTokenIds = (Array.isArray(eos) ? eos : [eos]).map((id, i) => checkTokenId(id, Array.isArray(eos) ? `eosTokenId[${i}]` : "eosTokenId", vocab));
  return {
    maxNewTokens: o.maxNewTokens,
    minNewTokens: o.minNewTokens,
    numBeams: o.numBeams,
    lengthPenalty: o.lengthPenalty,
    earlyStopping: o.earlyStopping,
    doSample: Boolean(o.doSample),
    temperature: o.temperature,
    topK: o.topK,
    topP: o.topP,
    seed: o.seed,
    repetitionPenalty: o.repetitionPenalty,
    stopAtEos: Boolean(o.stopAtEos),
    useCache: Boolean(o.useCache),
    eosTokenIds,
    padTokenId: checkTokenId(options.padTokenId ?? config.pad_token_id, "padTokenId", vocab),
    decoderStartTokenId: checkTokenId(options.decoderStartTokenId ?? config.decoder_start_token_id, "decoderStartTokenId", vocab),
  };
}

/**
 * GenerationOptions from a Hugging Face generation_config.json object. Only fields present (and not null) are set;
 * the rest keep GenerationOptions' defaults. For an encoder-decoder, max_length and min_length count the decoder
 * start token, so they become maxNewTokens = max_length - 1 and minNewTokens = min_length - 1; max_new_tokens and
 * min_new_tokens win over them.
 */
export function generationOptionsFromConfig(json: Record<string, unknown>): GenerationOptions {
  const field = (name: string): unknown => (json[name] === null ? undefined : json[name]);
  const num = (name: string, integer = false): number | undefined => {
    const value = field(name);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new Error(`generation_config: field "${name}" must be ${integer ? "an integer" : "a number"}, got ${JSON.stringify(value)}.`);
    }
    return value;
  };
  const bool = (name: string): boolean | undefined => {
    const value = field(name);
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") throw new Error(`generation_config: field "${name}" must be true or false, got ${JSON.stringify(value)}.`);
    return value;
  };
  const options: GenerationOptions = {};
  const maxNew = num("max_new_tokens", true);
  const maxLength = num("max_length", true);
  if (maxNew !== undefined) options.maxNewTokens = maxNew;
  else if (maxLength !== undefined) options.maxNewTokens = maxLength - 1;
  const minNew = num("min_new_tokens", true);
  const minLength = num("min_length", true);
  if (minNew !== undefined) options.minNewTokens = minNew;
  else if (minLength !== undefined) options.minNewTokens = Math.max(0, minLength - 1);
  const set = <K extends keyof GenerationOptions>(key: K, value: GenerationOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set("numBeams", num("num_beams", true));
  set("doSample", bool("do_sample"));
  set("temperature", num("temperature"));
  set("topK", num("top_k", true));
  set("topP", num("top_p"));
  set("repetitionPenalty", num("repetition_penalty"));
  set("lengthPenalty", num("length_penalty"));
  const early = field("early_stopping");
  if (early !== undefined) {
    if (early !== true && early !== false && early !== "never") {
      throw new Error(`generation_config: field "early_stopping" must be true, false or "never", got ${JSON.stringify(early)}.`);
    }
    options.earlyStopping = early;
  }
  const eos = field("eos_token_id");
  if (eos !== undefined) {
    if (!(isInt(eos) || (Array.isArray(eos) && eos.every(isInt)))) {
      throw new Error(`generation_config: field "eos_token_id" must be an integer or a list of integers, got ${JSON.stringify(eos)}.`);
    }
    options.eosTokenId = eos as number | number[];
  }
  set("decoderStartTokenId", num("decoder_start_token_id", true));
  set("padTokenId", num("pad_token_id", true));
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Logit processing: small pure functions on one row of logits (or log-probs); each returns a new array.

/**
 * Hugging Face's RepetitionPenaltyLogitsProcessor: every distinct token in `previous` gets
 * logit < 0 ? logit * penalty : logit / penalty.
 */
export function applyRepetitionPenalty(logits: Float32Array, previous: Iterable<number>, penalty: number): Float32Array {
  const out = Float32Array.from(logits);
  if (penalty === 1) return out;
  for (const token of new Set(previous)) {
    const value = logits[token];
    out[token] = value < 0 ? value * penalty : value / penalty;
  }
  return out;
}

/** EOS gets -Infinity while fewer than minNewTokens tokens were generated (MinNewTokensLengthLogitsProcessor). */
export function suppressEosBeforeMin(logits: Float32Array, generated: number, minNewTokens: number, eosTokenIds: number[]): Float32Array {
  const out = Float32Array.from(logits);
  if (generated < minNewTokens) for (const id of eosTokenIds) out[id] = -Infinity;
  return out;
}

export function applyTemperature(logits: Float32Array, temperature: number): Float32Array {
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}.`);
  return logits.map((x) => x / temperature);
}

/** The k-th largest value of a row (k >= 1), by a min-heap of size k. */
function kthLargest(values: Float32Array, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heap[l] < heap[m]) m = l;
      if (r < size && heap[r] < heap[m]) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let v = 0; v < values.length; v++) {
    const x = values[v];
    if (size < k) {
      let i = size++;
      heap[i] = x;
      while (i > 0 && heap[(i - 1) >> 1] > heap[i]) {
        const p = (i - 1) >> 1;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    } else if (x > heap[0]) {
      heap[0] = x;
      siftDown(0);
    }
  }
  return heap[0];
}

/** Hugging Face's TopKLogitsWarper: logits below the k-th largest become -Infinity (ties are kept). 0 = off. */
export function topKFilter(logits: Float32Array, k: number): Float32Array {
  const out = Float32Array.from(logits);
  if (k <= 0 || k >= logits.length) return out;
  const threshold = kthLargest(logits, k);
  for (let v = 0; v < out.length; v++) if (out[v] < threshold) out[v] = -Infinity;
  return out;
}

/**
 * Hugging Face's TopPLogitsWarper: sort ascending, drop the tokens whose cumulative probability (from the least
 * likely) is <= 1 - topP; the most likely token always stays.
 */
export function topPFilter(logits: Float32Array, topP: number): Float32Array {
  const out = Float32Array.from(logits);
  if (topP >= 1) return out;
  const probs = softmax(logits);
  const finite: number[] = [];
  for (let v = 0; v < logits.length; v++) if (logits[v] > -Infinity) finite.push(v);
  finite.sort((a, b) => logits[a] - logits[b] || b - a);
  let cumulative = 0;
  for (let i = 0; i < finite.length - 1; i++) {
    cumulative += probs[finite[i]];
    if (cumulative > 1 - topP) break;
    out[finite[i]] = -Infinity;
  }
  for (let v = 0; v < logits.length; v++) if (!(logits[v] > -Infinity)) out[v] = -Infinity;
  return out;
}

export function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v] > max) max = logits[v];
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += out[v] = Math.exp(logits[v] - max);
  for (let v = 0; v < logits.length; v++) out[v] /= sum;
  return out;
}

export function logSoftmax(logits: Float32Array): Float32Array {
  return shift(logits, -logSumExp(logits));
}

function shift(values: Float32Array, by: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let v = 0; v < values.length; v++) out[v] = values[v] + by;
  return out;
}

export function logSumExp(logits: Float32Array): number {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v] > max) max = logits[v];
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += Math.exp(logits[v] - max);
  return max + Math.log(sum);
}

/** Index of the largest value (the first one on ties, as torch.argmax). */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
  return best;
}

/** A token drawn from softmax(logits) with a uniform number u in [0, 1) (inverse of the cumulative distribution). */
export function sampleToken(logits: Float32Array, u: number): number {
  const probs = softmax(logits);
  let cumulative = 0;
  let last = 0;
  for (let v = 0; v < probs.length; v++) {
    if (probs[v] === 0) continue;
    cumulative += probs[v];
    last = v;
    if (u < cumulative) return v;
  }
  return last; // u within rounding of 1
}

/** Processors every search applies, in Hugging Face's order: repetition penalty, then min-length EOS suppression. */
export function processScores(row: Float32Array, decoderTokens: number[], generated: number, o: ResolvedGenerationOptions): Float32Array {
  const penalized = o.repetitionPenalty === 1 ? row : applyRepetitionPenalty(row, decoderTokens, o.repetitionPenalty);
  return generated < o.minNewTokens ? suppressEosBeforeMin(penalized, generated, o.minNewTokens, o.eosTokenIds) : penalized;
}

/** The sampling warpers, in Hugging Face's order: temperature, top-k, top-p. */
export function warpForSampling(row: Float32Array, o: Pick<ResolvedGenerationOptions, "temperature" | "topK" | "topP">): Float32Array {
  let out = o.temperature === 1 ? row : applyTemperature(row, o.temperature);
  if (o.topK > 0) out = topKFilter(out, o.topK);
  if (o.topP < 1) out = topPFilter(out, o.topP);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The decoder session: owns the tensors, returns last-position logits, follows the rows that continue.

class DecoderSession {
  private hidden: tf.Tensor3D; // encoder states per decoder row
  private mask: tf.Tensor2D; // encoder attention mask per decoder row
  private cache?: DecoderCache;
  /** Decoder tokens per row, start token first; the last one is the next decoder input. */
  private history: number[][];
  /** Which encoder row each decoder row reads (rows sharing it can share cross-attention tensors). */
  private source: number[];
  readonly vocab: number;

  constructor(
    private readonly model: T5Model,
    hidden: tf.Tensor3D,
    mask: tf.Tensor2D,
    source: number[],
    startToken: number,
    private readonly useCache: boolean,
  ) {
    this.hidden = hidden;
    this.mask = mask;
    this.source = source;
    this.history = source.map(() => [startToken]);
    this.vocab = model.config.vocab_size;
  }

  get rows(): number {
    return this.history.length;
  }

  /**
   * Logits [rows * vocab] of the position after each row's history, and per row their log-sum-exp (log-probs are
   * logits - logZ): computed on the backend, because exp over the vocabulary in JavaScript costs more than a small
   * model's decoder step.
   */
  nextLogits(): { logits: Float32Array; logZ: Float32Array } {
    const rows = this.rows;
    const lastRow = (logits: tf.Tensor3D) => {
      const length = logits.shape[1];
      const last = length === 1 ? logits : logits.slice([0, length - 1, 0], [rows, 1, this.vocab]); // wasm's slice copies
      return last.reshape([rows, this.vocab]);
    };
    let last: tf.Tensor;
    if (this.useCache) {
      const old = this.cache;
      const step = tidyObject(() => {
        const ids = tf.tensor2d(this.history.map((h) => [h[h.length - 1]]), [rows, 1], "int32");
        const { logits, cache } = decode(this.model, ids, this.hidden, this.mask, old);
        return { cache, last: lastRow(logits) };
      });
      if (old) releaseCache(old, step.cache);
      this.cache = step.cache;
      last = step.last;
    } else {
      last = tf.tidy(() => {
        const ids = tf.tensor2d(this.history, undefined, "int32");
        return lastRow(decode(this.model, ids, this.hidden, this.mask).logits);
      });
    }
    const logZ = tf.tidy(() => tf.logSumExp(last, 1));
    try {
      // read-only use (processors copy), and the tensors are gone after this: no copy needed
      return { logits: last.dataSync() as Float32Array, logZ: logZ.dataSync() as Float32Array };
    } finally {
      last.dispose();
      logZ.dispose();
    }
  }

  /**
   * Continue: new row i extends current row parents[i] (default: row i) with tokens[i]. Rows may be dropped
   * (finished) or repeated and reordered (beam search).
   */
  advance(tokens: number[], parents?: number[]): void {
    if (parents && !(parents.length === this.rows && parents.every((p, i) => p === i))) this.select(parents);
    if (tokens.length !== this.rows) throw new Error(`internal: ${tokens.length} tokens for ${this.rows} decoder rows.`);
    this.history.forEach((h, i) => h.push(tokens[i]));
  }

  private select(parents: number[]): void {
    const newSource = parents.map((p) => this.source[p]);
    const sameSources = newSource.length === this.source.length && newSource.every((s, i) => s === this.source[i]);
    this.history = parents.map((p) => [...this.history[p]]);
    this.source = newSource;
    const old = { hidden: this.hidden, mask: this.mask, cache: this.cache };
    const next = tidyObject(() => {
      const rows = tf.tensor1d(parents, "int32");
      const pick = <T extends tf.Tensor>(t: T) => gatherRows(t, rows) as T; // whole rows: no per-number copy on wasm
      // Rows that keep their encoder row keep its cross-attention keys/values, mask and states: no copy.
      const cross = <T extends tf.Tensor>(t: T) => (sameSources ? t : pick(t));
      const cache: DecoderCache | undefined = old.cache && {
        length: old.cache.length,
        layers: old.cache.layers.map((l) => ({
          selfKey: pick(l.selfKey),
          selfValue: pick(l.selfValue),
          crossKey: cross(l.crossKey),
          crossValue: cross(l.crossValue),
        })),
      };
      return { hidden: cross(old.hidden), mask: cross(old.mask), cache };
    });
    if (old.cache && next.cache) releaseCache(old.cache, next.cache);
    if (next.hidden !== old.hidden) old.hidden.dispose();
    if (next.mask !== old.mask) old.mask.dispose();
    this.hidden = next.hidden;
    this.mask = next.mask;
    this.cache = next.cache;
  }

  dispose(): void {
    if (this.cache) releaseCache(this.cache);
    this.cache = undefined;
    this.hidden.dispose();
    this.mask.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Input checking and padding

interface PaddedInput {
  ids: number[][];
  mask: number[][];
}

function prepareInput(input: GenerationInput, vocab: number, padTokenId: number): PaddedInput {
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

/** Encoder states [batch * copies, length, d_model] and mask, each input row repeated `copies` times (beams). */
function encodeInputs(model: T5Model, input: PaddedInput, copies: number): { hidden: tf.Tensor3D; mask: tf.Tensor2D } {
  return tidyObject(() => {
    const ids = tf.tensor2d(input.ids, undefined, "int32");
    const mask = tf.tensor2d(input.mask, undefined, "int32");
    const hidden = encode(model, ids, mask);
    if (copies === 1) return { hidden, mask };
    const repeat = tf.tensor1d(input.ids.flatMap((_, b) => new Array<number>(copies).fill(b)), "int32");
    return { hidden: gatherRows(hidden, repeat) as tf.Tensor3D, mask: gatherRows(mask, repeat) as tf.Tensor2D };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Searches

/** Greedy or sampling: one decoder row per input; finished rows leave the batch. */
function greedyOrSample(session: DecoderSession, batch: number, o: ResolvedGenerationOptions): GenerationResult {
  const vocab = session.vocab;
  const eos = new Set(o.eosTokenIds);
  const sequences: number[][] = Array.from({ length: batch }, () => []);
  const scores = new Array<number>(batch).fill(0);
  const random = o.doSample ? mulberry32(o.seed) : undefined;
  let active = sequences.map((_, b) => b); // input row of each decoder row
  for (let step = 0; step < o.maxNewTokens; step++) {
    const { logits, logZ } = session.nextLogits();
    const continuing: number[] = [];
    active.forEach((b, r) => {
      const raw = logits.subarray(r * vocab, (r + 1) * vocab);
      const processed = processScores(raw, [o.decoderStartTokenId, ...sequences[b]], sequences[b].length, o);
      const token = random ? sampleToken(warpForSampling(processed, o), random()) : argmax(processed);
      scores[b] += raw[token] - logZ[r];
      sequences[b].push(token);
      if (!(o.stopAtEos && eos.has(token))) continuing.push(r);
    });
    if (continuing.length === 0 || step === o.maxNewTokens - 1) break;
    session.advance(
      continuing.map((r) => sequences[active[r]][sequences[active[r]].length - 1]),
      continuing.length === active.length ? undefined : continuing,
    );
    active = continuing.map((r) => active[r]);
  }
  return { sequences, scores };
}

interface Hypothesis {
  score: number;
  tokens: number[];
}

/** The finished hypotheses of one input (Hugging Face's BeamHypotheses): the numBeams best by score. */
class Hypotheses {
  readonly list: Hypothesis[] = [];
  worst = 1e9;
  constructor(private readonly numBeams: number) {}

  add(tokens: number[], score: number): void {
    if (this.list.length < this.numBeams || score > this.worst) {
      this.list.push({ score, tokens });
      if (this.list.length > this.numBeams) {
        let worstIndex = 0;
        this.list.forEach((h, i) => {
          if (h.score < this.list[worstIndex].score) worstIndex = i;
        });
        this.list.splice(worstIndex, 1);
      }
      this.worst = Math.min(...this.list.map((h) => h.score));
    }
  }

  /** Whether no open beam can beat the worst finished one (HF's is_done with its three early_stopping modes). */
  isDone(bestSumLogprobs: number, generated: number, o: ResolvedGenerationOptions): boolean {
    if (this.list.length < this.numBeams) return false;
    if (o.earlyStopping === true) return true;
    const length = o.earlyStopping === "never" && o.lengthPenalty > 0 ? o.maxNewTokens : generated;
    return this.worst >= bestSumLogprobs / length ** o.lengthPenalty;
  }

  /** The best (the last added among equals, as HF's sort-then-pop). */
  best(): Hypothesis {
    let best = this.list[0];
    for (const h of this.list) if (h.score >= best.score) best = h;
    return best;
  }
}

interface Candidate {
  score: number;
  index: number; // beam * vocab + token
}

/** The k best (score, then lower index) of rows[j][v] + offsets[j], best first. */
function topCandidates(rows: Float32Array[], offsets: number[], k: number): Candidate[] {
  const vocab = rows[0].length;
  const heapScore = new Float64Array(k);
  const heapIndex = new Int32Array(k);
  let size = 0;
  const worse = (i: number, j: number) => heapScore[i] < heapScore[j] || (heapScore[i] === heapScore[j] && heapIndex[i] > heapIndex[j]);
  const swap = (i: number, j: number) => {
    [heapScore[i], heapScore[j]] = [heapScore[j], heapScore[i]];
    [heapIndex[i], heapIndex[j]] = [heapIndex[j], heapIndex[i]];
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  rows.forEach((row, j) => {
    const offset = offsets[j];
    for (let v = 0; v < vocab; v++) {
      const score = row[v] + offset;
      const index = j * vocab + v;
      if (size < k) {
        let i = size++;
        heapScore[i] = score;
        heapIndex[i] = index;
        while (i > 0 && worse(i, (i - 1) >> 1)) {
          swap(i, (i - 1) >> 1);
          i = (i - 1) >> 1;
        }
      } else if (score > heapScore[0]) {
        // equal scores keep the earlier (lower) index already in the heap
        heapScore[0] = score;
        heapIndex[0] = index;
        siftDown(0);
      }
    }
  });
  const out: Candidate[] = [];
  for (let i = 0; i < size; i++) out.push({ score: heapScore[i], index: heapIndex[i] });
  return out.sort((a, b) => b.score - a.score || a.index - b.index);
}

/**
 * Beam search as Hugging Face's BeamSearchScorer: per input, numBeams open beams (log-probs after the logit
 * processors, summed); each step looks at the best max(2, 1 + #EOS) * numBeams continuations; an EOS among the
 * top numBeams closes a hypothesis scored sum / generated^lengthPenalty; an input is done per earlyStopping; at
 * maxNewTokens the open beams join the hypotheses. Inputs that are done leave the batch.
 */
function beamSearch(session: DecoderSession, batch: number, o: ResolvedGenerationOptions): GenerationResult {
  const vocab = session.vocab;
  const beams = o.numBeams;
  const eos = new Set(o.stopAtEos ? o.eosTokenIds : []);
  const keep = Math.min(Math.max(2, 1 + eos.size) * beams, beams * vocab);
  const hypotheses = Array.from({ length: batch }, () => new Hypotheses(beams));
  let active = hypotheses.map((_, b) => b); // input of each group of `beams` decoder rows
  let beamTokens: number[][] = Array.from({ length: batch * beams }, () => []);
  // Only the first beam is live at the start: the others would repeat it.
  let beamScores: number[] = beamTokens.map((_, r) => (r % beams === 0 ? 0 : -1e9));
  for (let step = 0; step < o.maxNewTokens; step++) {
    const generated = step + 1;
    const last = step === o.maxNewTokens - 1;
    const { logits, logZ } = session.nextLogits();
    const next = { tokens: [] as number[], parents: [] as number[], scores: [] as number[], beamTokens: [] as number[][] };
    const stillActive: number[] = [];
    active.forEach((b, g) => {
      const rowIds = Array.from({ length: beams }, (_, j) => g * beams + j);
      const rows = rowIds.map((r) =>
        processScores(shift(logits.subarray(r * vocab, (r + 1) * vocab), -logZ[r]), [o.decoderStartTokenId, ...beamTokens[r]], step, o),
      );
      const candidates = topCandidates(rows, rowIds.map((r) => beamScores[r]), keep);
      const picks: { parent: number; token: number; score: number }[] = [];
      for (let rank = 0; rank < candidates.length && picks.length < beams; rank++) {
        const { score, index } = candidates[rank];
        const parent = g * beams + Math.floor(index / vocab);
        const token = index % vocab;
        if (eos.has(token)) {
          if (rank < beams && score > -Infinity) hypotheses[b].add([...beamTokens[parent], token], score / generated ** o.lengthPenalty);
        } else {
          picks.push({ parent, token, score });
        }
      }
      if (picks.length < beams) throw new Error(`beam search: fewer than numBeams=${beams} continuations that are not EOS.`);
      if (hypotheses[b].isDone(candidates[0].score, generated, o)) return;
      if (last) {
        for (const p of picks) hypotheses[b].add([...beamTokens[p.parent], p.token], p.score / generated ** o.lengthPenalty);
        return;
      }
      stillActive.push(b);
      for (const p of picks) {
        next.tokens.push(p.token);
        next.parents.push(p.parent);
        next.scores.push(p.score);
        next.beamTokens.push([...beamTokens[p.parent], p.token]);
      }
    });
    if (stillActive.length === 0) break;
    session.advance(next.tokens, next.parents);
    active = stillActive;
    beamScores = next.scores;
    beamTokens = next.beamTokens;
  }
  const best = hypotheses.map((h) => h.best());
  return { sequences: best.map((h) => h.tokens), scores: best.map((h) => h.score) };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/** Generated tokens and their scores per input row (see GenerationResult). */
export function generateWithScores(model: T5Model, input: GenerationInput, options: GenerationOptions = {}): GenerationResult {
  const o = resolveGenerationOptions(model.config, options);
  const padded = prepareInput(input, model.config.vocab_size, o.padTokenId);
  const batch = padded.ids.length;
  const { hidden, mask } = encodeInputs(model, padded, o.numBeams);
  const source = Array.from({ length: batch * o.numBeams }, (_, r) => Math.floor(r / o.numBeams));
  const session = new DecoderSession(model, hidden, mask, source, o.decoderStartTokenId, o.useCache);
  try {
    return o.numBeams > 1 ? beamSearch(session, batch, o) : greedyOrSample(session, batch, o);
  } finally {
    session.dispose();
  }
}

/**
 * Generate token ids for each input row: greedy by default, seeded sampling with doSample, beam search with
 * numBeams > 1. Returns per row the generated tokens without the decoder start token, ending with EOS when the row
 * stopped on it (rows are not padded). Synchronous: it reads one small logits row per decoder row and step.
 */
export function generate(model: T5Model, input: GenerationInput, options: GenerationOptions = {}): number[][] {
  return generateWithScores(model, input, options).sequences;
}
