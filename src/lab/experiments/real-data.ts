// Notebook 05's switch between the shipped data and a user's own: the synthetic chat_summary records (default), or a
// real DialogSum file (FLANLAB_DIALOGSUM) with a real FLAN-T5 checkpoint (FLANLAB_REAL_MODEL). Both give the same
// shape: a task, training records and test records, so the notebook's cells run unchanged on either.
import * as fs from "fs";
import { ReadResult, readExamples } from "../../data/formats";
import { makeMixture } from "../../data/mixtures";
import { loadRecords } from "../tasks/registry";
import { TaskDefinition, TaskRecord } from "../../data/task";
import { chatSummaryTask } from "../tasks/chat-summary";
import { generationOptionsFromConfig, GenerationOptions } from "../../model/generate";
import { loadGenerationConfig } from "../../io/checkpoint";
import { EnsureOptions, ensureDataset } from "../../io/hub";
import { ProgressSink } from "../../train/progress";
import { Base, FineTuned, FineTuneSpec, fineTune, fineTuneOnMixture } from "./finetune";

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

export interface LoadChatOptions {
  /**
   * A DialogSum file, folder or Hub dataset name (FLANLAB_DIALOGSUM, e.g. "knkarthick/dialogsum"); empty or
   * undefined: the shipped chat_summary data.
   */
  dialogsum?: string;
  /** Training records to use (the first ones). */
  trainExamples: number;
  /** Test records to score (the first ones). */
  testExamples: number;
  /** For a Hub name: the cache, and whether a missing copy may be downloaded (io/hub.ts ensureDataset). */
  hub?: EnsureOptions;
}

/**
 * The train and test files of a DialogSum spec: one local file is both; a folder or Hub name gives its split
 * files (the Hub's cached copy, downloaded first when missing and allowed).
 */
async function dialogSumFiles(spec: string, hub: EnsureOptions = {}): Promise<{ train: string; test: string }> {
  if (fs.existsSync(spec) && fs.statSync(spec).isFile()) return { train: spec, test: spec };
  return { train: await ensureDataset(spec, "train", hub), test: await ensureDataset(spec, "test", hub) };
}

/**
 * The records of notebook 05. Shipped: chat_summary's train and test splits. Real: DialogSum's train and test
 * files from a folder (as distributed, dialogsum.train.jsonl / dialogsum.test.jsonl, or the Hub's train.csv /
 * test.csv) or a Hub name, or one file, split into the first `trainExamples` for training and the last
 * `testExamples` for testing (never overlapping; an error when the file is too small for both).
 */
export async function loadChatData(options: LoadChatOptions): Promise<ChatData> {
  const { dialogsum, trainExamples, testExamples } = options;
  if (!(trainExamples > 0 && testExamples > 0)) throw new Error(`loadChatData: trainExamples and testExamples must be positive.`);
  if (!dialogsum) {
    const train = loadRecords(chatSummaryTask, "train").records.slice(0, trainExamples);
    const test = loadRecords(chatSummaryTask, "test").records.slice(0, testExamples);
    return { source: "shipped", description: `shipped chat_summary: ${train.length} training and ${test.length} test records`, task: chatSummaryTask, train, test };
  }
  const files = await dialogSumFiles(dialogsum, options.hub);
  if (files.train !== files.test) {
    const train = dialogSumRecords(readExamples(files.train)).slice(0, trainExamples);
    const test = dialogSumRecords(readExamples(files.test)).slice(0, testExamples);
    return {
      source: "real",
      description: `DialogSum from ${dialogsum}: ${train.length} training records of ${files.train}, ${test.length} test records of ${files.test}`,
      task: DIALOGSUM_TASK,
      train,
      test,
    };
  }
  const all = dialogSumRecords(readExamples(files.train));
  if (all.length < testExamples + 1) {
    throw new Error(`${files.train} has ${all.length} examples: too few for ${testExamples} test examples and at least one for training.`);
  }
  const test = all.slice(all.length - testExamples);
  const train = all.slice(0, Math.min(trainExamples, all.length - testExamples));
  return {
    source: "real",
    description: `DialogSum from ${files.train} (one file, ${all.length} examples): the first ${train.length} for training, the last ${test.length} for testing`,
    task: DIALOGSUM_TASK,
    train,
    test,
  };
}

/** Generation settings of a checkpoint folder (its generation_config.json), over the task's default length. */
export function generationFor(modelFolder: string, task: TaskDefinition): GenerationOptions {
  return { maxNewTokens: task.maxTargetTokens, ...generationOptionsFromConfig(loadGenerationConfig(modelFolder)) };
}

/** fineTune (./finetune.ts) on records that are not one of the registered tasks' splits, e.g. a user's DialogSum. */
export function fineTuneOnRecords(base: Base, spec: FineTuneSpec, task: TaskDefinition, records: TaskRecord[], progress?: ProgressSink): Promise<FineTuned> {
  return fineTuneOnMixture(base, spec, makeMixture(task.name, [{ task, records }]), progress);
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
  "To run this notebook on a real FLAN-T5 and real DialogSum, set one variable: `FLANLAB_REAL=1` (google/flan-t5-small on knkarthick/dialogsum, " +
    "a training subset and 100 test dialogues). Hub names are looked up in the Hugging Face cache (`HF_HOME` / `HF_HUB_CACHE`, so copies Python " +
    "downloaded are found) and downloaded there first when missing and the network allows; offline, fetch them once elsewhere with " +
    "`flanlab download model google/flan-t5-small` and `flanlab download dataset knkarthick/dialogsum` and copy the cache over.",
  "",
  "- `FLANLAB_REAL_MODEL`: another model, a Hub name (`google/flan-t5-base`) or a folder in Hugging Face layout (`config.json`, `model.safetensors`, `tokenizer.json`, `generation_config.json`).",
  "- `FLANLAB_DIALOGSUM`: other data, a Hub name, or a DialogSum file or folder: the original release (`dialogsum.train.jsonl`, `dialogsum.test.jsonl` from github.com/cylnlp/dialogsum) or the Hub's CSVs (`train.csv`, `test.csv`); one file is split into training and test examples.",
  "- Optional: `FLANLAB_REAL_TEST` (test dialogues, default 100), `FLANLAB_REAL_TRAIN` (training dialogues, default 500), `FLANLAB_STEPS`, `FLANLAB_LR`, `FLANLAB_LORA_LR`.",
  "",
  "Then `npm run build && FLANLAB_REAL=1 node --import tsx scripts/run-notebooks.ts 05_customer_chat_summarization`. " +
    "On the wasm backend (one CPU core) flan-t5-small (77 M parameters) trains about a hundred times slower per step than the tiny model: reduce FLANLAB_STEPS, or install @tensorflow/tfjs-node(-gpu).",
].join("\n");
