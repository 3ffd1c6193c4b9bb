// One fine-tuning pipeline for the CLI and the lab alike: take the base model (or a copy of it), make it trainable
// the way the method says (every weight, or a fresh LoRA adapter on the frozen base), and run the trainer. The
// defaults live where their concept does: the adapter's in LORA_DEFAULTS (model/lora.ts, PEFT's), the
// optimizer's in optimizers.ts, the loop's in trainer.ts.
import { TokenEncoder } from "../data/collate";
import { Mixture } from "../data/mixtures";
import { copyModel } from "../model/lifecycle";
import { LoraConfig, ParameterReport, addAdapter, loraTrainable, modelParameterReport } from "../model/lora";
import { T5Model } from "../model/t5";
import { BatchSource, MixtureBatches } from "./batches";
import { toVariables } from "./step";
import { TrainResult, TrainerOptions, train } from "./trainer";

/** What fine-tuning trains: every weight ("full"), or only a LoRA adapter on the frozen base ("lora"). */
export type FineTuneMethod = "full" | "lora";

/** A mixture to draw training examples from, with the tokenizer that makes them batches (in the run's seeded order). */
export interface MixtureData {
  mixture: Mixture;
  tokenizer: TokenEncoder;
}

/** What fineTuneModel trains on: a batch source, or a mixture and a tokenizer. */
export type FineTuneData = BatchSource | MixtureData;

/** train()'s options, plus the method, its adapter and what to do with the given model. */
export interface FineTuneOptions extends TrainerOptions {
  method: FineTuneMethod;
  /** With method "lora": the adapter; what it leaves out is PEFT's default (LORA_DEFAULTS: r 8, lora_alpha 8, dropout 0, q and v). */
  lora?: Partial<LoraConfig>;
  /** Train the given model itself, not a copy: one set of weights in memory, but the caller's model changes. Default false. */
  inPlace?: boolean;
  /** Called when the model is ready to train, before the first step (e.g. to print its parameter report). */
  onPrepared?: (model: T5Model, parameters: ParameterReport) => void;
}

/** What fineTuneModel returns: the trained model (the caller's to dispose), the run, and what trained. */
export interface FineTuneResult {
  model: T5Model;
  result: TrainResult;
  /** Trainable and total parameters as the run started. */
  parameters: ParameterReport;
}

/**
 * Make a model trainable for the method, in place. full: every weight becomes a trainable variable. lora: a fresh
 * adapter (PEFT's defaults completing `lora`, initialised from `seed`) becomes the only trainable part.
 */
export function prepareForFineTuning(model: T5Model, method: FineTuneMethod, lora: Partial<LoraConfig> = {}, seed = 0): T5Model {
  if (method === "lora") {
    addAdapter(model, lora, { seed });
    return loraTrainable(model);
  }
  model.params = toVariables(model.params);
  return model;
}

const isBatchSource = (data: FineTuneData): data is BatchSource => typeof (data as BatchSource).next === "function";

/**
 * Fine-tune `base` (a copy of it unless `inPlace`) on `data` by the method: the adapter's seed and the order of a
 * mixture's examples are the run's seed, so one seed fixes the run.
 */
export async function fineTuneModel(base: T5Model, data: FineTuneData, options: FineTuneOptions): Promise<FineTuneResult> {
  const { method, lora, inPlace, onPrepared, ...trainerOptions } = options;
  const model = prepareForFineTuning(inPlace ? base : copyModel(base), method, lora, options.seed);
  const parameters = modelParameterReport(model);
  onPrepared?.(model, parameters);
  const source = isBatchSource(data) ? data : new MixtureBatches(data.mixture, options.seed, data.tokenizer);
  const result = await train(model, source, trainerOptions);
  return { model, result, parameters };
}
