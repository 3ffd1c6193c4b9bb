// Shared test helpers: the backends model tests run on, fixture loading, a tiny random config.
import * as fs from "fs";
import * as path from "path";
import { initBackend } from "../src/backend";
import { T5Config, makeConfig } from "../src/model/config";

/** The model tests run on wasm (the default) and cpu (tfjs's reference kernels). */
export const TEST_BACKENDS = ["wasm", "cpu"] as const;

export async function useBackend(name: string): Promise<void> {
  await initBackend(name);
}

export const FIXTURES = path.join(__dirname, "fixtures");
export const T5_FIXTURES = path.join(FIXTURES, "t5-reference");

export interface ReferenceCase {
  case: string;
  input_ids: number[][];
  attention_mask: number[][];
  labels: number[][];
  decoder_input_ids: number[][];
  logits: number[][][];
  loss: number;
  greedy_10: number[][];
}

export function referenceCases(name: string, file = "expected.json"): ReferenceCase[] {
  return JSON.parse(fs.readFileSync(path.join(T5_FIXTURES, name, file), "utf8"));
}

/** A small random T5 v1.1 config for fast tests. */
export function tinyConfig(overrides: Partial<T5Config> = {}): T5Config {
  return makeConfig({
    vocab_size: 40,
    d_model: 16,
    d_kv: 4,
    num_heads: 4,
    d_ff: 24,
    num_layers: 2,
    num_decoder_layers: 2,
    relative_attention_num_buckets: 8,
    relative_attention_max_distance: 16,
    feed_forward_proj: "gated-gelu",
    tie_word_embeddings: false,
    dropout_rate: 0,
    ...overrides,
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(require("os").tmpdir(), `flanlab-${prefix}-`));
}
