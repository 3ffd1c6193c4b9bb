// The model configs the benchmark measures, and the batch shapes it trains them on.
import * as fs from "fs";
import { PACKAGE_ROOT } from "../paths";
import * as path from "path";
import { T5Config, makeConfig } from "../../model/config";
import { flanlabTinyConfig } from "../base-model";
import { publicT5Config } from "../../model/public-configs";

/** Random training batches: each row's source and target lengths drawn uniformly from these ranges. */
export interface BatchShape {
  size: number;
  sourceMin: number;
  sourceMax: number;
  targetMin: number;
  targetMax: number;
}

export interface BenchModel {
  name: string;
  /** Where the shape comes from, in words. */
  origin: string;
  config: T5Config;
  batch: BatchShape;
  /** Training steps: discarded warm-up, then measured. */
  warmupSteps: number;
  steps: number;
  /** Generation: source tokens per row, new tokens, batch sizes; uncached runs only for batches up to this size. */
  generation: { sourceLength: number; newTokens: number; batches: number[]; uncachedUpTo: number };
}

/** The speed probe of the project's first speed study: T5 v1.1-like 2+2 layers, d_model 128, tied head, batch 16. */
const PROBE: Partial<T5Config> = {
  vocab_size: 4096,
  d_model: 128,
  d_kv: 32,
  num_heads: 4,
  d_ff: 512,
  num_layers: 2,
  num_decoder_layers: 2,
  feed_forward_proj: "gated-gelu",
  tie_word_embeddings: true,
  dropout_rate: 0,
};

const PROBE_BATCH: BatchShape = { size: 16, sourceMin: 64, sourceMax: 128, targetMin: 16, targetMax: 32 };

/** A stand-in for the planned new base model (~7.4 M parameters): the probe's layout at d_model 256, 4+4 layers. */
const BASE_256: Partial<T5Config> = { ...PROBE, d_model: 256, d_kv: 64, d_ff: 512, num_layers: 4, num_decoder_layers: 4 };

/** The bench's models, smallest first. */
export const BENCH_MODELS = ["probe", "flanlab-tiny", "flanlab-mini", "base-256", "t5-small"] as const;

/** A committed model's shape (models/<name>/config.json) with random weights, or `fallback` when the folder is missing. */
function committedShape(name: string, root: string, fallback: () => Partial<T5Config>): { fields: Partial<T5Config>; origin: string } {
  const file = path.join(root, "models", name, "config.json");
  if (!fs.existsSync(file)) return { fields: fallback(), origin: `default shape (models/${name}/ not found), random weights` };
  return { fields: JSON.parse(fs.readFileSync(file, "utf8")) as Partial<T5Config>, origin: `models/${name}/config.json, random weights` };
}

/** A named bench model; `root` is the project folder (for models/<name>/config.json). */
export function benchModel(name: string, root = PACKAGE_ROOT): BenchModel {
  const generation = { sourceLength: 32, newTokens: 64, batches: [1, 32], uncachedUpTo: 32 };
  switch (name) {
    case "probe":
      return { name, origin: "speed probe (2+2 layers, d_model 128, vocabulary 4096)", config: makeConfig(PROBE, name), batch: PROBE_BATCH, warmupSteps: 3, steps: 15, generation };
    case "flanlab-tiny":
    case "flanlab-mini": {
      const { fields, origin } = committedShape(name, root, () => {
        if (name === "flanlab-tiny") return flanlabTinyConfig(4096);
        throw new Error(`bench: models/${name}/config.json not found under ${root}`);
      });
      return { name, origin, config: makeConfig({ ...fields, dropout_rate: 0 }, name), batch: PROBE_BATCH, warmupSteps: 3, steps: 15, generation };
    }
    case "base-256":
      return { name, origin: "stand-in for the planned base (4+4 layers, d_model 256, vocabulary 4096)", config: makeConfig(BASE_256, name), batch: PROBE_BATCH, warmupSteps: 1, steps: 6, generation: { ...generation, uncachedUpTo: 1 } };
    case "t5-small":
      return {
        name,
        origin: "t5-small's config.json, random weights",
        config: makeConfig({ ...publicT5Config("t5-small")!, dropout_rate: 0 }, name),
        batch: { ...PROBE_BATCH, size: 4 }, // 8 brings the wasm heap to ~3.9 of its 4 GiB
        warmupSteps: 1,
        steps: 4,
        generation: { ...generation, uncachedUpTo: 1 },
      };
    default:
      throw new Error(`bench: unknown model "${name}". Choices: ${BENCH_MODELS.join(", ")}.`);
  }
}
