// The shapes considered for the lab's miniature FLAN-T5 (issue 14): T5 v1.1 / FLAN-T5 architecture (gated-GELU,
// untied head, relative position buckets), a few million parameters. They are compared at equal compute before one
// is pretrained in full (scripts/base-compare-shapes.ts).
import { T5Config, makeConfig } from "../../model/config";

/** Architecture fields of one candidate shape (vocabulary size and the rest are filled in by baseShapeConfig). */
export interface BaseShape {
  d_model: number;
  num_heads: number;
  d_kv: number;
  d_ff: number;
  num_layers: number;
  num_decoder_layers: number;
}

/** The candidate shapes, by name: width x encoder+decoder layers. */
export const BASE_SHAPES: Record<string, BaseShape> = {
  "w96-l3": { d_model: 96, num_heads: 3, d_kv: 32, d_ff: 256, num_layers: 3, num_decoder_layers: 3 },
  "w128-l4": { d_model: 128, num_heads: 4, d_kv: 32, d_ff: 384, num_layers: 4, num_decoder_layers: 4 },
  "w192-l4": { d_model: 192, num_heads: 6, d_kv: 32, d_ff: 512, num_layers: 4, num_decoder_layers: 4 },
  "w256-l3": { d_model: 256, num_heads: 8, d_kv: 32, d_ff: 704, num_layers: 3, num_decoder_layers: 3 },
};

/** The T5Config of a named shape for a vocabulary (sentinels included). */
export function baseShapeConfig(shape: string, vocabSize: number, name = `flanlab-${shape}`): T5Config {
  const fields = BASE_SHAPES[shape];
  if (!fields) throw new Error(`unknown base shape "${shape}"; known shapes: ${Object.keys(BASE_SHAPES).join(", ")}.`);
  return makeConfig(
    {
      ...fields,
      vocab_size: vocabSize,
      relative_attention_num_buckets: 32,
      relative_attention_max_distance: 128,
      feed_forward_proj: "gated-gelu",
      tie_word_embeddings: false,
      dropout_rate: 0.0,
    },
    name,
  );
}
