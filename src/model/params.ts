// The parameter map: Hugging Face state-dict names -> tensors. Linear weights are [in, out] in memory
// (disk keeps PyTorch's [out, in]; see io/checkpoint.ts), so every product is an untransposed x @ W.
import * as tf from "@tensorflow/tfjs";
import { T5Config, feedForwardKind, innerDim } from "./config";
import { normalSeed } from "../random";

/** A model's weights by their Hugging Face names ("encoder.block.0.layer.0.SelfAttention.q.weight"), linear weights as [in, out]. */
export type ParamMap = Record<string, tf.Tensor>;

/** A linear layer's weight (transposed between disk and memory), as opposed to embeddings and norm scales. */
export function isLinearWeight(name: string): boolean {
  return /(^lm_head|\.(q|k|v|o|wi|wi_0|wi_1|wo)(\.lora_[AB])?)\.weight$/.test(name);
}

export interface ParamSpec {
  shape: number[];
  /** Standard deviation of the normal init (Hugging Face's T5PreTrainedModel._init_weights), 0 = ones (norms). */
  initStd: number;
}

function attentionSpecs(prefix: string, config: T5Config, withBias: boolean): [string, ParamSpec][] {
  const f = config.initializer_factor;
  const inner = innerDim(config);
  const d = config.d_model;
  const specs: [string, ParamSpec][] = [
    [`${prefix}.q.weight`, { shape: [d, inner], initStd: f * (d * config.d_kv) ** -0.5 }],
    [`${prefix}.k.weight`, { shape: [d, inner], initStd: f * d ** -0.5 }],
    [`${prefix}.v.weight`, { shape: [d, inner], initStd: f * d ** -0.5 }],
    [`${prefix}.o.weight`, { shape: [inner, d], initStd: f * inner ** -0.5 }],
  ];
  if (withBias) {
    specs.push([
      `${prefix}.relative_attention_bias.weight`,
      { shape: [config.relative_attention_num_buckets, config.num_heads], initStd: f * d ** -0.5 },
    ]);
  }
  return specs;
}

function feedForwardSpecs(prefix: string, config: T5Config): [string, ParamSpec][] {
  const f = config.initializer_factor;
  const d = config.d_model;
  const inStd = f * d ** -0.5;
  const wi: [string, ParamSpec][] = feedForwardKind(config).gated
    ? [
        [`${prefix}.wi_0.weight`, { shape: [d, config.d_ff], initStd: inStd }],
        [`${prefix}.wi_1.weight`, { shape: [d, config.d_ff], initStd: inStd }],
      ]
    : [[`${prefix}.wi.weight`, { shape: [d, config.d_ff], initStd: inStd }]];
  return [...wi, [`${prefix}.wo.weight`, { shape: [config.d_ff, d], initStd: f * config.d_ff ** -0.5 }]];
}

const norm = (name: string, d: number): [string, ParamSpec] => [name, { shape: [d], initStd: 0 }];

/** Every parameter a T5 of this config has, in a stable order, with in-memory shapes. */
export function parameterSpecs(config: T5Config): Map<string, ParamSpec> {
  const d = config.d_model;
  const specs: [string, ParamSpec][] = [["shared.weight", { shape: [config.vocab_size, d], initStd: config.initializer_factor }]];
  for (let i = 0; i < config.num_layers; i++) {
    const block = `encoder.block.${i}`;
    specs.push(...attentionSpecs(`${block}.layer.0.SelfAttention`, config, i === 0));
    specs.push(norm(`${block}.layer.0.layer_norm.weight`, d));
    specs.push(...feedForwardSpecs(`${block}.layer.1.DenseReluDense`, config));
    specs.push(norm(`${block}.layer.1.layer_norm.weight`, d));
  }
  specs.push(norm("encoder.final_layer_norm.weight", d));
  for (let i = 0; i < config.num_decoder_layers; i++) {
    const block = `decoder.block.${i}`;
    specs.push(...attentionSpecs(`${block}.layer.0.SelfAttention`, config, i === 0));
    specs.push(norm(`${block}.layer.0.layer_norm.weight`, d));
    specs.push(...attentionSpecs(`${block}.layer.1.EncDecAttention`, config, false));
    specs.push(norm(`${block}.layer.1.layer_norm.weight`, d));
    specs.push(...feedForwardSpecs(`${block}.layer.2.DenseReluDense`, config));
    specs.push(norm(`${block}.layer.2.layer_norm.weight`, d));
  }
  specs.push(norm("decoder.final_layer_norm.weight", d));
  if (!config.tie_word_embeddings) {
    // std d_model^-0.5 (Mesh TensorFlow's T5 v1.1 choice), not Hugging Face's 1.0: with 1.0 the logits start with
    // std sqrt(d_model) and a fresh d_model-128 model starts at loss ~41 instead of ~ln(vocab) = 8.3 (measured).
    specs.push(["lm_head.weight", { shape: [d, config.vocab_size], initStd: config.initializer_factor * d ** -0.5 }]);
  }
  return new Map(specs);
}

/** Number of parameters of a config, without building any tensor. */
export function countParameters(config: T5Config): number {
  let total = 0;
  for (const spec of parameterSpecs(config).values()) total += spec.shape.reduce((a, b) => a * b, 1);
  return total;
}

/** A freshly initialised parameter map, reproducible for a given seed. */
export function initParams(config: T5Config, seed = 0): ParamMap {
  const params: ParamMap = {};
  let index = 0;
  for (const [name, spec] of parameterSpecs(config)) {
    params[name] =
      spec.initStd === 0 ? tf.ones(spec.shape) : tf.randomNormal(spec.shape, 0, spec.initStd, "float32", normalSeed(seed * 100003 + index));
    index++;
  }
  return params;
}

/** Check a parameter map against a config: every tensor present, with the right shape; names the culprit. */
export function checkParams(params: ParamMap, config: T5Config, source = "parameters"): void {
  const specs = parameterSpecs(config);
  const missing = [...specs.keys()].filter((name) => !(name in params));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(", ") + (missing.length > 5 ? `, ... (${missing.length} in all)` : "");
    throw new Error(`${source}: missing tensor(s) ${shown} that the config requires.`);
  }
  for (const [name, spec] of specs) {
    const actual = params[name].shape;
    if (actual.length !== spec.shape.length || actual.some((n, i) => n !== spec.shape[i])) {
      throw new Error(
        `${source}: tensor "${name}" has shape [${actual}] but the config implies [${spec.shape}] ` +
          `(in-memory [in, out] layout).`,
      );
    }
  }
}

/** Free every tensor of a parameter map. */
export function disposeParams(params: ParamMap): void {
  for (const tensor of Object.values(params)) tensor.dispose();
}
