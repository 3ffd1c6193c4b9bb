// The shipped tasks by name, the role each plays in the experiments, and reading their JSONL files.
import * as fs from "fs";
import * as path from "path";
import { DATASETS_DIR } from "../paths";
import { Random } from "../../random";
import { readTaskRecords, TaskRecords } from "../../data/jsonl";
import { Split, SPLITS, TaskDefinition } from "../../data/task";
import { CHAT_SUMMARY_GENERATOR_VERSION, generateChatSummaryRecords } from "../corpus/chat-summary";
import { CODE_TRANSLATION_GENERATOR_VERSION, generateCodeTranslationRecords } from "../corpus/code-translation";
import { ENTITY_RECOGNITION_GENERATOR_VERSION, generateEntityRecognitionRecords } from "../corpus/entity-recognition";
import { QUESTION_ANSWERING_GENERATOR_VERSION, generateQuestionAnsweringRecords } from "../corpus/question-answering";
import { REVIEW_RATING_GENERATOR_VERSION, generateReviewRatingRecords } from "../corpus/review-rating";
import { SENTIMENT_GENERATOR_VERSION, generateSentimentRecords } from "../corpus/sentiment";
import { chatSummaryTask } from "./chat-summary";
import { codeTranslationTask } from "./code-translation";
import { entityRecognitionTask } from "./entity-recognition";
import { questionAnsweringTask } from "./question-answering";
import { reviewRatingTask } from "./review-rating";
import { sentimentTask } from "./sentiment";

/**
 * What a task is for in the experiments: the base mixture a model is first trained on, the new task it is then
 * fine-tuned on (where forgetting is measured), and a task held out from all training (zero-shot generalization).
 */
export type TaskRole = "base" | "new" | "held_out";

/** A seeded generator of a task's records (without ids), with the version written to meta.json. */
export interface TaskGenerator {
  /** The function's name, for meta.json and the data card. */
  name: string;
  version: string | number;
  generate(random: Random, count: number): Record<string, unknown>[];
}

export interface RegisteredTask {
  task: TaskDefinition;
  generator: TaskGenerator;
  role: TaskRole;
}

/** In the order the data card and the CLI list them: base mixture, new task, held out. */
export const REGISTERED_TASKS: readonly RegisteredTask[] = [
  { task: reviewRatingTask, role: "base", generator: { name: "generateReviewRatingRecords", version: REVIEW_RATING_GENERATOR_VERSION, generate: generateReviewRatingRecords } },
  { task: sentimentTask, role: "base", generator: { name: "generateSentimentRecords", version: SENTIMENT_GENERATOR_VERSION, generate: generateSentimentRecords } },
  { task: entityRecognitionTask, role: "base", generator: { name: "generateEntityRecognitionRecords", version: ENTITY_RECOGNITION_GENERATOR_VERSION, generate: generateEntityRecognitionRecords } },
  { task: questionAnsweringTask, role: "base", generator: { name: "generateQuestionAnsweringRecords", version: QUESTION_ANSWERING_GENERATOR_VERSION, generate: generateQuestionAnsweringRecords } },
  { task: chatSummaryTask, role: "new", generator: { name: "generateChatSummaryRecords", version: CHAT_SUMMARY_GENERATOR_VERSION, generate: generateChatSummaryRecords } },
  { task: codeTranslationTask, role: "held_out", generator: { name: "generateCodeTranslationRecords", version: CODE_TRANSLATION_GENERATOR_VERSION, generate: generateCodeTranslationRecords } },
];

export const TASK_NAMES: readonly string[] = REGISTERED_TASKS.map((r) => r.task.name);
export const BASE_TASK_NAMES: readonly string[] = namesWithRole("base");
export const NEW_TASK_NAME: string = namesWithRole("new")[0];
export const HELD_OUT_TASK_NAMES: readonly string[] = namesWithRole("held_out");

function namesWithRole(role: TaskRole): string[] {
  return REGISTERED_TASKS.filter((r) => r.role === role).map((r) => r.task.name);
}

/** The registration of a task by name ("chat_summary"; "chat-summary" is accepted too). */
export function getRegisteredTask(name: string): RegisteredTask {
  const wanted = name.trim().replace(/-/g, "_");
  const found = REGISTERED_TASKS.find((r) => r.task.name === wanted);
  if (!found) throw new Error(`unknown task "${name}". Known tasks: ${TASK_NAMES.join(", ")}.`);
  return found;
}

export function getTask(name: string): TaskDefinition {
  return getRegisteredTask(name).task;
}

export function taskRole(name: string): TaskRole {
  return getRegisteredTask(name).role;
}

/** The tasks of the base mixture. */
export function baseTasks(): TaskDefinition[] {
  return BASE_TASK_NAMES.map(getTask);
}

/** The shipped datasets folder: <package root>/datasets. */
export const DEFAULT_DATASETS_DIR = DATASETS_DIR;

export interface LoadOptions {
  /** Folder holding <task folder>/<split>.jsonl (default: the shipped datasets/). */
  datasetsDir?: string;
  /** Skip malformed lines and invalid records instead of failing; they are counted and described in the result. */
  skipInvalid?: boolean;
}

export type LoadedRecords = TaskRecords;

export function recordsFile(task: TaskDefinition, split: Split, datasetsDir = DEFAULT_DATASETS_DIR): string {
  return path.join(datasetsDir, task.folder, `${split}.jsonl`);
}

/**
 * Read and validate one split of a task. A line that is not JSON, or a record the task rejects, is an error naming
 * file:line (and the task's validator names the field); with skipInvalid it is skipped and counted.
 */
export function loadRecords(task: TaskDefinition | string, split: Split, options: LoadOptions = {}): LoadedRecords {
  const definition = typeof task === "string" ? getTask(task) : task;
  if (!SPLITS.includes(split)) throw new Error(`unknown split "${split}". Splits: ${SPLITS.join(", ")}.`);
  const file = recordsFile(definition, split, options.datasetsDir);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: build the datasets with \`flanlab data build\` (or pass the folder that holds ${definition.folder}/).`);
  }
  return readTaskRecords(definition, file, options.skipInvalid ?? false);
}

