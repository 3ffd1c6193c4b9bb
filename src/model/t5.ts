// A T5 encoder-decoder as pure functions of a parameter map, readable top to bottom.
// Follows Hugging Face's T5ForConditionalGeneration (see DESIGN.md, "T5 v1.1 / FLAN-T5 semantics"):
// pre-norm residual blocks, RMS norm, no attention scaling, relative position bias from the first layer of each
// stack, gated-GELU or ReLU feed-forward, lm_head untied (FLAN-T5) or tied with a d_model^-0.5 scale (T5).
import * as tf from "@tensorflow/tfjs";
import { T5Config, feedForwardKind, innerDim } from "./config";
import {
  activation,
  embed,
  gatherRows,
  groupedContext,
  groupedScores,
  linear,
  matMulTransposed,
  rmsNorm,
  shareIdentityOnWasm,
  tidyObject,
  useGroupedAttention,
} from "./ops";
import type { LoraState } from "./lora";
import { ParamMap } from "./params";
import { relativePositionBuckets } from "./position";

export interface T5Model {
  config: T5Config;
  params: ParamMap;
  /** LoRA adapters (model/lora.ts): the active one's A and B are entries of `params`, `<module>.lora_A.weight`. */
  lora?: LoraState;
}

/** Large negative number added to attention scores that must get zero weight. */
const MASKED = -1e9;

/** Dropout during training: a seeded stream, so a run is reproducible for a given seed. Absent = inference. */
export class DropoutStream {
  private calls = 0;
  constructor(
    readonly rate: number,
    readonly seed: number,
  ) {}
  /** Dropout at this stream's rate, or at `rate` (LoRA's lora_dropout) with the stream's next seed. */
  apply(x: tf.Tensor, rate = this.rate): tf.Tensor {
    if (rate === 0) return x;
    return tf.dropout(x, rate, undefined, this.seed * 1000003 + this.calls++);
  }
}

export interface RunOptions {
  dropout?: DropoutStream;
  /** decode(): false skips building the returned cache (forward() for training and scoring needs none). */
  returnCache?: boolean;
}

const drop = (x: tf.Tensor, options: RunOptions): tf.Tensor => (options.dropout ? options.dropout.apply(x) : x);

/**
 * The linear layer `module` (e.g. "encoder.block.0.layer.0.SelfAttention.q"): x W, plus PEFT's LoRA term
 * scaling * dropout(x) A B when the active adapter has one for this module and is not merged into W.
 */
function dense(model: T5Model, x: tf.Tensor, module: string, options: RunOptions): tf.Tensor {
  const out = linear(x, model.params[`${module}.weight`]);
  const lora = model.lora;
  if (!lora || lora.merged) return out;
  const a = model.params[`${module}.lora_A.weight`];
  if (!a) return out;
  const input = options.dropout ? options.dropout.apply(x, lora.dropout) : x;
  const low = tf.mul(linear(input, a), lora.scaling); // scale the r-wide product: the cheapest place
  return tf.add(out, linear(low, model.params[`${module}.lora_B.weight`]));
}

/** Keys and values one decoder layer has seen so far: self-attention grows by one step per token. */
export interface LayerCache {
  selfKey: tf.Tensor4D; // [batch, heads, decoded so far, d_kv]
  selfValue: tf.Tensor4D;
  crossKey: tf.Tensor4D; // [batch, heads, source length, d_kv], computed once from the encoder output
  crossValue: tf.Tensor4D;
}

export interface DecoderCache {
  layers: LayerCache[];
  /** Number of decoder positions already in the cache. */
  length: number;
  /** The cross-attention padding bias [batch, 1, 1, source length] of the attention mask the cache was made with. */
  crossBias?: tf.Tensor;
}

// ---------------------------------------------------------------------------------------------------------------
// Attention

/** Position bias [1, heads, queries, keys] from the bucket table [num_buckets, heads]. */
function positionBias(
  table: tf.Tensor,
  queryStart: number,
  queryLength: number,
  keyLength: number,
  bidirectional: boolean,
  config: T5Config,
): tf.Tensor {
  const buckets = relativePositionBuckets(
    queryStart,
    queryLength,
    keyLength,
    bidirectional,
    config.relative_attention_num_buckets,
    config.relative_attention_max_distance,
  );
  const values = embed(table, tf.tensor2d(buckets, [queryLength, keyLength], "int32")); // [q, k, heads]
  return values.transpose([2, 0, 1]).expandDims(0);
}

/** 0 where a key may be attended, MASKED where not: encoder padding, [batch, 1, 1, keys]. */
function paddingBias(attentionMask: tf.Tensor): tf.Tensor {
  const [batch, keys] = attentionMask.shape;
  return tf.mul(tf.sub(1, tf.cast(attentionMask, "float32")), MASKED).reshape([batch, 1, 1, keys]);
}

/** A decoder position never sees the future: [1, 1, queries, keys] for queries starting at queryStart. */
function causalBias(queryStart: number, queryLength: number, keyLength: number): tf.Tensor {
  const bias = new Float32Array(queryLength * keyLength);
  for (let q = 0; q < queryLength; q++) {
    for (let k = queryStart + q + 1; k < keyLength; k++) bias[q * keyLength + k] = MASKED;
  }
  return tf.tensor4d(bias, [1, 1, queryLength, keyLength]);
}

// Hidden states are [batch, length, d_model], or [batch, d_model] in a cached decoding step (one new position):
// there, no product needs a reshape around it and splitting or merging heads moves no data. Each kernel call costs
// microseconds of JavaScript, most of a small model's step (bench/NOTES.md).

/** [batch, length, heads * d_kv] or one position's [batch, heads * d_kv] -> [batch, heads, length, d_kv] */
function splitHeads(x: tf.Tensor, config: T5Config): tf.Tensor4D {
  const [batch, length] = x.shape as number[];
  if (x.rank === 2) return x.reshape([batch, config.num_heads, 1, config.d_kv]);
  return x.reshape([batch, length, config.num_heads, config.d_kv]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/** [batch, heads, length, d_kv] -> [batch, length, heads * d_kv], or [batch, heads * d_kv] when `rank` is 2. */
function mergeHeads(x: tf.Tensor, config: T5Config, rank = 3): tf.Tensor {
  const [batch, , length] = x.shape as number[];
  if (rank === 2) return x.reshape([batch, innerDim(config)]);
  if (length === 1) return x.reshape([batch, 1, innerDim(config)]);
  return x.transpose([0, 2, 1, 3]).reshape([batch, length, innerDim(config)]);
}

/**
 * Attention scores are laid out [batch, heads, queries, keys] for batched products, or [queries, batch, heads, keys]
 * for grouped ones (ops.ts: the fast way on wasm). A bias part [batch or 1, heads or 1, queries, keys] in that layout:
 */
function inLayout(bias: tf.Tensor, grouped: boolean): tf.Tensor {
  return grouped ? bias.transpose([2, 0, 1, 3]) : bias;
}

/**
 * softmax(q k^T + bias) v per head, then the output projection `output`. query [batch, queries, heads * d_kv];
 * key and value [batch, keys, heads * d_kv] when `grouped`, else already split [batch, heads, keys, d_kv] (the
 * cache's layout); bias in the layout `grouped` says. No 1/sqrt(d_kv): T5 folds it into the q init.
 */
function attend(
  model: T5Model,
  query: tf.Tensor,
  key: tf.Tensor,
  value: tf.Tensor,
  bias: tf.Tensor,
  grouped: boolean,
  output: string,
  options: RunOptions,
): tf.Tensor {
  const { num_heads: heads, d_kv: dkv } = model.config;
  const [batch, queries] = query.shape;
  let context: tf.Tensor; // [batch, queries, heads * d_kv]
  if (grouped) {
    const keys = key.shape[1] as number;
    const groups = batch * heads;
    const q = query.reshape([batch, queries, heads, dkv]).transpose([1, 3, 0, 2]).reshape([queries, dkv, groups]) as tf.Tensor3D;
    const k = key.reshape([batch, keys, heads, dkv]).transpose([3, 0, 2, 1]).reshape([dkv, groups, keys]) as tf.Tensor3D;
    const v = value.reshape([batch, keys, heads, dkv]).transpose([1, 0, 2, 3]).reshape([keys, groups, dkv]) as tf.Tensor3D;
    const scores = tf.add(groupedScores(q, k).reshape([queries, batch, heads, keys]), bias);
    const weights = drop(tf.softmax(scores), options).reshape([queries, groups, keys]) as tf.Tensor3D;
    context = groupedContext(weights, v).reshape([queries, batch, heads, dkv]).transpose([1, 0, 2, 3]).reshape([batch, queries, heads * dkv]);
  } else {
    const scores = tf.add(tf.matMul(splitHeads(query, model.config), key, false, true), bias);
    const weights = drop(tf.softmax(scores), options);
    context = mergeHeads(tf.matMul(weights, value), model.config, query.rank);
  }
  return dense(model, context, output, options);
}

// ---------------------------------------------------------------------------------------------------------------
// Feed-forward

function feedForward(model: T5Model, x: tf.Tensor, prefix: string, options: RunOptions): tf.Tensor {
  const kind = feedForwardKind(model.config);
  const hidden = kind.gated
    ? activation(kind.activation, dense(model, x, `${prefix}.wi_0`, options), dense(model, x, `${prefix}.wi_1`, options))
    : activation(kind.activation, dense(model, x, `${prefix}.wi`, options));
  return dense(model, drop(hidden, options), `${prefix}.wo`, options);
}

// ---------------------------------------------------------------------------------------------------------------
// Encoder

function checkIds(ids: tf.Tensor, what: string): void {
  if (ids.rank !== 2) throw new Error(`${what} must be 2-D [batch, length], got shape [${ids.shape}].`);
  if (ids.dtype !== "int32") throw new Error(`${what} must be int32 token ids, got ${ids.dtype}.`);
  if (ids.shape[1] === 0) throw new Error(`${what} is empty (length 0).`);
}

function checkMask(mask: tf.Tensor, ids: tf.Tensor): void {
  if (mask.shape.length !== 2 || mask.shape[0] !== ids.shape[0] || mask.shape[1] !== ids.shape[1]) {
    throw new Error(`attentionMask has shape [${mask.shape}] but inputIds has shape [${ids.shape}]; they must match.`);
  }
}

/** Encoder hidden states [batch, source length, d_model]. attentionMask: 1 for tokens, 0 for padding. */
export function encode(model: T5Model, inputIds: tf.Tensor, attentionMask: tf.Tensor, options: RunOptions = {}): tf.Tensor3D {
  checkIds(inputIds, "inputIds");
  checkMask(attentionMask, inputIds);
  shareIdentityOnWasm();
  const { config, params } = model;
  return tf.tidy(() => {
    const length = inputIds.shape[1] as number;
    const grouped = useGroupedAttention(length);
    const bias = tf.add(
      inLayout(positionBias(params["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], 0, length, length, true, config), grouped),
      inLayout(paddingBias(attentionMask), grouped),
    );
    let h = drop(embed(params["shared.weight"], inputIds), options);
    for (let i = 0; i < config.num_layers; i++) {
      const block = `encoder.block.${i}`;
      const att = `${block}.layer.0.SelfAttention`;
      const normed = rmsNorm(h, params[`${block}.layer.0.layer_norm.weight`], config.layer_norm_epsilon);
      const heads = (x: tf.Tensor) => (grouped ? x : splitHeads(x, config));
      const q = dense(model, normed, `${att}.q`, options);
      const k = heads(dense(model, normed, `${att}.k`, options));
      const v = heads(dense(model, normed, `${att}.v`, options));
      h = tf.add(h, drop(attend(model, q, k, v, bias, grouped, `${att}.o`, options), options));
      const normedFf = rmsNorm(h, params[`${block}.layer.1.layer_norm.weight`], config.layer_norm_epsilon);
      h = tf.add(h, drop(feedForward(model, normedFf, `${block}.layer.1.DenseReluDense`, options), options));
    }
    return drop(rmsNorm(h, params["encoder.final_layer_norm.weight"], config.layer_norm_epsilon), options) as tf.Tensor3D;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Decoder

/**
 * Cross-attention keys and values of every decoder layer, from the encoder output (reused at every step): split
 * into heads, or [batch, source length, heads * d_kv] when `grouped` attention uses them.
 */
function crossKeysValues(model: T5Model, encoderHidden: tf.Tensor, grouped: boolean, options: RunOptions): { key: tf.Tensor; value: tf.Tensor }[] {
  const out = [];
  for (let i = 0; i < model.config.num_decoder_layers; i++) {
    const att = `decoder.block.${i}.layer.1.EncDecAttention`;
    const heads = (x: tf.Tensor) => (grouped ? x : splitHeads(x, model.config));
    out.push({ key: heads(dense(model, encoderHidden, `${att}.k`, options)), value: heads(dense(model, encoderHidden, `${att}.v`, options)) });
  }
  return out;
}

/** Final decoder states -> vocabulary logits. */
function lmHead(model: T5Model, hidden: tf.Tensor): tf.Tensor {
  const { config, params } = model;
  if (config.tie_word_embeddings) {
    const rows = tf.mul(hidden, config.d_model ** -0.5).reshape([-1, config.d_model]) as tf.Tensor2D;
    return matMulTransposed(rows, params["shared.weight"] as tf.Tensor2D).reshape([...hidden.shape.slice(0, -1), config.vocab_size]);
  }
  return linear(hidden, params["lm_head.weight"]);
}

export interface DecodeResult {
  logits: tf.Tensor3D; // [batch, new positions, vocab]
  cache: DecoderCache;
}

/**
 * Run the decoder on decoderInputIds [batch, t]. Without a cache they are positions 0..t-1 (training, scoring);
 * with one they continue after cache.length (generation). Returns logits and the cache extended by t positions.
 * The returned cache shares the cross-attention tensors with the given one: release the old one with releaseCache.
 * With options.returnCache false the returned cache has no layers (nothing to release).
 */
export function decode(
  model: T5Model,
  decoderInputIds: tf.Tensor,
  encoderHidden: tf.Tensor,
  attentionMask: tf.Tensor,
  cache?: DecoderCache,
  options: RunOptions = {},
): DecodeResult {
  checkIds(decoderInputIds, "decoderInputIds");
  shareIdentityOnWasm();
  const { config, params } = model;
  if (encoderHidden.shape[0] !== decoderInputIds.shape[0]) {
    throw new Error(`decoderInputIds has batch ${decoderInputIds.shape[0]} but the encoder output has ${encoderHidden.shape[0]}.`);
  }
  return tidyObject((): DecodeResult => {
    const start = cache ? cache.length : 0;
    const length = decoderInputIds.shape[1] as number;
    const keyLength = start + length;
    const grouped = useGroupedAttention(length);
    const relative = inLayout(positionBias(params["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], start, length, keyLength, false, config), grouped);
    // one new position sees every key: no causal mask to add
    const selfBias = length > 1 ? tf.add(relative, inLayout(causalBias(start, length, keyLength), grouped)) : relative;
    const padding = cache?.crossBias ?? paddingBias(attentionMask);
    const crossBias = inLayout(padding, grouped);
    // The cache holds keys and values split into heads; grouped attention takes them whole.
    const whole = (x: tf.Tensor) => (grouped ? mergeHeads(x, config) : x);
    const split = (x: tf.Tensor) => (grouped ? splitHeads(x, config) : (x as tf.Tensor4D));
    const cross = cache
      ? cache.layers.map((l) => ({ key: whole(l.crossKey), value: whole(l.crossValue) }))
      : crossKeysValues(model, encoderHidden, grouped, options);
    const returnCache = options.returnCache ?? true;
    const layers: LayerCache[] = [];
    // one new position after a cache (generation, non-grouped): states [batch, d_model], see splitHeads
    const oneStep = cache !== undefined && length === 1 && !grouped;
    const ids = oneStep ? decoderInputIds.reshape([-1]) : decoderInputIds;
    let y = drop(embed(params["shared.weight"], ids), options);
    for (let i = 0; i < config.num_decoder_layers; i++) {
      const block = `decoder.block.${i}`;
      const selfAtt = `${block}.layer.0.SelfAttention`;
      const normed = rmsNorm(y, params[`${block}.layer.0.layer_norm.weight`], config.layer_norm_epsilon);
      const q = dense(model, normed, `${selfAtt}.q`, options);
      const newKey = dense(model, normed, `${selfAtt}.k`, options);
      const newValue = dense(model, normed, `${selfAtt}.v`, options);
      // keys and values in attention's layout: whole [batch, keys, inner] when grouped, else split by head
      const extend = (past: tf.Tensor4D | undefined, fresh: tf.Tensor): tf.Tensor => {
        if (grouped) return past ? tf.concat([whole(past), fresh], 1) : fresh;
        const freshHeads = splitHeads(fresh, config);
        return past ? tf.concat([past, freshHeads], 2) : freshHeads;
      };
      const k = extend(cache?.layers[i].selfKey, newKey);
      const v = extend(cache?.layers[i].selfValue, newValue);
      y = tf.add(y, drop(attend(model, q, k, v, selfBias, grouped, `${selfAtt}.o`, options), options));

      const crossAtt = `${block}.layer.1.EncDecAttention`;
      const normedCross = rmsNorm(y, params[`${block}.layer.1.layer_norm.weight`], config.layer_norm_epsilon);
      const qc = dense(model, normedCross, `${crossAtt}.q`, options);
      y = tf.add(y, drop(attend(model, qc, cross[i].key, cross[i].value, crossBias, grouped, `${crossAtt}.o`, options), options));

      const normedFf = rmsNorm(y, params[`${block}.layer.2.layer_norm.weight`], config.layer_norm_epsilon);
      y = tf.add(y, drop(feedForward(model, normedFf, `${block}.layer.2.DenseReluDense`, options), options));
      if (returnCache) {
        layers.push({
          selfKey: split(k),
          selfValue: split(v),
          crossKey: cache ? cache.layers[i].crossKey : split(cross[i].key),
          crossValue: cache ? cache.layers[i].crossValue : split(cross[i].value),
        });
      }
    }
    const final = drop(rmsNorm(y, params["decoder.final_layer_norm.weight"], config.layer_norm_epsilon), options);
    const logits = lmHead(model, final);
    return { logits: (oneStep ? logits.expandDims(1) : logits) as tf.Tensor3D, cache: { layers, length: keyLength, crossBias: returnCache ? padding : undefined } };
  });
}

/** Logits [batch, target length, vocab] for a whole batch (teacher forcing). */
export function forward(
  model: T5Model,
  inputIds: tf.Tensor,
  attentionMask: tf.Tensor,
  decoderInputIds: tf.Tensor,
  options: RunOptions = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const hidden = encode(model, inputIds, attentionMask, options);
    return decode(model, decoderInputIds, hidden, attentionMask, undefined, { ...options, returnCache: false }).logits;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cache bookkeeping for generation

function cacheTensors(cache: DecoderCache): tf.Tensor[] {
  return [...cache.layers.flatMap((l) => [l.selfKey, l.selfValue, l.crossKey, l.crossValue]), ...(cache.crossBias ? [cache.crossBias] : [])];
}

/** Dispose the tensors of an old cache that the new one does not reuse. */
export function releaseCache(old: DecoderCache, replacement?: DecoderCache): void {
  const kept = new Set(replacement ? cacheTensors(replacement) : []);
  for (const t of new Set(cacheTensors(old))) if (!kept.has(t)) t.dispose();
}

/** A cache whose batch rows are rows `indices` of the given one (beam search reorders beams this way). */
export function reorderCache(cache: DecoderCache, indices: tf.Tensor1D | number[]): DecoderCache {
  return tidyObject(() => {
    const rows = Array.isArray(indices) ? tf.tensor1d(indices, "int32") : indices;
    const pick = (t: tf.Tensor4D) => gatherRows(t, rows) as tf.Tensor4D;
    return {
      length: cache.length,
      layers: cache.layers.map((l) => ({
        selfKey: pick(l.selfKey),
        selfValue: pick(l.selfValue),
        crossKey: pick(l.crossKey),
        crossValue: pick(l.crossValue),
      })),
      crossBias: cache.crossBias ? gatherRows(cache.crossBias, rows) : undefined,
    };
  });
}
