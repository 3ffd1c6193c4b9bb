// flanlab train: fine-tune (all weights or LoRA adapters) on a registered task, a mixture, or the user's own file.
import * as path from "path";
import { parseArgs } from "util";
import { Mixture, makeMixture, mixtureShares } from "../data/mixtures";
import { getTask, loadRecords } from "../lab/tasks/registry";
import { trainingMixture } from "../lab/experiments/finetune";
import { TaskDefinition, TaskRecord } from "../data/task";
import { EvalExample, evalExamples, evaluateExamples } from "../eval/evaluate";
import { isAdapterFolder, saveAdapter } from "../io/adapter";
import { saveModel } from "../io/checkpoint";
import { Tokenizer, loadTokenizer } from "../io/tokenizer";
import { formatParameterReport } from "../model/lora";
import { T5Model } from "../model/t5";
import { FineTuneOptions, fineTuneModel } from "../train/finetune";
import { OPTIMIZER_KINDS, OptimizerKind } from "../train/optimizers";
import { terminalProgress } from "../train/progress";
import { SCHEDULE_KINDS, ScheduleKind } from "../train/schedules";
import { EarlyStopping } from "../train/trainer";
import { hubNameOfFolder } from "../io/hub";
import { MemoryPlan } from "../io/memory";
import { Command, USER_DATA_FLAGS, fail, integerFlag, listFlag, loadModelAndAdapter, numberFlag, startBackend, userRecordsFromFlags, userTaskFromFlags } from "./common";
import { LORA_FLAGS, LORA_USAGE, loraFromFlags } from "./lora-flags";

/** What the CLI trains on (a mixture of registered tasks, or the user's file), and validation records to evaluate on. */
interface TrainingSources {
  mixture: Mixture;
  evalTasks: { task: TaskDefinition; records: TaskRecord[] }[];
  description: Record<string, unknown>;
}

/** Registered tasks, mixed as the lab mixes them (every training record; --rate, default equal, between tasks). */
function registeredData(names: string[], rate: string | undefined): TrainingSources {
  return {
    mixture: trainingMixture({ mixture: names.map((task) => ({ task })), rate: rate ?? "equal" }),
    evalTasks: names.map((name) => ({ task: getTask(name), records: loadRecords(name, "validation").records })),
    description: { tasks: names, rate: rate ?? "equal" },
  };
}

function fileData(values: Record<string, unknown>): TrainingSources {
  const task = userTaskFromFlags(values);
  const records = userRecordsFromFlags(values.data as string, values);
  const evalRecords = values["eval-data"] ? userRecordsFromFlags(values["eval-data"] as string, values) : [];
  return {
    mixture: makeMixture(task.name, [{ task, records }]),
    evalTasks: evalRecords.length > 0 ? [{ task, records: evalRecords }] : [],
    description: { data: values.data, evalData: values["eval-data"] ?? null, template: values.template ?? "{input}", metric: task.metric },
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

/** The trainer's options from the flags; what a flag leaves out is the CLI's default here or the library's own. */
function fineTuneOptions(values: Record<string, string | undefined>): FineTuneOptions {
  const lora = loraFromFlags(values);
  return {
    method: lora ? "lora" : "full",
    lora,
    steps: integerFlag("steps", values.steps) ?? 500,
    batchSize: integerFlag("batch-size", values["batch-size"]) ?? 16,
    gradientAccumulation: integerFlag("grad-accum", values["grad-accum"]),
    optimizer: { kind: choice<OptimizerKind>("optimizer", values.optimizer, OPTIMIZER_KINDS, "adamw"), weightDecay: numberFlag("weight-decay", values["weight-decay"]) },
    learningRate: numberFlag("lr", values.lr) ?? 1e-3,
    schedule: { kind: choice<ScheduleKind>("schedule", values.schedule, SCHEDULE_KINDS, "constant"), warmupSteps: integerFlag("warmup", values.warmup) ?? 0 },
    maxGradNorm: numberFlag("max-grad-norm", values["max-grad-norm"]),
    dropoutRate: numberFlag("dropout", values.dropout),
    seed: integerFlag("seed", values.seed) ?? 0,
    evalEvery: integerFlag("eval-every", values["eval-every"]),
    earlyStopping: parseEarlyStopping(values["early-stopping"]),
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

export const trainCommand: Command = {
  summary: "fine-tune a model (all weights or LoRA) on a task, a mixture, or your own CSV/JSONL file",
  usage: [
    "flanlab train --model DIR --out DIR (--task T | --tasks a,b,c [--rate equal|proportional:K|temperature:T[,K]]",
    "              | --data FILE [--format csv|jsonl|dialogsum|samsum] [--input-column C --target-column C]",
    "                [--template \"...{input}...\"] [--metric rouge|classification|...] [--eval-data FILE]",
    "                [--max-input-tokens 512] [--max-target-tokens 128])",
    "  training: [--steps 500] [--batch-size 16] [--grad-accum 1] [--lr 1e-3] [--optimizer adamw|adafactor]",
    "            [--weight-decay W (default: the optimizer's own)] [--schedule constant|linear|cosine|inverse_sqrt]",
    "            [--warmup 0] [--max-grad-norm 1] [--dropout R] [--seed 0] [--eval-every N] [--eval-examples 100]",
    "            [--early-stopping METRIC[:PATIENCE[:max|min]]]",
    `  LoRA:     ${LORA_USAGE}`,
    "  The run folder gets run.json, metrics.jsonl and checkpoints/ (best, last); the final model (or adapter) goes",
    "  to OUT/final. Run the same command again to resume an interrupted run.",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
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
        "eval-every": { type: "string" },
        "eval-examples": { type: "string" },
        "early-stopping": { type: "string" },
        ...LORA_FLAGS,
      },
    });
    if (!values.model) fail("--model DIR is required (a checkpoint folder with its tokenizer).");
    if (!values.out) fail("--out DIR is required (the run folder).");
    const sourcesGiven = [values.task, values.tasks, values.data].filter((v) => v !== undefined).length;
    if (sourcesGiven !== 1) fail("give exactly one of --task, --tasks or --data.");
    const data = values.data ? fileData(values) : registeredData(values.task ? [values.task] : listFlag(values.tasks)!, values.rate);
    const options = fineTuneOptions(values);
    const evalExamplesCount = integerFlag("eval-examples", values["eval-examples"]) ?? 100;

    await startBackend();
    const tokenizer = await loadTokenizer(values.model);
    const base = loadModelAndAdapter(values.model, undefined, memoryPlan(options, data.mixture));
    const { model, result } = await fineTuneModel(base, { mixture: data.mixture, tokenizer }, {
      ...options,
      inPlace: true, // the loaded model is this run's own: no copy
      onPrepared: (_, parameters) => console.error(formatParameterReport(parameters)),
      evaluate: data.evalTasks.length > 0 ? (m: T5Model) => evaluateOn(m, tokenizer, data, evalExamplesCount) : undefined,
      outDir: values.out,
      tokenizerFolder: values.model,
      progress: terminalProgress(),
      describe: { ...data.description, model: values.model },
    });
    const final = path.join(values.out, "final");
    // A Hub model resolved to its cache folder is recorded by name, so that PEFT finds the base anywhere.
    if (options.method === "lora") saveAdapter(model, final, { baseModel: hubNameOfFolder(values.model) ?? values.model });
    else saveModel(model, final, { tokenizerFolder: values.model });
    const last = result.evaluations[result.evaluations.length - 1];
    console.log(`trained ${result.steps} steps${result.resumedFrom !== null ? ` (resumed at ${result.resumedFrom})` : ""}; final ${isAdapterFolder(final) ? "adapter" : "model"}: ${final}`);
    if (last) console.log(Object.entries(last.scores).map(([k, v]) => `${k} ${v.toFixed(4)}`).join("\n"));
    if (result.bestStep !== null) console.log(`best step ${result.bestStep} (${result.bestScore}): ${path.join(values.out, "checkpoints", "best")}`);
  },
};
