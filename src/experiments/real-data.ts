// Notebook 05's switch between the shipped data and a user's own: the synthetic chat_summary records (default), or a
// real DialogSum file (FLANLAB_DIALOGSUM) with a real FLAN-T5 checkpoint (FLANLAB_REAL_MODEL). Both give the same
// shape: a task, training records and test records, so the notebook's cells run unchanged on either.
import * as fs from "fs";
import * as path from "path";
import { ReadResult, readExamples } from "../data/formats";
import { makeMixture } from "../data/mixtures";
import { loadRecords } from "../data/registry";
import { TaskDefinition, TaskRecord } from "../data/task";
import { chatSummaryTask } from "../data/tasks/chat-summary";
import { generationOptionsFromConfig, GenerationOptions } from "../model/generate";
import { loadGenerationConfig } from "../io/checkpoint";
import { addAdapter, loraTrainable, modelParameterReport } from "../model/lora";
import { MixtureBatches } from "../train/batches";
import { ProgressSink } from "../train/progress";
import { toVariables } from "../train/step";
import { train } from "../train/trainer";
import { Base, FineTuned, FineTuneSpec, copyModel, fineTune } from "./finetune";

/**
 * chat_summary as a real DialogSum run uses it: the Lab 2 prompt only (the one FLAN-T5 is fine-tuned with in the
 * course), every reference of a record scored (DialogSum's test split has three), and Hugging Face's default
 * truncation of T5 inputs (512 tokens).
 */
export const DIALOGSUM_TASK: TaskDefinition = {
  ...chatSummaryTask,
  name: "dialogsum",
  description: "DialogSum (Chen et al. 2021): summarize a dialogue between #Person1# and #Person2#, scored with ROUGE.",
  folder: "dialogsum",
  templates: chatSummaryTask.templates.filter((t) => t.id === "lab2"),
  references: (record) => (Array.isArray(record.references) ? (record.references as string[]) : [String(record.summary)]),
  maxInputTokens: 512,
  maxTargetTokens: 128,
};

/** What a notebook trains and tests on. */
export interface ChatData {
  source: "shipped" | "real";
  /** One line for the reader: where the records came from and how many. */
  description: string;
  task: TaskDefinition;
  train: TaskRecord[];
  test: TaskRecord[];
}

/** DialogSum examples as chat_summary-shaped records: dialogue, summary (the first reference), references, topic. */
export function dialogSumRecords(read: ReadResult): TaskRecord[] {
  return read.examples.map((e) => ({
    id: e.id,
    dialogue: e.input,
    summary: e.references[0],
    references: e.references,
    topic: e.topic ?? "",
  }));
}

/** In a folder: the one data file whose name contains `split` ("train", "test"; "dev"/"validation" are not used). */
function splitFile(folder: string, split: "train" | "test"): string {
  const files = fs
    .readdirSync(folder)
    .filter((f) => /\.(jsonl|json|csv)$/i.test(f) && f.toLowerCase().includes(split))
    .sort();
  if (files.length !== 1) {
    throw new Error(`${folder}: expected one .jsonl/.json/.csv file with "${split}" in its name, found ${files.length ? files.join(", ") : "none"}.`);
  }
  return path.join(folder, files[0]);
}

export interface LoadChatOptions {
  /** A DialogSum file or folder (FLANLAB_DIALOGSUM); empty or undefined: the shipped chat_summary data. */
  dialogsum?: string;
  /** Training records to use (the first ones). */
  trainExamples: number;
  /** Test records to score (the first ones). */
  testExamples: number;
}

/**
 * The records of notebook 05. Shipped: chat_summary's train and test splits. Real: a folder with DialogSum's train
 * and test files (as distributed, dialogsum.train.jsonl / dialogsum.test.jsonl, or the Hub's train.csv / test.csv),
 * or one file, split into the first `trainExamples` for training and the last `testExamples` for testing (never
 * overlapping; an error when the file is too small for both).
 */
export function loadChatData(options: LoadChatOptions): ChatData {
  const { dialogsum, trainExamples, testExamples } = options;
  if (!(trainExamples > 0 && testExamples > 0)) throw new Error(`loadChatData: trainExamples and testExamples must be positive.`);
  if (!dialogsum) {
    const train = loadRecords(chatSummaryTask, "train").records.slice(0, trainExamples);
    const test = loadRecords(chatSummaryTask, "test").records.slice(0, testExamples);
    return { source: "shipped", description: `shipped chat_summary: ${train.length} training and ${test.length} test records`, task: chatSummaryTask, train, test };
  }
  if (!fs.existsSync(dialogsum)) throw new Error(`FLANLAB_DIALOGSUM=${dialogsum}: no such file or folder.`);
  if (fs.statSync(dialogsum).isDirectory()) {
    const trainFile = splitFile(dialogsum, "train");
    const testFile = splitFile(dialogsum, "test");
    const train = dialogSumRecords(readExamples(trainFile)).slice(0, trainExamples);
    const test = dialogSumRecords(readExamples(testFile)).slice(0, testExamples);
    return {
      source: "real",
      description: `DialogSum from ${dialogsum}: ${train.length} training records of ${path.basename(trainFile)}, ${test.length} test records of ${path.basename(testFile)}`,
      task: DIALOGSUM_TASK,
      train,
      test,
    };
  }
  const all = dialogSumRecords(readExamples(dialogsum));
  if (all.length < testExamples + 1) {
    throw new Error(`${dialogsum} has ${all.length} examples: too few for ${testExamples} test examples and at least one for training.`);
  }
  const test = all.slice(all.length - testExamples);
  const train = all.slice(0, Math.min(trainExamples, all.length - testExamples));
  return {
    source: "real",
    description: `DialogSum from ${dialogsum} (one file, ${all.length} examples): the first ${train.length} for training, the last ${test.length} for testing`,
    task: DIALOGSUM_TASK,
    train,
    test,
  };
}

/** Generation settings of a checkpoint folder (its generation_config.json), over the task's default length. */
export function generationFor(modelFolder: string, task: TaskDefinition): GenerationOptions {
  return { maxNewTokens: task.maxTargetTokens, ...generationOptionsFromConfig(loadGenerationConfig(modelFolder)) };
}

/**
 * fineTune (./finetune.ts) on records that are not one of the registered tasks' splits, e.g. a user's DialogSum:
 * the same steps (copy, LoRA adapters or every weight trainable, AdamW at a constant rate), a mixture of one task.
 * `spec.data` is only recorded; the records given here are what trains.
 */
export async function fineTuneOnRecords(base: Base, spec: FineTuneSpec, task: TaskDefinition, records: TaskRecord[], progress?: ProgressSink): Promise<FineTuned> {
  const model = copyModel(base.model);
  if (spec.method === "lora") {
    addAdapter(model, spec.lora ?? {}, { seed: spec.seed });
    loraTrainable(model);
  } else {
    model.params = toVariables(model.params);
  }
  const report = modelParameterReport(model);
  const mixture = makeMixture(task.name, [{ task, records }]);
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

/**
 * Fine-tune on notebook 05's training records: on the shipped data exactly fineTune on chat_summary (the run
 * notebooks 02 and 04 make), on a user's data fineTuneOnRecords.
 */
export async function fineTuneChat(base: Base, spec: Omit<FineTuneSpec, "data">, chat: ChatData, progress?: ProgressSink): Promise<FineTuned> {
  if (chat.source === "shipped") return fineTune(base, { ...spec, data: { task: chat.task.name, examples: chat.train.length } }, progress);
  return fineTuneOnRecords(base, { ...spec, data: { task: chat.task.name, examples: chat.train.length } }, chat.task, chat.train, progress);
}

/** Markdown for the reader: how to run notebook 05 on a real FLAN-T5 and real DialogSum. */
export const REAL_DATA_HELP = [
  "To run this notebook on a real FLAN-T5 and real DialogSum, download them once on a machine with network access and point two variables at them:",
  "",
  "- `FLANLAB_REAL_MODEL`: a folder in Hugging Face layout (`config.json`, `model.safetensors`, `tokenizer.json`, `tokenizer_config.json`, `generation_config.json`), e.g. `huggingface-cli download google/flan-t5-small --local-dir models/flan-t5-small` (or `git clone https://huggingface.co/google/flan-t5-small`).",
  "- `FLANLAB_DIALOGSUM`: a DialogSum file or folder: the original release (`dialogsum.train.jsonl`, `dialogsum.test.jsonl` from github.com/cylnlp/dialogsum) or the Hub's `knkarthick/dialogsum` CSVs (`train.csv`, `test.csv`); one file is split into training and test examples.",
  "- Optional: `FLANLAB_REAL_TEST` (test dialogues, default 100), `FLANLAB_REAL_TRAIN` (training dialogues, default 500), `FLANLAB_STEPS`, `FLANLAB_LR`, `FLANLAB_LORA_LR`.",
  "",
  "Then `FLANLAB_REAL_MODEL=models/flan-t5-small FLANLAB_DIALOGSUM=data/dialogsum npm run notebooks 05_customer_chat_summarization`. " +
    "On the wasm backend (one CPU core) flan-t5-small (77 M parameters) trains about a hundred times slower per step than the tiny model: reduce FLANLAB_STEPS, or install @tensorflow/tfjs-node(-gpu).",
].join("\n");
