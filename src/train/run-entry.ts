// One fine-tuning run on disk, in the run cache's folder <dir>/<key>/:
//   meta.json     the run's key, ingredients and description (for people), the adapter's name and config (LoRA)
//   result.json   the TrainResult and the parameter counts
//   model/        full fine-tuning: the trained model (config.json, model.safetensors)
//   adapter/      LoRA: only the adapter (PEFT layout); reading it attaches it to a copy of the base
//   scores/       what callers stored about the run by name (writeEntryScores)
// An entry is written into a temporary folder and renamed into place (durable-files.ts), so that readers find a
// whole entry or none; the lock of run-cache.ts makes one process at a time write an entry.
import * as fs from "fs";
import * as path from "path";
import { readAdapter, saveAdapter } from "../io/adapter";
import { paramsFromWeights, readJson, readWeights, saveModel } from "../io/checkpoint";
import { copyModel, disposeModel } from "../model/lifecycle";
import { LoraConfig, ParameterReport, activeAdapter, attachAdapter } from "../model/lora";
import { T5Model } from "../model/t5";
import { writeFileAtomic, writeFolderAtomic } from "./durable-files";
import { FineTuneResult } from "./finetune";
import { CACHE_FORMAT, RunIngredients } from "./run-key";
import { TrainResult } from "./trainer";

/** meta.json of an entry. */
export interface RunEntryMeta {
  format: number;
  key: string;
  /** The caller's description of the run (a spec with its name), for people. */
  describe?: unknown;
  ingredients: RunIngredients;
  created: string;
  /** LoRA runs: the adapter as the trained model held it. */
  adapter?: { name: string; config: LoraConfig };
}

const META = "meta.json";
const RESULT = "result.json";
const MODEL = "model";
const ADAPTER = "adapter";
const SCORES = "scores";

const json = (value: unknown): string => JSON.stringify(value, null, 2) + "\n";

/** Write a trained run as the entry <dir>/<key>, atomically, replacing an older one. Returns the entry's folder. */
export function writeRunEntry(dir: string, key: string, run: FineTuneResult, meta: Omit<RunEntryMeta, "format" | "key" | "created" | "adapter">): string {
  const entry = path.join(dir, key);
  writeFolderAtomic(entry, (made) => {
    const adapter = activeAdapter(run.model);
    if (adapter) saveAdapter(run.model, path.join(made, ADAPTER));
    else saveModel(run.model, path.join(made, MODEL));
    fs.writeFileSync(path.join(made, RESULT), json({ result: run.result, parameters: run.parameters }));
    const full: RunEntryMeta = { format: CACHE_FORMAT, key, ...meta, created: new Date().toISOString() };
    if (adapter) full.adapter = { name: adapter.name, config: adapter.config };
    fs.writeFileSync(path.join(made, META), json(full));
  });
  return entry;
}

/** The trained model of an entry: the saved model, or a copy of the base with the saved adapter attached. */
function entryModel(entry: string, meta: RunEntryMeta, base: T5Model): T5Model {
  if (!meta.adapter) return { config: base.config, params: paramsFromWeights(readWeights(path.join(entry, MODEL)), base.config, entry) };
  const model = copyModel(base);
  try {
    const { weights } = readAdapter(path.join(entry, ADAPTER), base.config);
    attachAdapter(model, meta.adapter.name, meta.adapter.config, weights);
    return model;
  } catch (error) {
    disposeModel(model);
    throw error;
  }
}

/**
 * The run stored in entry folder `entry` for `base`, or undefined when there is none. An entry of another key or
 * format, or one that cannot be read whole, is an error (the caller trains again and replaces it).
 */
export function readRunEntry(entry: string, key: string, base: T5Model): FineTuneResult | undefined {
  if (!fs.existsSync(entry)) return undefined;
  const meta = readJson<RunEntryMeta>(path.join(entry, META));
  if (meta.format !== CACHE_FORMAT || meta.key !== key) throw new Error(`its meta.json is of format ${meta.format}, key ${meta.key}`);
  const saved = readJson<{ result: TrainResult; parameters: ParameterReport }>(path.join(entry, RESULT));
  if (!Array.isArray(saved.result?.losses) || typeof saved.parameters?.trainable !== "number") throw new Error(`its ${RESULT} is not a training result`);
  return { model: entryModel(entry, meta, base), result: saved.result, parameters: saved.parameters };
}

function scoresFile(entry: string, name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith(".")) throw new Error(`scores name "${name}": use letters, digits, ".", "_" and "-".`);
  return path.join(entry, SCORES, `${name}.json`);
}

/** Store JSON about a cached run (e.g. its test scores) under a name in its entry, atomically. */
export function writeEntryScores(entry: string, name: string, scores: unknown): void {
  const file = scoresFile(entry, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, json(scores));
}

/** JSON stored under a name in a cached run's entry, or undefined when there is none. */
export function readEntryScores<T = unknown>(entry: string, name: string): T | undefined {
  const file = scoresFile(entry, name);
  return fs.existsSync(file) ? readJson<T>(file) : undefined;
}
