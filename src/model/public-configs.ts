// The public T5 and FLAN-T5 checkpoints flanlab knows by short name: where each lives on the Hugging Face Hub and,
// for the sizes flanlab can train, the architecture fields of its config.json (the rest are T5Config defaults).
// The CLI's --config, the memory table and the Hub resolver all read this one table.
import { T5Config, makeConfig } from "./config";

/** A public checkpoint: its Hub repository and, where known, its architecture. */
export interface PublicT5Model {
  repo: string;
  config?: Partial<T5Config>;
}

/**
 * Short names people type. The original T5 checkpoints moved to google-t5/ (the Hub redirects the old names); Python
 * caches made before that hold them as models--t5-small, which the Hub resolver looks at too.
 */
export const PUBLIC_T5_MODELS: Record<string, PublicT5Model> = {
  "t5-small": {
    repo: "google-t5/t5-small",
    config: { d_model: 512, d_kv: 64, d_ff: 2048, num_layers: 6, num_decoder_layers: 6, num_heads: 8, feed_forward_proj: "relu", tie_word_embeddings: true, vocab_size: 32128 },
  },
  "t5-base": { repo: "google-t5/t5-base" },
  "t5-large": { repo: "google-t5/t5-large" },
  "flan-t5-small": {
    repo: "google/flan-t5-small",
    config: { d_model: 512, d_kv: 64, d_ff: 1024, num_layers: 8, num_decoder_layers: 8, num_heads: 6, feed_forward_proj: "gated-gelu", tie_word_embeddings: false, vocab_size: 32128 },
  },
  "flan-t5-base": {
    repo: "google/flan-t5-base",
    config: { d_model: 768, d_kv: 64, d_ff: 2048, num_layers: 12, num_decoder_layers: 12, num_heads: 12, feed_forward_proj: "gated-gelu", tie_word_embeddings: false, vocab_size: 32128 },
  },
  "flan-t5-large": {
    repo: "google/flan-t5-large",
    config: { d_model: 1024, d_kv: 64, d_ff: 2816, num_layers: 24, num_decoder_layers: 24, num_heads: 16, feed_forward_proj: "gated-gelu", tie_word_embeddings: false, vocab_size: 32128 },
  },
  "flan-t5-xl": { repo: "google/flan-t5-xl" },
  "flan-t5-xxl": { repo: "google/flan-t5-xxl" },
};

/** The architecture fields of the public checkpoints whose config flanlab knows, by short name. */
export const PUBLIC_T5_CONFIGS: Record<string, Partial<T5Config>> = Object.fromEntries(
  Object.entries(PUBLIC_T5_MODELS).flatMap(([name, model]) => (model.config ? [[name, model.config]] : [])),
);

/** The config of a public checkpoint by name ("flan-t5-base", also "google/flan-t5-base"), or undefined. */
export function publicT5Config(name: string): T5Config | undefined {
  const key = name.replace(/^(google|google-t5)\//, "");
  const fields = PUBLIC_T5_CONFIGS[key];
  return fields ? makeConfig({ ...fields, _name_or_path: key }, key) : undefined;
}
