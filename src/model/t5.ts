// A T5 encoder-decoder as pure functions of a parameter map, readable top to bottom.
// Follows Hugging Face's T5ForConditionalGeneration (see DESIGN.md, "T5 v1.1 / FLAN-T5 semantics"):
// pre-norm residual blocks, RMS norm, no attention scaling, relative position bias from the first layer of each
// stack, gated-GELU or ReLU feed-forward, lm_head untied (FLAN-T5) or tied with a d_model^-0.5 scale (T5).
import * as tf from "@tensorflow/tfjs";
import { T5Config, feedForwardKind, innerDim } from "./config";
import { activation, embed, linear, rmsNorm, tidyObject } from "./ops";
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
}

// ---------------------------------------------------------------------------------------------------------------
// Attention

/** [batch, length, heads * d_kv] -> [batch, heads, length, d_kv] */
function splitHeads(x: tf.Tensor, config: T5Config): tf.Tensor4D {
  const [batch, length] = x.shape;
  return x.reshape([batch, length, config.num_heads, config.d_kv]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/** [batch, heads, length, d_kv] -> [batch, length, heads * d_kv] */
function mergeHeads(x: tf.Tensor, config: T5Config): tf.Tensor {
  const [batch, , length] = x.shape;
  return x.transpose([0, 2, 1, 3]).reshape([batch, length, innerDim(config)]);
}

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

function project(model: T5Model, x: tf.Tensor, module: string, options: RunOptions): tf.Tensor4D {
  return splitHeads(dense(model, x, module, options), model.config);
}

/** softmax(q k^T + bias) v, then the output projection `output`. No 1/sqrt(d_kv): T5 folds it into the q init. */
function attend(
  model: T5Model,
  query: tf.Tensor4D,
  key: tf.Tensor4D,
  value: tf.Tensor4D,
  bias: tf.Tensor,
  output: string,
  options: RunOptions,
): tf.Tensor {
  const scores = tf.add(tf.matMul(query, key, false, true), bias);
  const weights = drop(tf.softmax(scores), options);
  return dense(model, mergeHeads(tf.matMul(weights, value), model.config), output, options);
}

// ---------------------------------------------------------------------------------------------------------------
// Feed-forward

function feedForward(model: T5Model, x: tf.Tensor, prefix: string, options: RunOptions): tf.Tensor {
  const kind = feedForwardKind(model.config);
  const hidden = kind.gated
    ? tf.mul(activation(kind.activation, dense(model, x, `${prefix}.wi_0`, options)), dense(model, x, `${prefix}.wi_1`, options))
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
  const { config, params } = model;
  return tf.tidy(() => {
    const length = inputIds.shape[1] as number;
    const bias = tf.add(
      positionBias(params["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], 0, length, length, true, config),
      paddingBias(attentionMask),
    );
    let h = drop(embed(params["shared.weight"], inputIds), options);
    for (let i = 0; i < config.num_layers; i++) {
      const block = `encoder.block.${i}`;
      const att = `${block}.layer.0.SelfAttention`;
      const normed = rmsNorm(h, params[`${block}.layer.0.layer_norm.weight`], config.layer_norm_epsilon);
      const q = project(model, normed, `${att}.q`, options);
      const k = project(model, normed, `${att}.k`, options);
      const v = project(model, normed, `${att}.v`, options);
      h = tf.add(h, drop(attend(model, q, k, v, bias, `${att}.o`, options), options));
      const normedFf = rmsNorm(h, params[`${block}.layer.1.layer_norm.weight`], config.layer_norm_epsilon);
      h = tf.add(h, drop(feedForward(model, normedFf, `${block}.layer.1.DenseReluDense`, options), options));
    }
    return drop(rmsNorm(h, params["encoder.final_layer_norm.weight"], config.layer_norm_epsilon), options) as tf.Tensor3D;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Decoder

/** Cross-attention keys and values of every decoder layer, from the encoder output (reused at every step). */
function crossKeysValues(model: T5Model, encoderHidden: tf.Tensor, options: RunOptions): Pick<LayerCache, "crossKey" | "crossValue">[] {
  const out = [];
  for (let i = 0; i < model.config.num_decoder_layers; i++) {
    const att = `decoder.block.${i}.layer.1.EncDecAttention`;
    out.push({
      crossKey: project(model, encoderHidden, `${att}.k`, options),
      crossValue: project(model, encoderHidden, `${att}.v`, options),
    });
  }
  return out;
}

/** Final decoder states -> vocabulary logits. */
function lmHead(model: T5Model, hidden: tf.Tensor): tf.Tensor {
  const { config, params } = model;
  if (config.tie_word_embeddings) {
    return linear(tf.mul(hidden, config.d_model ** -0.5), tf.transpose(params["shared.weight"]));
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
  const { config, params } = model;
  if (encoderHidden.shape[0] !== decoderInputIds.shape[0]) {
    throw new Error(`decoderInputIds has batch ${decoderInputIds.shape[0]} but the encoder output has ${encoderHidden.shape[0]}.`);
  }
  return tidyObject((): DecodeResult => {
    const start = cache ? cache.length : 0;
    const length = decoderInputIds.shape[1] as number;
    const keyLength = start + length;
    const selfBias = tf.add(
      positionBias(params["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], start, length, keyLength, false, config),
      causalBias(start, length, keyLength),
    );
    const crossBias = paddingBias(attentionMask);
    const cross = cache ? cache.layers : crossKeysValues(model, encoderHidden, options);
    const layers: LayerCache[] = [];
    let y = drop(embed(params["shared.weight"], decoderInputIds), options);
    for (let i = 0; i < config.num_decoder_layers; i++) {
      const block = `decoder.block.${i}`;
      const selfAtt = `${block}.layer.0.SelfAttention`;
      const normed = rmsNorm(y, params[`${block}.layer.0.layer_norm.weight`], config.layer_norm_epsilon);
      const q = project(model, normed, `${selfAtt}.q`, options);
      let k = project(model, normed, `${selfAtt}.k`, options);
      let v = project(model, normed, `${selfAtt}.v`, options);
      if (cache) {
        k = tf.concat([cache.layers[i].selfKey, k], 2);
        v = tf.concat([cache.layers[i].selfValue, v], 2);
      }
      y = tf.add(y, drop(attend(model, q, k, v, selfBias, `${selfAtt}.o`, options), options));

      const crossAtt = `${block}.layer.1.EncDecAttention`;
      const normedCross = rmsNorm(y, params[`${block}.layer.1.layer_norm.weight`], config.layer_norm_epsilon);
      const qc = project(model, normedCross, `${crossAtt}.q`, options);
      const { crossKey, crossValue } = cross[i];
      y = tf.add(y, drop(attend(model, qc, crossKey, crossValue, crossBias, `${crossAtt}.o`, options), options));

      const normedFf = rmsNorm(y, params[`${block}.layer.2.layer_norm.weight`], config.layer_norm_epsilon);
      y = tf.add(y, drop(feedForward(model, normedFf, `${block}.layer.2.DenseReluDense`, options), options));
      layers.push({ selfKey: k, selfValue: v, crossKey, crossValue });
    }
    const final = drop(rmsNorm(y, params["decoder.final_layer_norm.weight"], config.layer_norm_epsilon), options);
    return { logits: lmHead(model, final) as tf.Tensor3D, cache: { layers, length: keyLength } };
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
    return decode(model, decoderInputIds, hidden, attentionMask, undefined, options).logits;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cache bookkeeping for generation

function cacheTensors(cache: DecoderCache): tf.Tensor[] {
  return cache.layers.flatMap((l) => [l.selfKey, l.selfValue, l.crossKey, l.crossValue]);
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
    const pick = (t: tf.Tensor4D) => tf.gather(t, rows) as tf.Tensor4D;
    return {
      length: cache.length,
      layers: cache.layers.map((l) => ({
        selfKey: pick(l.selfKey),
        selfValue: pick(l.selfValue),
        crossKey: pick(l.crossKey),
        crossValue: pick(l.crossValue),
      })),
    };
  });
}
