// A T5 encoder-decoder as pure functions of a parameter map, readable top to bottom.
// Follows Hugging Face's T5ForConditionalGeneration (docs/ARCHITECTURE.md, "T5 v1.1 / FLAN-T5 semantics"):
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

/** A T5 model: its config, its parameters by Hugging Face name, and optionally LoRA adapters. */
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

/** Options of one encoder or decoder run. */
export interface RunOptions {
  dropout?: DropoutStream;
  /** decode(): false skips building the returned cache (forward() for training and scoring needs none). */
  returnCache?: boolean;
}

/** Keys and values one decoder layer has seen so far: self-attention grows by one step per token. */
export interface LayerCache {
  selfKey: tf.Tensor4D; // [batch, heads, decoded so far, d_kv]
  selfValue: tf.Tensor4D;
  crossKey: tf.Tensor4D; // [batch, heads, source length, d_kv], computed once from the encoder output
  crossValue: tf.Tensor4D;
}

/** The decoder's KV cache: one LayerCache per decoder layer. */
export interface DecoderCache {
  layers: LayerCache[];
  /** Number of decoder positions already in the cache. */
  length: number;
  /** The cross-attention padding bias [batch, 1, 1, source length] of the attention mask the cache was made with. */
  crossBias?: tf.Tensor;
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

// Hidden states are [batch, length, d_model], or [batch, d_model] in a cached decoding step (one new position):
// there, no product needs a reshape around it and splitting or merging heads moves no data. Each kernel call costs
// microseconds of JavaScript, most of a small model's step (bench/NOTES.md).

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

/** T5's RMS norm with weight `weight`: a sublayer's `layer_norm` or a stack's `final_layer_norm`. */
function norm(model: T5Model, x: tf.Tensor, weight: string): tf.Tensor {
  return rmsNorm(x, model.params[weight], model.config.layer_norm_epsilon);
}

/** The residual connection around a sublayer: hidden + dropout(out). */
function residual(hidden: tf.Tensor, out: tf.Tensor, options: RunOptions): tf.Tensor {
  return tf.add(hidden, drop(out, options));
}

// ---------------------------------------------------------------------------------------------------------------
// Attention biases [batch or 1, heads or 1, queries, keys], added to the scores before the softmax

type Stack = "encoder" | "decoder";

/** Relative position bias [1, heads, queries, keys] from the stack's bucket table (its first layer's). */
function positionBias(model: T5Model, stack: Stack, queryStart: number, queryLength: number, keyLength: number): tf.Tensor {
  const { config, params } = model;
  const buckets = relativePositionBuckets(
    queryStart,
    queryLength,
    keyLength,
    stack === "encoder", // the encoder looks both ways, the decoder only back
    config.relative_attention_num_buckets,
    config.relative_attention_max_distance,
  );
  const table = params[`${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`];
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

// ---------------------------------------------------------------------------------------------------------------
// Attention layouts: how the per-head products are laid out, chosen once per encode or decode call

/** [batch, length, heads * d_kv] or one position's [batch, heads * d_kv] -> [batch, heads, length, d_kv] */
function splitHeads(x: tf.Tensor, config: T5Config): tf.Tensor4D {
  const [batch, length] = x.shape as number[];
  if (x.rank === 2) return x.reshape([batch, config.num_heads, 1, config.d_kv]);
  return x.reshape([batch, length, config.num_heads, config.d_kv]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/** [batch, heads, length, d_kv] -> `shape`: [batch, length, heads * d_kv], or [batch, heads * d_kv] for one position. */
function mergeHeads(x: tf.Tensor, shape: number[]): tf.Tensor {
  const onePosition = x.shape[2] === 1; // the heads are already in order
  return (onePosition ? x : x.transpose([0, 2, 1, 3])).reshape(shape);
}

/** Keys and values of one attention, in the layout its AttentionLayout takes. */
interface KeysValues {
  key: tf.Tensor;
  value: tf.Tensor;
}

/**
 * Where attention keeps keys, values and scores. Queries, and the attention output, are [batch, queries,
 * heads * d_kv] or one position's [batch, heads * d_kv] in every layout; the cache is always split by head.
 */
interface AttentionLayout {
  /** Keys or values as projected, [batch, keys, heads * d_kv] (one position: [batch, heads * d_kv]). */
  fromProjection(x: tf.Tensor): tf.Tensor;
  /** Keys or values from the cache's [batch, heads, keys, d_kv]. */
  fromCache(x: tf.Tensor4D): tf.Tensor;
  /** Keys or values back into the cache's layout. */
  toCache(x: tf.Tensor): tf.Tensor4D;
  /** Cached keys (or values) followed by new ones. */
  append(past: tf.Tensor, fresh: tf.Tensor): tf.Tensor;
  /** A bias [batch or 1, heads or 1, queries, keys] in the layout of the scores. */
  bias(part: tf.Tensor): tf.Tensor;
  /** softmax(q k^T + bias) v per head, before the output projection. No 1/sqrt(d_kv): T5 folds it into the q init. */
  attend(query: tf.Tensor, kv: KeysValues, bias: tf.Tensor, options: RunOptions): tf.Tensor;
}

/** tf.matMul over [batch, heads, ...]: native backends run it well; keys and values are split by head. */
function batchedLayout(config: T5Config): AttentionLayout {
  return {
    fromProjection: (x) => splitHeads(x, config),
    fromCache: (x) => x,
    toCache: (x) => x as tf.Tensor4D,
    append: (past, fresh) => tf.concat([past, fresh], 2),
    bias: (part) => part,
    attend(query, { key, value }, bias, options) {
      const scores = tf.add(tf.matMul(splitHeads(query, config), key, false, true), bias);
      const weights = drop(tf.softmax(scores), options);
      return mergeHeads(tf.matMul(weights, value), query.shape);
    },
  };
}

/**
 * ops.ts's grouped products (much faster on wasm): keys and values stay whole, [batch, keys, heads * d_kv], and
 * scores are [queries, batch, heads, keys].
 */
function groupedLayout(config: T5Config): AttentionLayout {
  const { num_heads: heads, d_kv: dkv } = config;
  return {
    fromProjection: (x) => (x.rank === 2 ? x.expandDims(1) : x),
    fromCache: (x) => mergeHeads(x, [x.shape[0], x.shape[2], innerDim(config)]), // [batch, keys, heads * d_kv]
    toCache: (x) => splitHeads(x, config),
    append: (past, fresh) => tf.concat([past, fresh], 1),
    bias: (part) => part.transpose([2, 0, 1, 3]),
    attend(query, { key, value }, bias, options) {
      const [batch, positions] = query.shape as number[];
      const queries = query.rank === 2 ? 1 : positions;
      const keys = key.shape[1] as number;
      const groups = batch * heads;
      const q = query.reshape([batch, queries, heads, dkv]).transpose([1, 3, 0, 2]).reshape([queries, dkv, groups]) as tf.Tensor3D;
      const k = key.reshape([batch, keys, heads, dkv]).transpose([3, 0, 2, 1]).reshape([dkv, groups, keys]) as tf.Tensor3D;
      const v = value.reshape([batch, keys, heads, dkv]).transpose([1, 0, 2, 3]).reshape([keys, groups, dkv]) as tf.Tensor3D;
      const scores = tf.add(groupedScores(q, k).reshape([queries, batch, heads, keys]), bias);
      const weights = drop(tf.softmax(scores), options).reshape([queries, groups, keys]) as tf.Tensor3D;
      return groupedContext(weights, v).reshape([queries, batch, heads, dkv]).transpose([1, 0, 2, 3]).reshape(query.shape);
    },
  };
}

/** The layout for computing `queryLength` positions at once, as ops.ts's useGroupedAttention decides. */
function attentionLayout(config: T5Config, queryLength: number): AttentionLayout {
  return useGroupedAttention(queryLength) ? groupedLayout(config) : batchedLayout(config);
}

// ---------------------------------------------------------------------------------------------------------------
// Sublayers and blocks

/** Attention module `module` ("...SelfAttention"): query projection in, attention, output projection out. */
function attention(
  model: T5Model,
  module: string,
  query: tf.Tensor,
  kv: KeysValues,
  bias: tf.Tensor,
  layout: AttentionLayout,
  options: RunOptions,
): tf.Tensor {
  return dense(model, layout.attend(query, kv, bias, options), `${module}.o`, options);
}

/**
 * Self-attention sublayer `layer` ("encoder.block.0.layer.0"), after the `past` keys and values when decoding
 * with a cache. Returns the new hidden states and every key and value so far (the decoder caches them).
 */
function selfAttentionLayer(
  model: T5Model,
  layer: string,
  hidden: tf.Tensor,
  bias: tf.Tensor,
  layout: AttentionLayout,
  past: KeysValues | undefined,
  options: RunOptions,
): KeysValues & { hidden: tf.Tensor } {
  const module = `${layer}.SelfAttention`;
  const normed = norm(model, hidden, `${layer}.layer_norm.weight`);
  const query = dense(model, normed, `${module}.q`, options);
  const project = (name: "k" | "v", seen?: tf.Tensor) => {
    const fresh = layout.fromProjection(dense(model, normed, `${module}.${name}`, options));
    return seen ? layout.append(seen, fresh) : fresh;
  };
  const kv = { key: project("k", past?.key), value: project("v", past?.value) };
  return { hidden: residual(hidden, attention(model, module, query, kv, bias, layout, options), options), ...kv };
}

/** Cross-attention sublayer `layer` ("decoder.block.0.layer.1"): decoder queries, the encoder's keys and values. */
function crossAttentionLayer(
  model: T5Model,
  layer: string,
  hidden: tf.Tensor,
  encoded: KeysValues,
  bias: tf.Tensor,
  layout: AttentionLayout,
  options: RunOptions,
): tf.Tensor {
  const module = `${layer}.EncDecAttention`;
  const query = dense(model, norm(model, hidden, `${layer}.layer_norm.weight`), `${module}.q`, options);
  return residual(hidden, attention(model, module, query, encoded, bias, layout, options), options);
}

/** Feed-forward sublayer `layer`: act(x Wi) Wo, or gated act(x Wi_0) * (x Wi_1) Wo (T5 v1.1). */
function feedForwardLayer(model: T5Model, layer: string, hidden: tf.Tensor, options: RunOptions): tf.Tensor {
  const module = `${layer}.DenseReluDense`;
  const x = norm(model, hidden, `${layer}.layer_norm.weight`);
  const kind = feedForwardKind(model.config);
  const inner = kind.gated
    ? activation(kind.activation, dense(model, x, `${module}.wi_0`, options), dense(model, x, `${module}.wi_1`, options))
    : activation(kind.activation, dense(model, x, `${module}.wi`, options));
  return residual(hidden, dense(model, drop(inner, options), `${module}.wo`, options), options);
}

/** Encoder block i: self-attention, feed-forward. */
function encoderBlock(model: T5Model, i: number, hidden: tf.Tensor, bias: tf.Tensor, layout: AttentionLayout, options: RunOptions): tf.Tensor {
  const block = `encoder.block.${i}`;
  const attended = selfAttentionLayer(model, `${block}.layer.0`, hidden, bias, layout, undefined, options).hidden;
  return feedForwardLayer(model, `${block}.layer.1`, attended, options);
}

/** What every decoder block of one decode call shares. */
interface DecoderContext {
  layout: AttentionLayout;
  selfBias: tf.Tensor;
  crossBias: tf.Tensor;
}

/**
 * Decoder block i: causal self-attention (after `past`, the cached keys and values), cross-attention to
 * `encoded`, feed-forward. Returns the new hidden states and the block's self-attention keys and values so far.
 */
function decoderBlock(
  model: T5Model,
  i: number,
  hidden: tf.Tensor,
  encoded: KeysValues,
  past: KeysValues | undefined,
  context: DecoderContext,
  options: RunOptions,
): KeysValues & { hidden: tf.Tensor } {
  const { layout, selfBias, crossBias } = context;
  const block = `decoder.block.${i}`;
  const self = selfAttentionLayer(model, `${block}.layer.0`, hidden, selfBias, layout, past, options);
  const crossed = crossAttentionLayer(model, `${block}.layer.1`, self.hidden, encoded, crossBias, layout, options);
  return { key: self.key, value: self.value, hidden: feedForwardLayer(model, `${block}.layer.2`, crossed, options) };
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
  return tf.tidy(() => {
    const length = inputIds.shape[1] as number;
    const layout = attentionLayout(model.config, length);
    const bias = tf.add(layout.bias(positionBias(model, "encoder", 0, length, length)), layout.bias(paddingBias(attentionMask)));
    let hidden = drop(embed(model.params["shared.weight"], inputIds), options);
    for (let i = 0; i < model.config.num_layers; i++) hidden = encoderBlock(model, i, hidden, bias, layout, options);
    return drop(norm(model, hidden, "encoder.final_layer_norm.weight"), options) as tf.Tensor3D;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Decoder

/** Cross-attention keys and values of every decoder layer, from the encoder output (reused at every step). */
function crossKeysValues(model: T5Model, encoderHidden: tf.Tensor, layout: AttentionLayout, options: RunOptions): KeysValues[] {
  return Array.from({ length: model.config.num_decoder_layers }, (_, i) => {
    const module = `decoder.block.${i}.layer.1.EncDecAttention`;
    const key = layout.fromProjection(dense(model, encoderHidden, `${module}.k`, options));
    return { key, value: layout.fromProjection(dense(model, encoderHidden, `${module}.v`, options)) };
  });
}

/** Self-attention bias of `length` decoder positions from `start`; one new position sees every key: no causal mask. */
function decoderSelfBias(model: T5Model, start: number, length: number, layout: AttentionLayout): tf.Tensor {
  const relative = layout.bias(positionBias(model, "decoder", start, length, start + length));
  return length > 1 ? tf.add(relative, layout.bias(causalBias(start, length, start + length))) : relative;
}

/** Decoder layer i's cache entry after a decode call: the given one's cross-attention tensors, made once, are kept. */
function layerCache(layout: AttentionLayout, self: KeysValues, encoded: KeysValues, past: LayerCache | undefined): LayerCache {
  return {
    selfKey: layout.toCache(self.key),
    selfValue: layout.toCache(self.value),
    crossKey: past ? past.crossKey : layout.toCache(encoded.key),
    crossValue: past ? past.crossValue : layout.toCache(encoded.value),
  };
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

/** What decode() returns: logits of the new positions and the extended cache. */
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
  if (encoderHidden.shape[0] !== decoderInputIds.shape[0]) {
    throw new Error(`decoderInputIds has batch ${decoderInputIds.shape[0]} but the encoder output has ${encoderHidden.shape[0]}.`);
  }
  return tidyObject((): DecodeResult => {
    const start = cache ? cache.length : 0;
    const length = decoderInputIds.shape[1] as number;
    const layout = attentionLayout(model.config, length);
    const padding = cache?.crossBias ?? paddingBias(attentionMask);
    const context = { layout, selfBias: decoderSelfBias(model, start, length, layout), crossBias: layout.bias(padding) };
    const fromCache = (key: tf.Tensor4D, value: tf.Tensor4D) => ({ key: layout.fromCache(key), value: layout.fromCache(value) });
    const encoded = cache ? cache.layers.map((l) => fromCache(l.crossKey, l.crossValue)) : crossKeysValues(model, encoderHidden, layout, options);
    const returnCache = options.returnCache ?? true;
    const layers: LayerCache[] = [];
    // one new position after a cache (generation): states [batch, d_model], see "Building blocks"
    const oneStep = cache !== undefined && length === 1;
    let hidden = drop(embed(model.params["shared.weight"], oneStep ? decoderInputIds.reshape([-1]) : decoderInputIds), options);
    for (let i = 0; i < model.config.num_decoder_layers; i++) {
      const past = cache && fromCache(cache.layers[i].selfKey, cache.layers[i].selfValue);
      const out = decoderBlock(model, i, hidden, encoded[i], past, context, options);
      hidden = out.hidden;
      if (returnCache) layers.push(layerCache(layout, out, encoded[i], cache?.layers[i]));
    }
    const logits = lmHead(model, drop(norm(model, hidden, "decoder.final_layer_norm.weight"), options));
    return {
      logits: (oneStep ? logits.expandDims(1) : logits) as tf.Tensor3D,
      cache: { layers, length: start + length, crossBias: returnCache ? padding : undefined },
    };
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
