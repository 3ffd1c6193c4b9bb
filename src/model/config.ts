// T5Config: the fields of a Hugging Face T5 config.json, with their defaults, and the derived facts the model needs.

/** The feed-forward kinds of config.json's feed_forward_proj (gated-gelu for FLAN-T5, relu for T5). */
export type FeedForwardProj = "relu" | "gated-gelu" | "gelu" | "gated-relu" | "gated-silu" | "silu";

/** The fields of a Hugging Face T5 config.json that flanlab reads (and writes back). */
export interface T5Config {
  model_type?: string;
  vocab_size: number;
  d_model: number;
  d_kv: number;
  d_ff: number;
  num_layers: number;
  num_decoder_layers: number;
  num_heads: number;
  relative_attention_num_buckets: number;
  relative_attention_max_distance: number;
  dropout_rate: number;
  layer_norm_epsilon: number;
  initializer_factor: number;
  feed_forward_proj: string;
  tie_word_embeddings: boolean;
  pad_token_id: number;
  eos_token_id: number;
  decoder_start_token_id: number;
  /** Any other field of config.json is kept, so that saving writes it back. */
  [extra: string]: unknown;
}

/** Defaults of transformers' T5Config (a config.json may omit any of these). */
export const T5_DEFAULTS: T5Config = {
  model_type: "t5",
  vocab_size: 32128,
  d_model: 512,
  d_kv: 64,
  d_ff: 2048,
  num_layers: 6,
  num_decoder_layers: 6,
  num_heads: 8,
  relative_attention_num_buckets: 32,
  relative_attention_max_distance: 128,
  dropout_rate: 0.1,
  layer_norm_epsilon: 1e-6,
  initializer_factor: 1.0,
  feed_forward_proj: "relu",
  tie_word_embeddings: true,
  pad_token_id: 0,
  eos_token_id: 1,
  decoder_start_token_id: 0,
};

const POSITIVE_INTEGER_FIELDS = [
  "vocab_size",
  "d_model",
  "d_kv",
  "d_ff",
  "num_layers",
  "num_decoder_layers",
  "num_heads",
  "relative_attention_num_buckets",
  "relative_attention_max_distance",
] as const;

/** The activation of the feed-forward block and whether it is gated (wi_0, wi_1) as T5 v1.1 is. */
export interface FeedForwardKind {
  activation: "relu" | "gelu_new" | "silu";
  gated: boolean;
}

export function feedForwardKind(config: T5Config): FeedForwardKind {
  const spec = config.feed_forward_proj;
  const gated = spec.startsWith("gated-");
  const act = gated ? spec.slice("gated-".length) : spec;
  // transformers maps "gated-gelu" to gelu_new (the tanh approximation); plain "gelu" in T5 means the same here.
  if (act === "relu") return { activation: "relu", gated };
  if (act === "gelu" || act === "gelu_new") return { activation: "gelu_new", gated };
  if (act === "silu") return { activation: "silu", gated };
  throw new Error(`config.feed_forward_proj="${spec}" is not supported (use relu, gated-gelu, gated-relu, gated-silu).`);
}

/** Fill defaults, check types and ranges; `source` names the file in error messages. */
export function makeConfig(partial: Partial<T5Config>, source = "config"): T5Config {
  const config = { ...T5_DEFAULTS, ...partial } as T5Config;
  if (partial.num_decoder_layers === undefined && partial.num_layers !== undefined) {
    config.num_decoder_layers = partial.num_layers; // as transformers does
  }
  for (const field of POSITIVE_INTEGER_FIELDS) {
    const value = config[field];
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${source}: field "${field}" must be a positive integer, got ${JSON.stringify(value)}.`);
    }
  }
  if (!(config.dropout_rate >= 0 && config.dropout_rate < 1)) {
    throw new Error(`${source}: field "dropout_rate" must be in [0, 1), got ${JSON.stringify(config.dropout_rate)}.`);
  }
  if (!(config.layer_norm_epsilon > 0)) {
    throw new Error(`${source}: field "layer_norm_epsilon" must be > 0, got ${JSON.stringify(config.layer_norm_epsilon)}.`);
  }
  feedForwardKind(config); // throws on an unknown feed_forward_proj
  return config;
}

/** Inner width of attention: heads x d_kv (equals d_model in the released checkpoints, but need not). */
export function innerDim(config: T5Config): number {
  return config.num_heads * config.d_kv;
}
