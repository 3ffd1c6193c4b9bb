// What every flanlab command shares: the command shape, flag parsing helpers, backend start, model loading.
import * as fs from "fs";
import * as path from "path";
import { SourceFormat, readExamples } from "../data/formats";
import { TaskDefinition, TaskRecord } from "../data/task";
import { userRecords, userTask } from "../data/user-task";
import { describeBackend, initBackend } from "../backend";
import { isAdapterFolder, loadAdapter } from "../io/adapter";
import { loadGenerationConfig, loadModel } from "../io/checkpoint";
import { parseModelName, resolveModelFolder } from "../io/hub";
import { LOAD_CHECK_PLAN, MemoryPlan, checkModelFolder, currentMemoryBackend } from "../io/memory";
import { GenerationOptions, generationOptionsFromConfig } from "../model/generate";
import { T5Model } from "../model/t5";

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
  /** A command family (`flanlab data build`): each subcommand has its own usage and --help. */
  subcommands?: Record<string, Command>;
}

export function fail(message: string): never {
  throw new Error(message);
}

/** Start the backend and say which one runs (to stderr, so stdout stays the command's output). */
export async function startBackend(): Promise<void> {
  await initBackend();
  console.error(describeBackend());
}

/** An optional number flag. */
export function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) fail(`--${flag} must be a number, got "${text}".`);
  return value;
}

/** An optional integer flag. */
export function integerFlag(flag: string, text: string | undefined): number | undefined {
  const value = numberFlag(flag, text);
  if (value !== undefined && !Number.isInteger(value)) fail(`--${flag} must be an integer, got "${text}".`);
  return value;
}

/** A comma-separated list flag. */
export function listFlag(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** The generation flags shared by generate and eval (parseArgs option specs). */
export const GENERATION_FLAGS = {
  "max-new-tokens": { type: "string" },
  "num-beams": { type: "string" },
  "do-sample": { type: "boolean" },
  temperature: { type: "string" },
  "top-k": { type: "string" },
  "top-p": { type: "string" },
  "sample-seed": { type: "string" },
  "repetition-penalty": { type: "string" },
} as const;

export const GENERATION_USAGE =
  "  generation: [--max-new-tokens N] [--num-beams N] [--do-sample --temperature T --top-k K --top-p P --sample-seed S]\n" +
  "              [--repetition-penalty R]; defaults come from the model folder's generation_config.json.";

/** generation_config.json of the model folder, overridden by the flags given. */
export function generationOptions(modelFolder: string, values: Record<string, unknown>): GenerationOptions {
  const options: GenerationOptions = { ...generationOptionsFromConfig(loadGenerationConfig(resolveModelFolder(modelFolder))) };
  const overrides: GenerationOptions = {
    maxNewTokens: integerFlag("max-new-tokens", values["max-new-tokens"] as string | undefined),
    numBeams: integerFlag("num-beams", values["num-beams"] as string | undefined),
    doSample: values["do-sample"] as boolean | undefined,
    temperature: numberFlag("temperature", values.temperature as string | undefined),
    topK: integerFlag("top-k", values["top-k"] as string | undefined),
    topP: numberFlag("top-p", values["top-p"] as string | undefined),
    seed: integerFlag("sample-seed", values["sample-seed"] as string | undefined),
    repetitionPenalty: numberFlag("repetition-penalty", values["repetition-penalty"] as string | undefined),
  };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  return options;
}

/**
 * A model folder (or Hub name in the cache), with a LoRA adapter folder (or name) on top when given. Before reading
 * any weight, checks that `plan` fits the running backend's memory (io/memory.ts); the default plan is the least
 * that running needs (one example of 64 + 16 tokens), so that a model too big for the backend fails with an
 * explanation instead of a crash.
 */
export function loadModelAndAdapter(modelSpec: string, adapterSpec?: string, plan: MemoryPlan = LOAD_CHECK_PLAN): T5Model {
  const modelFolder = resolveModelFolder(modelSpec);
  const adapterFolder = adapterSpec === undefined || fs.existsSync(adapterSpec) || parseModelName(adapterSpec) === undefined ? adapterSpec : resolveModelFolder(adapterSpec);
  checkModelFolder(modelFolder, plan, currentMemoryBackend(), modelSpec);
  const model = loadModel(modelFolder);
  if (adapterFolder) {
    if (!fs.existsSync(adapterFolder) || !isAdapterFolder(adapterFolder)) fail(`--adapter ${adapterFolder}: no adapter_config.json there.`);
    loadAdapter(model, adapterFolder);
  }
  return model;
}

/** The flags that describe a user's own data file (parseArgs option specs), shared by train and eval. */
export const USER_DATA_FLAGS = {
  data: { type: "string" },
  format: { type: "string" },
  "input-column": { type: "string" },
  "target-column": { type: "string" },
  template: { type: "string" },
  metric: { type: "string" },
  "max-input-tokens": { type: "string" },
  "max-target-tokens": { type: "string" },
} as const;

/** The task a user's --data file defines: named after the file, with the --template, --metric and length flags. */
export function userTaskFromFlags(values: Record<string, unknown>): TaskDefinition {
  const file = values.data as string;
  return userTask({
    name: path.basename(file).replace(/\.[^.]+$/, ""),
    metric: ((values.metric as string | undefined) ?? "rouge") as TaskDefinition["metric"],
    template: values.template as string | undefined,
    maxInputTokens: integerFlag("max-input-tokens", values["max-input-tokens"] as string | undefined),
    maxTargetTokens: integerFlag("max-target-tokens", values["max-target-tokens"] as string | undefined),
  });
}

/** The records of a user's file, read with the --format and column flags. */
export function userRecordsFromFlags(file: string, values: Record<string, unknown>): TaskRecord[] {
  return userRecords(
    readExamples(file, {
      format: values.format as SourceFormat | undefined,
      inputColumn: values["input-column"] as string | undefined,
      targetColumn: values["target-column"] as string | undefined,
    }),
  );
}
