// The name of a fine-tuning run in the run cache: the sha256 of everything that decides its weights. A run is
// deterministic for a seed on a backend (trainer.ts), so equal ingredients mean equal weights: the base (its
// weights and tokenizer), the records and how they are mixed and rendered, the recipe with its defaults filled in,
// the backend (float rounding differs between backends), and the library (its version, the cache's format and a
// hash of its training code, so that an edit of that code never reuses a run trained before it).
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { Mixture, mixtureShares } from "../data/mixtures";
import { trainingTemplates } from "../data/templates";
import { fileSha256, jsonSha256, modelHash, tokenizerHash } from "../io/content-hash";
import { Tokenizer } from "../io/tokenizer";
import { makeLoraConfig } from "../model/lora";
import { T5Model } from "../model/t5";
import { FineTuneOptions } from "./finetune";
import { libraryVersion } from "./trainer";

/** Bump when an entry's layout or the ingredients' meaning changes: every older entry is then ignored. */
export const CACHE_FORMAT = 1;

/** What a cached run is a function of; its sha256 (canonical JSON) is the run's key. */
export interface RunIngredients {
  format: number;
  library: { flanlab: string; tfjs: string; code: string };
  backend: string;
  base: { model: string; tokenizer: string };
  data: MixtureFingerprint;
  recipe: Record<string, unknown>;
}

/** A mixture as its sampler sees it: its name (it seeds the task choice) and each task's share, rendering and records. */
export interface MixtureFingerprint {
  mixture: string;
  shares: { task: string; proportion: number; templates: unknown[]; maxInputTokens: number; maxTargetTokens: number; records: number; recordsSha256: string }[];
}

/** The data of a run: what MixtureSampler draws from (nesting and rate functions reduce to the shares). */
export function mixtureFingerprint(mixture: Mixture): MixtureFingerprint {
  return {
    mixture: mixture.name,
    shares: mixtureShares(mixture).map(({ task, proportion, records }) => ({
      task: task.name,
      proportion,
      templates: trainingTemplates(task),
      maxInputTokens: task.maxInputTokens,
      maxTargetTokens: task.maxTargetTokens,
      records: records.length,
      recordsSha256: jsonSha256(records),
    })),
  };
}

/** Options that never change the weights: reporting and the run folder's housekeeping. */
const NOT_IN_KEY = ["progress", "onPrepared", "describe", "logEvery", "saveEvery", "keepCheckpoints", "tokenizerFolder", "resume"] as const;

/**
 * The options that decide the weights, with the defaults the pipeline documents filled in: the LoRA config
 * completed by PEFT's defaults (none for full fine-tuning), the dropout rate of the model's config. Every other
 * option counts as given, so a new option changes keys rather than being ignored.
 */
export function recipeFingerprint(options: FineTuneOptions, base: T5Model): Record<string, unknown> {
  const recipe: Record<string, unknown> = { ...options };
  for (const field of NOT_IN_KEY) delete recipe[field];
  recipe.lora = options.method === "lora" ? makeLoraConfig(options.lora) : undefined;
  recipe.dropoutRate = options.dropoutRate ?? base.config.dropout_rate;
  return recipe;
}

/** Source files of the library areas that training runs (core, data, model, io, train), as this process runs them (.ts or .js). */
function trainingCodeFiles(): string[] {
  const root = path.join(__dirname, "..");
  const extension = path.extname(__filename);
  const isCode = (name: string) => name.endsWith(extension) && !name.endsWith(`.d${extension}`);
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : isCode(entry.name) ? [full] : [];
    });
  const core = fs.readdirSync(root).filter((name) => isCode(name) && !/^(cli|index)\./.test(name)).map((name) => path.join(root, name));
  return [...core, ...["data", "model", "io", "train"].flatMap((area) => walk(path.join(root, area)))].sort();
}

let codeHash: string | undefined;

/** The sha256 of the library's training code, computed once per process. */
export function trainingCodeHash(): string {
  codeHash ??= jsonSha256(trainingCodeFiles().map((file) => [path.relative(path.join(__dirname, ".."), file), fileSha256(file)]));
  return codeHash;
}


/** The ingredients of fine-tuning `base` on `data` with `options` on the current tfjs backend. */
export function runIngredients(base: T5Model, data: { mixture: Mixture; tokenizer: Tokenizer }, options: FineTuneOptions): RunIngredients {
  return {
    format: CACHE_FORMAT,
    library: { flanlab: libraryVersion(), tfjs: tf.version_core, code: trainingCodeHash() },
    backend: tf.getBackend(),
    base: { model: modelHash(base), tokenizer: tokenizerHash(data.tokenizer) },
    data: mixtureFingerprint(data.mixture),
    recipe: recipeFingerprint(options, base),
  };
}

/** A run's key: the sha256 (64 hex digits) of its ingredients' canonical JSON. */
export function runKey(ingredients: RunIngredients): string {
  return jsonSha256(ingredients);
}
