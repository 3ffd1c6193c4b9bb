// The experiments' building blocks: copy the base model, fine-tune it one way (full or LoRA, on a task or a
// mixture), and return the model with what the run cost. Notebooks stay short by calling these.
import * as path from "path";
import { BASE_MODEL_DIR } from "../paths";
import * as tf from "@tensorflow/tfjs";
import { Mixture, makeMixture, parseRateSpec } from "../../data/mixtures";
import { getTask, loadRecords } from "../tasks/registry";
import { loadModel } from "../../io/checkpoint";
import { resolveModelFolder } from "../../io/hub";
import { Tokenizer, loadTokenizer } from "../../io/tokenizer";
import { LoraConfig, addAdapter, loraTrainable, modelParameterReport } from "../../model/lora";
import { ParamMap } from "../../model/params";
import { T5Model } from "../../model/t5";
import { MixtureBatches } from "../../train/batches";
import { ProgressSink } from "../../train/progress";
import { ScheduleKind } from "../../train/schedules";
import { toVariables } from "../../train/step";
import { TrainResult, train } from "../../train/trainer";

/** The committed base model (models/flanlab-tiny), trained by `npm run train:base`. */
export { BASE_MODEL_DIR };

export interface Base {
  model: T5Model;
  tokenizer: Tokenizer;
  folder: string;
}

/** The base model and its tokenizer from a folder, or a Hub name in the Hugging Face cache (never the network). */
export async function loadBase(spec: string = BASE_MODEL_DIR): Promise<Base> {
  const folder = resolveModelFolder(spec);
  return { model: loadModel(folder), tokenizer: await loadTokenizer(folder), folder };
}

/** A copy of a model's weights, so the base stays untouched while a copy trains. */
export function copyModel(model: T5Model): T5Model {
  const params: ParamMap = {};
  for (const [name, tensor] of Object.entries(model.params)) params[name] = tf.clone(tensor);
  return { config: model.config, params };
}

export function disposeModel(model: T5Model): void {
  Object.values(model.params).forEach((t) => t.dispose());
  for (const adapter of Object.values(model.lora?.adapters ?? {})) Object.values(adapter.weights).forEach((t) => t.dispose());
}

/** What to train on: one task's first `examples` training records, or several tasks mixed at a rate. */
export type TrainingData =
  | { task: string; examples?: number }
  | { mixture: { task: string; examples?: number }[]; rate: string };

export interface FineTuneSpec {
  /** A short label for tables and results, e.g. "full", "lora r8 q,v", "replay 2:1". */
  name: string;
  method: "full" | "lora";
  lora?: Partial<LoraConfig>;
  data: TrainingData;
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  schedule?: ScheduleKind;
  warmupSteps?: number;
  optimizer?: "adamw" | "adafactor";
}

export interface FineTuned {
  spec: FineTuneSpec;
  model: T5Model;
  result: TrainResult;
  trainableParams: number;
  totalParams: number;
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
 * DialogSum); `spec.data` is then only recorded.
 */
export async function fineTuneOnMixture(base: Base, spec: FineTuneSpec, mixture: Mixture, progress?: ProgressSink): Promise<FineTuned> {
  const model = copyModel(base.model);
  if (spec.method === "lora") {
    addAdapter(model, spec.lora ?? {}, { seed: spec.seed });
    loraTrainable(model);
  } else {
    model.params = toVariables(model.params);
  }
  const report = modelParameterReport(model);
  const result = await train(model, new MixtureBatches(mixture, spec.seed, base.tokenizer), {
    steps: spec.steps,
    batchSize: spec.batchSize,
    optimizer: { kind: spec.optimizer ?? "adamw", ...(spec.optimizer === "adafactor" ? {} : { weightDecay: 0.0 }) },
    learningRate: spec.learningRate,
    schedule: { kind: spec.schedule ?? "constant", warmupSteps: spec.warmupSteps ?? 0 },
    seed: spec.seed,
    progress,
  });
  return { spec, model, result, trainableParams: report.trainable, totalParams: report.all };
}
