// flanlab train: fine-tune (all weights or LoRA adapters) on a registered task, a mixture, or the user's own file.
// Everything is checked before the model loads: flags (by name, with their ranges), data files (file, line, field),
// the run folder (a file? a pseudo-filesystem? writable? room for a checkpoint?) and, when it holds a run, that the
// run is this one. Then it trains, resuming from the newest complete checkpoint, and reports what the data lost.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Mixture, makeMixture, mixtureShares } from "../data/mixtures";
import { getTask, loadRecords } from "../lab/tasks/registry";
import { trainingMixture } from "../lab/experiments/finetune";
import { TaskDefinition, TaskRecord } from "../data/task";
import { DEFAULT_MAX_CHARS } from "../data/text-limits";
import { userRecords } from "../data/user-task";
import { EvalExample, evalExamples, evaluateExamples } from "../eval/evaluate";
import { isAdapterFolder, saveAdapter } from "../io/adapter";
import { loadConfig, saveModel } from "../io/checkpoint";
import { TOKENIZER_FILES, Tokenizer, loadTokenizer } from "../io/tokenizer";
import { formatParameterReport, parameterReport } from "../model/lora";
import { T5Model } from "../model/t5";
import { MixtureBatches } from "../train/batches";
import { checkpointBytes, filesBytes } from "../train/checkpoint-size";
import { writeFolderAtomic } from "../train/durable-files";
import { FineTuneOptions, fineTuneModel } from "../train/finetune";
import { OPTIMIZER_KINDS, OptimizerKind } from "../train/optimizers";
import { checkOutputFolder } from "../train/output-folder";
import { terminalProgress } from "../train/progress";
import { SCHEDULE_KINDS, ScheduleKind } from "../train/schedules";
import { EarlyStopping } from "../train/trainer";
import { hubNameOfFolder, resolveModelFolder } from "../io/hub";
import { MemoryPlan } from "../io/memory";
import { Command, DATA_FILE_FLAGS, READING_USAGE, USER_DATA_FLAGS, fail, integerFlag, listFlag, loadModelAndAdapter, numberFlag, readUserFile, refuseIgnoredFlags, startBackend, userTaskFromFlags } from "./common";
import { describeTruncation, readNotesRecord } from "./data-notes";
import { LORA_FLAGS, LORA_USAGE, loraFromFlags } from "./lora-flags";
import { tokenBudgetWarning } from "./model-length";
import { checkResumableRun, fileIdentity, modelIdentity, RUN_OUTPUTS } from "./train-spec";

/** What the CLI trains on (a mixture of registered tasks, or the user's file), and validation records to evaluate on. */
interface TrainingSources {
  mixture: Mixture;
  evalTasks: { task: TaskDefinition; records: TaskRecord[] }[];
  /** The data's part of the run's spec, keyed by flag. */
  spec: Record<string, unknown>;
  /** What reading the files found (run.json's data). */
  report: Record<string, unknown>;
}

/** Registered tasks, mixed as the lab mixes them (every training record; --rate, default equal, between tasks). */
function registeredData(names: string[], rate: string | undefined): TrainingSources {
  return {
    mixture: trainingMixture({ mixture: names.map((task) => ({ task })), rate: rate ?? "equal" }),
    evalTasks: names.map((name) => ({ task: getTask(name), records: loadRecords(name, "validation").records })),
    spec: { "--tasks": names, "--rate": rate ?? "equal" },
    report: { tasks: names, rate: rate ?? "equal" },
  };
}

/** The user's --data file (and --eval-data), read and checked: every change reading made is printed. */
function fileData(values: Record<string, unknown>): TrainingSources {
  const task = userTaskFromFlags(values);
  const file = values.data as string;
  const evalFile = values["eval-data"] as string | undefined;
  const read = readUserFile(file, values, "--data");
  const evalRead = evalFile !== undefined ? readUserFile(evalFile, values, "--eval-data") : undefined;
  return {
    mixture: makeMixture(task.name, [{ task, records: userRecords(read) }]),
    evalTasks: evalRead ? [{ task, records: userRecords(evalRead) }] : [],
    spec: {
      "--data": fileIdentity(file),
      "--eval-data": evalFile !== undefined ? fileIdentity(evalFile) : null,
      "--format": read.format,
      "--input-column": values["input-column"] ?? null,
      "--target-column": values["target-column"] ?? null,
      "--template": task.templates[0].input,
      "--metric": task.metric,
      "--max-input-tokens": task.maxInputTokens,
      "--max-target-tokens": task.maxTargetTokens,
      "--max-chars": integerFlag("max-chars", values["max-chars"] as string | undefined) ?? DEFAULT_MAX_CHARS,
      "--accept-invalid-utf8": values["accept-invalid-utf8"] === true,
    },
    report: { data: readNotesRecord(read), evalData: evalRead ? readNotesRecord(evalRead) : null, template: task.templates[0].input, metric: task.metric },
  };
}

function parseEarlyStopping(spec: string | undefined): EarlyStopping | undefined {
  if (!spec) return undefined;
  const [metric, patience = "3", mode] = spec.split(":");
  const n = Number(patience);
  if (!metric || !Number.isInteger(n) || n < 1) fail(`--early-stopping "${spec}" must be METRIC[:PATIENCE[:max|min]], e.g. chat_summary/rougeL:3.`);
  if (mode !== undefined && mode !== "max" && mode !== "min") fail(`--early-stopping "${spec}": the mode must be max or min.`);
  return { metric, patience: n, mode: (mode as "max" | "min" | undefined) ?? (metric.endsWith("loss") ? "min" : "max") };
}

function choice<T extends string>(flag: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) fail(`--${flag} "${value}" must be one of ${choices.join(", ")}.`);
  return value as T;
}

/** Scores on each evaluation task's first `limit` records, keyed "<task>/<metric>". */
async function evaluateOn(model: T5Model, tokenizer: Tokenizer, data: TrainingSources, limit: number): Promise<Record<string, number>> {
  const scores: Record<string, number> = {};
  for (const { task, records } of data.evalTasks) {
    const examples: EvalExample[] = evalExamples(task, records.slice(0, limit));
    const result = await evaluateExamples(model, tokenizer, task, examples, { batchSize: 32 });
    for (const [metric, value] of Object.entries(result.means)) scores[`${task.name}/${metric}`] = value;
  }
  return scores;
}

/** Seeds are kept below 2^31 so that the dropout streams' seed arithmetic stays exact. */
const SEED_RANGE = { min: 0, max: 2 ** 31 - 1 };

/** The trainer's options from the flags, each checked by flag name and range; what a flag leaves out is the CLI's default here or the library's own. */
function fineTuneOptions(values: Record<string, string | boolean | undefined>): FineTuneOptions {
  const text = (flag: string) => values[flag] as string | undefined;
  const lora = loraFromFlags(values);
  return {
    method: lora ? "lora" : "full",
    lora,
    steps: integerFlag("steps", text("steps"), { min: 1 }) ?? 500,
    batchSize: integerFlag("batch-size", text("batch-size"), { min: 1 }) ?? 16,
    gradientAccumulation: integerFlag("grad-accum", text("grad-accum"), { min: 1 }),
    optimizer: { kind: choice<OptimizerKind>("optimizer", text("optimizer"), OPTIMIZER_KINDS, "adamw"), weightDecay: numberFlag("weight-decay", text("weight-decay"), { min: 0 }) },
    learningRate: numberFlag("lr", text("lr"), { above: 0 }) ?? 1e-3,
    schedule: { kind: choice<ScheduleKind>("schedule", text("schedule"), SCHEDULE_KINDS, "constant"), warmupSteps: integerFlag("warmup", text("warmup"), { min: 0 }) ?? 0 },
    maxGradNorm: numberFlag("max-grad-norm", text("max-grad-norm"), { min: 0 }),
    dropoutRate: numberFlag("dropout", text("dropout"), { min: 0, below: 1 }),
    seed: integerFlag("seed", text("seed"), SEED_RANGE) ?? 0,
    logEvery: integerFlag("log-every", text("log-every"), { min: 1 }),
    evalEvery: integerFlag("eval-every", text("eval-every"), { min: 1 }),
    earlyStopping: parseEarlyStopping(text("early-stopping")),
    saveEvery: integerFlag("save-every", text("save-every"), { min: 1 }),
    keepCheckpoints: integerFlag("keep-checkpoints", text("keep-checkpoints"), { min: 1 }),
  };
}

/** The run's spec by flag name (run.json's spec.describe): every flag that changes what the run computes, defaults filled in. */
function runDescription(values: Record<string, unknown>, options: FineTuneOptions, data: TrainingSources, evalExamplesCount: number): Record<string, unknown> {
  return {
    "--model": modelIdentity(values.model as string),
    ...data.spec,
    "--steps": options.steps,
    "--batch-size": options.batchSize,
    "--grad-accum": options.gradientAccumulation ?? 1,
    "--lr": options.learningRate,
    "--optimizer": options.optimizer.kind,
    "--weight-decay": options.optimizer.weightDecay ?? null,
    "--schedule": options.schedule?.kind,
    "--warmup": options.schedule?.warmupSteps,
    "--max-grad-norm": options.maxGradNorm ?? null,
    "--dropout": options.dropoutRate ?? null,
    "--seed": options.seed,
    "--log-every": options.logEvery ?? null,
    "--eval-every": data.evalTasks.length > 0 ? (options.evalEvery ?? null) : null,
    "--eval-examples": data.evalTasks.length > 0 ? evalExamplesCount : null,
    "--early-stopping": values["early-stopping"] ?? null,
    "--lora": options.method === "lora" ? { ...options.lora } : null,
  };
}

/** What the run will need, checked against the backend's memory before any weight is read. */
function memoryPlan(options: FineTuneOptions, mixture: Mixture): MemoryPlan {
  const tasks = mixtureShares(mixture).map((share) => share.task);
  return {
    mode: options.method,
    optimizer: options.optimizer.kind,
    lora: options.lora,
    batchSize: options.batchSize,
    gradientAccumulation: options.gradientAccumulation,
    sourceLength: Math.max(...tasks.map((t) => t.maxInputTokens)),
    targetLength: Math.max(...tasks.map((t) => t.maxTargetTokens)),
  };
}

/** Bytes of one checkpoint of this run, from the model's config.json alone (no weights read). */
function checkpointBytesFor(modelFolder: string, options: FineTuneOptions): number {
  const lora = options.method === "lora";
  const parameters = parameterReport(loadConfig(modelFolder), lora ? (options.lora ?? {}) : undefined);
  return checkpointBytes({
    savedFloats: lora ? parameters.trainable : parameters.all,
    trainableFloats: parameters.trainable,
    optimizer: options.optimizer.kind,
    extraBytes: lora ? 0 : filesBytes(modelFolder, TOKENIZER_FILES),
  });
}

/** The flags that make sense only with some others, refused rather than ignored. */
function refuseIgnoredCombinations(values: Record<string, unknown>): void {
  refuseIgnoredFlags(values, [...DATA_FILE_FLAGS, "eval-data"], values.data !== undefined, "with --data FILE");
  refuseIgnoredFlags(values, ["rate"], values.tasks !== undefined, "with --tasks a,b,c (a mixture)");
  const evaluates = values.data === undefined || values["eval-data"] !== undefined;
  refuseIgnoredFlags(values, ["eval-every", "eval-examples", "early-stopping"], evaluates, "when the run evaluates: with --task/--tasks (their validation split) or with --eval-data FILE");
}

const TRAIN_FLAGS = {
  model: { type: "string" },
  out: { type: "string" },
  task: { type: "string" },
  tasks: { type: "string" },
  rate: { type: "string" },
  ...USER_DATA_FLAGS,
  "eval-data": { type: "string" },
  steps: { type: "string" },
  "batch-size": { type: "string" },
  "grad-accum": { type: "string" },
  lr: { type: "string" },
  optimizer: { type: "string" },
  "weight-decay": { type: "string" },
  schedule: { type: "string" },
  warmup: { type: "string" },
  "max-grad-norm": { type: "string" },
  dropout: { type: "string" },
  seed: { type: "string" },
  "log-every": { type: "string" },
  "eval-every": { type: "string" },
  "eval-examples": { type: "string" },
  "early-stopping": { type: "string" },
  "save-every": { type: "string" },
  "keep-checkpoints": { type: "string" },
  overwrite: { type: "boolean" },
  ...LORA_FLAGS,
} as const;

/** The `flanlab train` command. */
export const trainCommand: Command = {
  summary: "fine-tune a model (all weights or LoRA) on a task, a mixture, or your own CSV/JSONL file",
  usage: [
    "flanlab train --model DIR --out DIR (--task T | --tasks a,b,c [--rate equal|proportional:K|temperature:T[,K]]",
    "              | --data FILE [--format csv|jsonl|dialogsum|samsum] [--input-column C --target-column C]",
    "                [--template \"...{input}...\"] [--metric rouge|classification|...] [--eval-data FILE]",
    "                [--max-input-tokens 512] [--max-target-tokens 128]",
    `                ${READING_USAGE})`,
    "  training: [--steps 500] [--batch-size 16] [--grad-accum 1] [--lr 1e-3] [--optimizer adamw|adafactor]",
    "            [--weight-decay W (default: the optimizer's own)] [--schedule constant|linear|cosine|inverse_sqrt]",
    "            [--warmup 0] [--max-grad-norm 1 (0: no clipping)] [--dropout R in [0, 1)] [--seed 0] [--log-every 10]",
    "            [--eval-every N] [--eval-examples 100] [--early-stopping METRIC[:PATIENCE[:max|min]]]",
    `  LoRA:     ${LORA_USAGE}`,
    "  run folder: [--save-every N (default: every 10% of the run, and at each evaluation)] [--keep-checkpoints 2] [--overwrite]",
    "  The run folder gets run.json, metrics.jsonl and checkpoints/ (step-N, best, last); the final model (or adapter)",
    "  goes to OUT/final. Checkpoints are atomic and also saved on Ctrl-C or SIGTERM. Run the same command again to",
    "  resume from the newest complete checkpoint; another spec in the same --out is refused unless --overwrite",
    `  (which removes ${RUN_OUTPUTS}).`,
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({ args, options: TRAIN_FLAGS });
    if (!values.model) fail("--model DIR is required (a checkpoint folder with its tokenizer).");
    if (!values.out) fail("--out DIR is required (the run folder).");
    const sourcesGiven = [values.task, values.tasks, values.data].filter((v) => v !== undefined).length;
    if (sourcesGiven !== 1) fail("give exactly one of --task, --tasks or --data.");
    refuseIgnoredCombinations(values);
    const options = fineTuneOptions(values);
    const evalExamplesCount = integerFlag("eval-examples", values["eval-examples"], { min: 1 }) ?? 100;
    const data = values.data ? fileData(values) : registeredData(values.task ? [values.task] : listFlag(values.tasks)!, values.rate);
    const modelFolder = resolveModelFolder(values.model);
    checkOutputFolder(values.out, { what: "--out", bytesNeeded: checkpointBytesFor(modelFolder, options), bytesFor: "one checkpoint" });
    const describe = runDescription(values, options, data, evalExamplesCount);
    if (!values.overwrite) checkResumableRun(values.out, describe);

    const tokenizer = await loadTokenizer(modelFolder);
    const budget = values.data ? tokenBudgetWarning(memoryPlan(options, data.mixture).sourceLength ?? 0, tokenizer.modelMaxLength) : null;
    if (budget) console.error(`warning: ${budget}`);
    await startBackend();
    const base = loadModelAndAdapter(values.model, undefined, memoryPlan(options, data.mixture));
    const final = path.join(values.out, "final");
    if (values.overwrite) fs.rmSync(final, { recursive: true, force: true });
    const source = new MixtureBatches(data.mixture, options.seed, tokenizer);
    const { model, result } = await fineTuneModel(base, source, {
      ...options,
      inPlace: true, // the loaded model is this run's own: no copy
      onPrepared: (_, parameters) => console.error(formatParameterReport(parameters)),
      evaluate: data.evalTasks.length > 0 ? (m: T5Model) => evaluateOn(m, tokenizer, data, evalExamplesCount) : undefined,
      outDir: values.out,
      resume: !values.overwrite,
      tokenizerFolder: modelFolder,
      progress: terminalProgress(process.stderr, options.logEvery ?? 10),
      describe,
      dataReport: data.report,
      log: (message) => console.error(message),
    });
    // A Hub model resolved to its cache folder is recorded by name, so that PEFT finds the base anywhere.
    writeFolderAtomic(final, (folder) => {
      if (options.method === "lora") saveAdapter(model, folder, { baseModel: hubNameOfFolder(modelFolder) ?? values.model });
      else saveModel(model, folder, { tokenizerFolder: modelFolder });
    });
    if (source.truncation.inputs + source.truncation.targets > 0) console.error(describeTruncation(source.truncation));
    const last = result.evaluations[result.evaluations.length - 1];
    console.log(`trained ${result.steps} steps${result.resumedFrom !== null ? ` (resumed at ${result.resumedFrom})` : ""}; final ${isAdapterFolder(final) ? "adapter" : "model"}: ${final}`);
    if (last) console.log(Object.entries(last.scores).map(([k, v]) => `${k} ${v.toFixed(4)}`).join("\n"));
    if (result.bestStep !== null) console.log(`best step ${result.bestStep} (${result.bestScore}): ${path.join(values.out, "checkpoints", "best")}`);
  },
};
