// The architecture of the older base model, models/flanlab-tiny (the tests and the bench still use it; the notebooks fine-tune
// models/flanlab-mini): scripts/train-base.ts trains it, the bench measures its shape when the folder is missing.
import { T5Config, makeConfig } from "../model/config";

/**
 * T5 v1.1 (gated-GELU, untied head), sized for a laptop core: measured on wasm, d_model 64 trains at ~6,700
 * tokens/s and d_model 128 at ~3,100, and a feasibility study in PyTorch (docs/ARCHITECTURE.md) found d_model 64 enough to learn the
 * base tasks in 3,000 steps.
 */
export function flanlabTinyConfig(vocabSize: number): T5Config {
  return makeConfig(
    {
      vocab_size: vocabSize,
      d_model: 64,
      d_kv: 16,
      num_heads: 4,
      d_ff: 128,
      num_layers: 2,
      num_decoder_layers: 2,
      relative_attention_num_buckets: 32,
      relative_attention_max_distance: 128,
      feed_forward_proj: "gated-gelu",
      tie_word_embeddings: false,
      dropout_rate: 0.0,
    },
    "flanlab-tiny",
  );
}
