// flanlab train: fine-tune (all weights or LoRA adapters) on a registered task, a mixture, or the user's own file.
import * as path from "path";
import { parseArgs } from "util";
import { Mixture, makeMixture, mixtureShares, parseRateSpec } from "../data/mixtures";
import { getTask, loadRecords } from "../lab/tasks/registry";
import { TaskDefinition, TaskRecord } from "../data/task";
import { EvalExample, evalExamples, evaluateExamples } from "../eval/evaluate";
import { isAdapterFolder, saveAdapter } from "../io/adapter";
import { saveModel } from "../io/checkpoint";
import { Tokenizer, loadTokenizer } from "../io/tokenizer";
import { addAdapter, formatParameterReport, loraTrainable, modelParameterReport, targetModulesFromText } from "../model/lora";
import { T5Model } from "../model/t5";
import { OPTIMIZER_KINDS, OptimizerKind } from "../train/optimizers";
import { terminalProgress } from "../train/progress";
import { SCHEDULE_KINDS, ScheduleKind } from "../train/schedules";
import { toVariables } from "../train/step";
import { EarlyStopping, train } from "../train/trainer";
import { MixtureBatches } from "../train/batches";
import { hubNameOfFolder } from "../io/hub";
import { MemoryPlan } from "../io/memory";
import { LoraConfig } from "../model/lora";
import { Command, USER_DATA_FLAGS, fail, integerFlag, listFlag, loadModelAndAdapter, numberFlag, startBackend, userRecordsFromFlags, userTaskFromFlags } from "./common";

/** A source of training records with its task, and validation records to evaluate on. */
interface TrainingData {
  mixture: Mixture;
  evalTasks: { task: TaskDefinition; records: TaskRecord[] }[];
  description: Record<string, unknown>;
}

function registeredData(names: string[], rate: string | undefined): TrainingData {
  const sources = names.map((name) => ({ task: getTask(name), records: loadRecords(name, "train").records }));
  const spec = parseRateSpec(rate ?? "equal");
  return {
    mixture: makeMixture(names.join("+"), sources, spec.rate),
    evalTasks: names.map((name) => ({ task: getTask(name), records: loadRecords(name, "validation").records })),
    description: { tasks: names, rate: rate ?? "equal" },
  };
}

function fileData(values: Record<string, unknown>): TrainingData {
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
async function evaluateOn(model: T5Model, tokenizer: Tokenizer, data: TrainingData, limit: number): Promise<Record<string, number>> {
  const scores: Record<string, number> = {};
  for (const { task, records } of data.evalTasks) {
    const examples: EvalExample[] = evalExamples(task, records.slice(0, limit));
    const result = await evaluateExamples(model, tokenizer, task, examples, { batchSize: 32 });
    for (const [metric, value] of Object.entries(result.means)) scores[`${task.name}/${metric}`] = value;
  }
  return scores;
}

export const trainCommand: Command = {
  summary: "fine-tune a model (all weights or LoRA) on a task, a mixture, or your own CSV/JSONL file",
  usage: [
    "flanlab train --model DIR --out DIR (--task T | --tasks a,b,c [--rate equal|proportional:K|temperature:T[,K]]",
    "              | --data FILE [--format csv|jsonl|dialogsum|samsum] [--input-column C --target-column C]",
    "                [--template \"...{input}...\"] [--metric rouge|classification|...] [--eval-data FILE]",
    "                [--max-input-tokens 512] [--max-target-tokens 128])",
    "  training: [--steps 500] [--batch-size 16] [--grad-accum 1] [--lr 1e-3] [--optimizer adamw|adafactor]",
    "            [--schedule constant|linear|cosine|inverse_sqrt] [--warmup 0] [--max-grad-norm 1] [--dropout R]",
    "            [--seed 0] [--eval-every N] [--eval-examples 100] [--early-stopping METRIC[:PATIENCE[:max|min]]]",
    "  LoRA:     [--lora-r R --lora-alpha A --lora-dropout D --lora-targets q,v|all-linear]",
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
        schedule: { type: "string" },
        warmup: { type: "string" },
        "max-grad-norm": { type: "string" },
        dropout: { type: "string" },
        seed: { type: "string" },
        "eval-every": { type: "string" },
        "eval-examples": { type: "string" },
        "early-stopping": { type: "string" },
        "lora-r": { type: "string" },
        "lora-alpha": { type: "string" },
        "lora-dropout": { type: "string" },
        "lora-targets": { type: "string" },
      },
    });
    if (!values.model) fail("--model DIR is required (a checkpoint folder with its tokenizer).");
    if (!values.out) fail("--out DIR is required (the run folder).");
    const sourcesGiven = [values.task, values.tasks, values.data].filter((v) => v !== undefined).length;
    if (sourcesGiven !== 1) fail("give exactly one of --task, --tasks or --data.");
    const data = values.data ? fileData(values) : registeredData(values.task ? [values.task] : listFlag(values.tasks)!, values.rate);

    const seed = integerFlag("seed", values.seed) ?? 0;
    const batchSize = integerFlag("batch-size", values["batch-size"]) ?? 16;
    const gradientAccumulation = integerFlag("grad-accum", values["grad-accum"]);
    const optimizer = choice<OptimizerKind>("optimizer", values.optimizer, OPTIMIZER_KINDS, "adamw");
    const lora: Partial<LoraConfig> | undefined =
      values["lora-r"] !== undefined || values["lora-targets"] !== undefined
        ? {
            r: integerFlag("lora-r", values["lora-r"]) ?? 8,
            lora_alpha: numberFlag("lora-alpha", values["lora-alpha"]) ?? 16,
            lora_dropout: numberFlag("lora-dropout", values["lora-dropout"]) ?? 0,
            target_modules: values["lora-targets"] ? targetModulesFromText(values["lora-targets"]) : ["q", "v"],
          }
        : undefined;

    await startBackend();
    const tokenizer = await loadTokenizer(values.model);
    // Checked against the backend's memory before any weight is read: this run's batch, lengths, optimizer and mode.
    const tasks = mixtureShares(data.mixture).map((share) => share.task);
    const plan: MemoryPlan = {
      mode: lora ? "lora" : "full",
      optimizer,
      lora,
      batchSize,
      gradientAccumulation,
      sourceLength: Math.max(...tasks.map((t) => t.maxInputTokens)),
      targetLength: Math.max(...tasks.map((t) => t.maxTargetTokens)),
    };
    const model = loadModelAndAdapter(values.model, undefined, plan);
    if (lora) {
      addAdapter(model, lora, { seed });
      loraTrainable(model);
    } else {
      model.params = toVariables(model.params);
    }
    console.error(formatParameterReport(modelParameterReport(model)));

    const evalExamplesCount = integerFlag("eval-examples", values["eval-examples"]) ?? 100;
    const evaluate = data.evalTasks.length > 0 ? (m: T5Model) => evaluateOn(m, tokenizer, data, evalExamplesCount) : undefined;
    const result = await train(model, new MixtureBatches(data.mixture, seed, tokenizer), {
      steps: integerFlag("steps", values.steps) ?? 500,
      batchSize,
      gradientAccumulation,
      optimizer: { kind: optimizer },
      learningRate: numberFlag("lr", values.lr) ?? 1e-3,
      schedule: { kind: choice<ScheduleKind>("schedule", values.schedule, SCHEDULE_KINDS, "constant"), warmupSteps: integerFlag("warmup", values.warmup) ?? 0 },
      maxGradNorm: numberFlag("max-grad-norm", values["max-grad-norm"]),
      dropoutRate: numberFlag("dropout", values.dropout),
      seed,
      evalEvery: integerFlag("eval-every", values["eval-every"]),
      evaluate,
      earlyStopping: parseEarlyStopping(values["early-stopping"]),
      outDir: values.out,
      tokenizerFolder: values.model,
      progress: terminalProgress(),
      describe: { ...data.description, model: values.model },
    });
    const final = path.join(values.out, "final");
    // A Hub model resolved to its cache folder is recorded by name, so that PEFT finds the base anywhere.
    if (lora) saveAdapter(model, final, { baseModel: hubNameOfFolder(values.model) ?? values.model });
    else saveModel(model, final, { tokenizerFolder: values.model });
    const last = result.evaluations[result.evaluations.length - 1];
    console.log(`trained ${result.steps} steps${result.resumedFrom !== null ? ` (resumed at ${result.resumedFrom})` : ""}; final ${isAdapterFolder(final) ? "adapter" : "model"}: ${final}`);
    if (last) console.log(Object.entries(last.scores).map(([k, v]) => `${k} ${v.toFixed(4)}`).join("\n"));
    if (result.bestStep !== null) console.log(`best step ${result.bestStep} (${result.bestScore}): ${path.join(values.out, "checkpoints", "best")}`);
  },
};
