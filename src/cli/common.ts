// What every flanlab command shares: the command shape, flag parsing helpers, backend start, model loading.
import * as fs from "fs";
import * as path from "path";
import { ReadResult, SourceFormat, readExamples } from "../data/formats";
import { TaskDefinition, TaskRecord } from "../data/task";
import { DEFAULT_MAX_CHARS } from "../data/text-limits";
import { userRecords, userTask } from "../data/user-task";
import { describeBackend, initBackend } from "../backend";
import { isAdapterFolder, loadAdapter } from "../io/adapter";
import { loadModel } from "../io/checkpoint";
import { parseModelName, resolveModelFolder } from "../io/hub";
import { LOAD_CHECK_PLAN, MemoryPlan, checkModelFolder, currentMemoryBackend } from "../io/memory";
import { T5Model } from "../model/t5";
import { adapterBaseWarning } from "./adapter-base";
import { describeReadNotes } from "./data-notes";

/** One flanlab command: its one-line summary, usage text, and what it runs. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
  /** A command family (`flanlab data build`): each subcommand has its own usage and --help. */
  subcommands?: Record<string, Command>;
}

/** Throw the error a command reports (its message names the flag, file or field at fault). */
export function fail(message: string): never {
  throw new Error(message);
}

/** Start the backend and say which one runs (to stderr, so stdout stays the command's output). */
export async function startBackend(): Promise<void> {
  await initBackend();
  console.error(describeBackend());
}

/** Bounds a number flag must keep: min/max inclusive, above/below exclusive. */
export interface FlagRange {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

/** ">= 0 and < 1" for a range. */
function rangeWords(range: FlagRange): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`>= ${range.min}`);
  if (range.above !== undefined) parts.push(`> ${range.above}`);
  if (range.max !== undefined) parts.push(`<= ${range.max}`);
  if (range.below !== undefined) parts.push(`< ${range.below}`);
  return parts.join(" and ");
}

function inRange(value: number, range: FlagRange): boolean {
  return (
    (range.min === undefined || value >= range.min) &&
    (range.above === undefined || value > range.above) &&
    (range.max === undefined || value <= range.max) &&
    (range.below === undefined || value < range.below)
  );
}

/** An optional number flag, within `range` when given. */
export function numberFlag(flag: string, text: string | undefined, range?: FlagRange): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) fail(`--${flag} must be a number, got "${text}".`);
  if (range && !inRange(value, range)) fail(`--${flag} must be a number ${rangeWords(range)}, got ${text}.`);
  return value;
}

/** An optional integer flag, within `range` when given. */
export function integerFlag(flag: string, text: string | undefined, range?: FlagRange): number | undefined {
  const value = numberFlag(flag, text);
  if (value !== undefined && !Number.isSafeInteger(value)) fail(`--${flag} must be an integer, got "${text}".`);
  if (value !== undefined && range && !inRange(value, range)) fail(`--${flag} must be an integer ${rangeWords(range)}, got ${text}.`);
  return value;
}

/** A comma-separated list flag. */
export function listFlag(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** Refuse flags that would be ignored in this combination ("--rate applies only with --tasks"), instead of ignoring them. */
export function refuseIgnoredFlags(values: Record<string, unknown>, flags: readonly string[], condition: boolean, appliesWhen: string): void {
  const given = flags.filter((flag) => values[flag] !== undefined);
  if (!condition && given.length > 0) fail(`${given.map((f) => `--${f}`).join(", ")} appl${given.length === 1 ? "ies" : "y"} only ${appliesWhen}.`);
}

/**
 * A model folder (or Hub name in the cache), with a LoRA adapter folder (or name) on top when given. Before reading
 * any weight, checks that `plan` fits the running backend's memory (io/memory.ts); the default plan is the least
 * that running needs (one example of 64 + 16 tokens), so that a model too big for the backend fails with an
 * explanation instead of a crash. An adapter trained on another base than --model loads with a warning.
 */
export function loadModelAndAdapter(modelSpec: string, adapterSpec?: string, plan: MemoryPlan = LOAD_CHECK_PLAN): T5Model {
  const modelFolder = resolveModelFolder(modelSpec);
  const adapterFolder = adapterSpec === undefined || fs.existsSync(adapterSpec) || parseModelName(adapterSpec) === undefined ? adapterSpec : resolveModelFolder(adapterSpec);
  if (adapterFolder && (!fs.existsSync(adapterFolder) || !isAdapterFolder(adapterFolder))) fail(`--adapter ${adapterFolder}: no adapter_config.json there.`);
  checkModelFolder(modelFolder, plan, currentMemoryBackend(), modelSpec);
  const model = loadModel(modelFolder);
  if (adapterFolder) {
    const warning = adapterBaseWarning(adapterFolder, modelSpec, modelFolder);
    if (warning) console.error(`warning: ${warning}`);
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
  "max-chars": { type: "string" },
  "accept-invalid-utf8": { type: "boolean" },
} as const;

/** The flags of USER_DATA_FLAGS that describe the --data file: meaningless (so refused) without it. */
export const DATA_FILE_FLAGS = Object.keys(USER_DATA_FLAGS).filter((flag) => flag !== "data");

/** The usage line of USER_DATA_FLAGS' reading flags. */
export const READING_USAGE =
  `[--max-chars N (characters per text field, default ${DEFAULT_MAX_CHARS.toLocaleString("en-US")}; longer ones are cut, counted)] [--accept-invalid-utf8]`;

/** The task a user's --data file defines: named after the file, with the --template, --metric and length flags. */
export function userTaskFromFlags(values: Record<string, unknown>): TaskDefinition {
  const file = values.data as string;
  return userTask({
    name: path.basename(file).replace(/\.[^.]+$/, ""),
    metric: ((values.metric as string | undefined) ?? "rouge") as TaskDefinition["metric"],
    template: values.template as string | undefined,
    maxInputTokens: integerFlag("max-input-tokens", values["max-input-tokens"] as string | undefined, { min: 1 }),
    maxTargetTokens: integerFlag("max-target-tokens", values["max-target-tokens"] as string | undefined, { min: 1 }),
  });
}

/** The format flag, checked against the formats flanlab reads. */
function formatFlag(values: Record<string, unknown>): SourceFormat | undefined {
  const format = values.format as string | undefined;
  const formats: readonly string[] = ["dialogsum", "samsum", "csv", "jsonl"];
  if (format !== undefined && !formats.includes(format)) fail(`--format must be one of ${formats.join(", ")}, got "${format}".`);
  return format as SourceFormat | undefined;
}

/**
 * A user's file read with the --format, column and reading flags; what reading changed is printed (stderr), and a
 * file without one usable example is an error naming it.
 */
export function readUserFile(file: string, values: Record<string, unknown>, flag = "--data"): ReadResult {
  const read = readExamples(file, {
    format: formatFlag(values),
    inputColumn: values["input-column"] as string | undefined,
    targetColumn: values["target-column"] as string | undefined,
    maxChars: integerFlag("max-chars", values["max-chars"] as string | undefined, { min: 1 }),
    acceptInvalidUtf8: values["accept-invalid-utf8"] as boolean | undefined,
  });
  if (read.examples.length === 0) fail(`${flag} ${file}: no examples in it (${read.rows} rows read, ${read.skipped} skipped).`);
  for (const note of describeReadNotes(read)) console.error(note);
  return read;
}

/** The records of a user's file, read with the --format and column flags (see readUserFile). */
export function userRecordsFromFlags(file: string, values: Record<string, unknown>, flag = "--data"): TaskRecord[] {
  return userRecords(readUserFile(file, values, flag));
}
