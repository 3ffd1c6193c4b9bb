// The experiments' building blocks: copy the base model, fine-tune it one way (full or LoRA, on a task or a
// mixture), and return the model with what the run cost. Notebooks stay short by calling these. The pipeline is the
// library's (train/finetune.ts, which the CLI runs too); the lab adds its tasks' records and its recipe. Runs are
// content-addressed (./run-cache.ts): an equal run that any notebook or process trained before is loaded instead.
import { BASE_MODEL_DIR } from "../paths";
import { Mixture, makeMixture, parseRateSpec } from "../../data/mixtures";
import { getTask, loadRecords } from "../tasks/registry";
import { loadModel } from "../../io/checkpoint";
import { rememberModelFolder } from "../../io/content-hash";
import { resolveModelFolder } from "../../io/hub";
import { Tokenizer, loadTokenizer } from "../../io/tokenizer";
import { LoraConfig } from "../../model/lora";
import { T5Model } from "../../model/t5";
import { FineTuneMethod, FineTuneOptions } from "../../train/finetune";
import { OptimizerKind, OptimizerOptions } from "../../train/optimizers";
import { ProgressSink } from "../../train/progress";
import { cachedFineTune } from "../../train/run-cache";
import { runIngredients, runKey } from "../../train/run-key";
import { ScheduleKind } from "../../train/schedules";
import { TrainResult } from "../../train/trainer";
import { CHAT_SCHEDULE, warmupStepsFor } from "./recipes";
import { labRunCache, logRunKey } from "./run-cache";

/** The committed base model (models/flanlab-mini: scripts/base-pretrain.ts, then scripts/base-instruct.ts). */
export { BASE_MODEL_DIR };

export interface Base {
  model: T5Model;
  tokenizer: Tokenizer;
  folder: string;
}

/** The base model and its tokenizer from a folder, or a Hub name in the Hugging Face cache (never the network). */
export async function loadBase(spec: string = BASE_MODEL_DIR): Promise<Base> {
  const folder = resolveModelFolder(spec);
  const model = loadModel(folder);
  rememberModelFolder(model, folder); // its run-cache hash is the folder's, read once, while its tensors stay these
  return { model, tokenizer: await loadTokenizer(folder), folder };
}

/** copyModel: a copy of a model's weights, so the base stays untouched while a copy trains; disposeModel frees a model. */
export { copyModel, disposeModel } from "../../model/lifecycle";

/** The run cache's folder, emptying it, and keeping scores with a cached run. */
export { cacheScores, cachedScores, clearRunCache, runCacheDir } from "./run-cache";

/** What to train on: one task's first `examples` training records, or several tasks mixed at a rate. */
export type TrainingData =
  | { task: string; examples?: number }
  | { mixture: { task: string; examples?: number }[]; rate: string };

export interface FineTuneSpec {
  /** A short label for tables and results, e.g. "full", "lora r8 q,v", "replay 2:1". */
  name: string;
  method: FineTuneMethod;
  lora?: Partial<LoraConfig>;
  data: TrainingData;
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  schedule?: ScheduleKind;
  warmupSteps?: number;
  optimizer?: OptimizerKind;
}

export interface FineTuned {
  spec: FineTuneSpec;
  model: T5Model;
  result: TrainResult;
  trainableParams: number;
  totalParams: number;
  /** The run's folder in the run cache (build/run-cache/<key>), the same whether it trained or was reused. */
  cacheEntry?: string;
}

function trainingRecords(task: string, examples?: number) {
  const records = loadRecords(task, "train").records;
  if (examples !== undefined && examples > records.length) {
    throw new Error(`${task} has ${records.length} training records; ${examples} were asked for.`);
  }
  return records.slice(0, examples ?? records.length);
}

/** The mixture a spec trains on (one task is a mixture of one). */
export function trainingMixture(data: TrainingData): Mixture {
  if ("task" in data) return makeMixture(data.task, [{ task: getTask(data.task), records: trainingRecords(data.task, data.examples) }]);
  const sources = data.mixture.map((m) => ({ task: getTask(m.task), records: trainingRecords(m.task, m.examples) }));
  return makeMixture(data.mixture.map((m) => m.task).join("+"), sources, parseRateSpec(data.rate).rate);
}

/**
 * Fine-tune a copy of `base` as the spec says. Full fine-tuning trains every weight; LoRA freezes the base and
 * trains adapters on the spec's target modules. The returned model is the caller's to dispose.
 */
export async function fineTune(base: Base, spec: FineTuneSpec, progress?: ProgressSink): Promise<FineTuned> {
  return fineTuneOnMixture(base, spec, trainingMixture(spec.data), progress);
}

/**
 * fineTune on a mixture the caller built, e.g. from records that are not a registered task's split (a user's
 * DialogSum); `spec.data` is then only recorded. `onPrepared` sees the model that trains (not called when the run
 * is loaded from the cache).
 */
export async function fineTuneOnMixture(base: Base, spec: FineTuneSpec, mixture: Mixture, progress?: ProgressSink, onPrepared?: FineTuneOptions["onPrepared"]): Promise<FineTuned> {
  const started = performance.now();
  const run = await cachedFineTune(base.model, { mixture, tokenizer: base.tokenizer }, { ...labRecipe(spec), progress, onPrepared }, labRunCache(spec));
  logRunKey(spec, run, (performance.now() - started) / 1000);
  const { model, result, parameters } = run;
  return { spec, model, result, trainableParams: parameters.trainable, totalParams: parameters.all, cacheEntry: run.cache?.entry };
}

/** The run cache's key of fineTune(base, spec) on the current backend (build/run-cache/<key>), computed without training. */
export function fineTuneKey(base: Base, spec: FineTuneSpec): string {
  return runKey(runIngredients(base.model, { mixture: trainingMixture(spec.data), tokenizer: base.tokenizer }, labRecipe(spec)));
}

/** The lab's optimizer: AdamW without weight decay (the recipe of the published results), or Adafactor with its defaults. */
function labOptimizer(kind: OptimizerKind = "adamw"): OptimizerOptions {
  return kind === "adafactor" ? { kind } : { kind, weightDecay: 0 };
}

/** A spec as the library's fine-tuning options; a schedule or warm-up it leaves out is the lab's (./recipes.ts). */
export function labRecipe(spec: FineTuneSpec): FineTuneOptions {
  return {
    method: spec.method,
    lora: spec.lora,
    steps: spec.steps,
    batchSize: spec.batchSize,
    optimizer: labOptimizer(spec.optimizer),
    learningRate: spec.learningRate,
    schedule: { kind: spec.schedule ?? CHAT_SCHEDULE, warmupSteps: spec.warmupSteps ?? warmupStepsFor(spec.steps) },
    seed: spec.seed,
  };
}
