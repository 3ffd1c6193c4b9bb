// The training loop every experiment uses: batches -> gradients (accumulated, weighted by target tokens) ->
// clipping -> optimizer update on a schedule; evaluation every N steps with early stopping; checkpoints that let an
// interrupted run resume and end with the same weights as an uninterrupted one.
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { Batch } from "../data/collate";
import { IGNORE_INDEX } from "../labels";
import { activeAdapter, modelParameterReport } from "../model/lora";
import { DropoutStream, T5Model } from "../model/t5";
import { BatchSource } from "./batches";
import {
  TrainerState,
  appendMetrics,
  bestDir,
  findLastCheckpoint,
  lastDir,
  restoreCheckpoint,
  saveCheckpoint,
  writeRunJson,
} from "./checkpoints";
import { clipGradNorm } from "./clip";
import { GradMap, Optimizer, OptimizerOptions, accumulateGradients, computeGradients, disposeGradients, makeOptimizer, scaleGradients, trainableVariableMap } from "./optimizers";
import { ProgressSink } from "./progress";
import { ScheduleKind, makeSchedule } from "./schedules";
import { batchLoss } from "./step";

/** Stop when an evaluated metric has not improved for a number of evaluations. */
export interface EarlyStopping {
  /** Key of the evaluate() result to watch, e.g. "chat_summary/rougeL" or "loss". */
  metric: string;
  mode: "max" | "min";
  /** Evaluations without improvement before stopping. */
  patience: number;
}

/** Everything train() needs besides the model and the batches. */
export interface TrainerOptions {
  /** Optimizer updates to make. */
  steps: number;
  /** Examples per micro-batch. */
  batchSize: number;
  /** Micro-batches per update; the update equals one batch of batchSize x this (weighted by target tokens). */
  gradientAccumulation?: number;
  optimizer: OptimizerOptions;
  learningRate: number;
  schedule?: { kind: ScheduleKind; warmupSteps?: number };
  /** Clip the global gradient norm to this; 0 turns clipping off. Default 1.0. */
  maxGradNorm?: number;
  seed: number;
  /** Dropout during training; default the model config's dropout_rate. */
  dropoutRate?: number;
  logEvery?: number;
  /** Evaluate every N steps (and at the end) when `evaluate` is given. */
  evalEvery?: number;
  evaluate?: (model: T5Model, step: number) => Promise<Record<string, number>> | Record<string, number>;
  earlyStopping?: EarlyStopping;
  /** Run folder (run.json, metrics.jsonl, checkpoints/). Without one, nothing is written and nothing resumes. */
  outDir?: string;
  /** Save a checkpoint every N steps (default: evalEvery, else only at the end). */
  saveEvery?: number;
  /** step-N folders to keep besides best and last. Default 2. */
  keepCheckpoints?: number;
  /** Copied into each checkpoint so it is a complete model folder. */
  tokenizerFolder?: string;
  /** Resume from outDir's last checkpoint when there is one. Default true. */
  resume?: boolean;
  progress?: ProgressSink;
  /** Anything else worth recording in run.json (task, mixture, trainable filter description, ...). */
  describe?: Record<string, unknown>;
}

/** What a training run did: steps, losses, evaluations, best step, resume point, time. */
export interface TrainResult {
  /** Updates done in all (including those before a resume). */
  steps: number;
  /** Loss per update made in this call (steps done before a resume are not repeated). */
  losses: { step: number; loss: number }[];
  evaluations: { step: number; scores: Record<string, number> }[];
  bestStep: number | null;
  bestScore: number | null;
  stoppedEarly: boolean;
  resumedFrom: number | null;
  seconds: number;
  tokensPerSecond: number;
}

/** Training diverged: the loss or gradient norm became NaN or infinite. Parameters are left as before that step. */
export class TrainingDivergedError extends Error {}

/** Target tokens that count in the loss (labels other than -100). */
export function targetTokens(batch: Batch): number {
  return batch.labels.reduce((sum, row) => sum + row.filter((id) => id !== IGNORE_INDEX).length, 0);
}

function sourceTokens(batch: Batch): number {
  return batch.attentionMask.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}

/**
 * Gradients of one update over `microBatches`: each micro-batch's mean loss is weighted by its share of the target
 * tokens, so the sum equals the gradient of the mean loss over all their tokens - exactly one larger batch.
 */
export function accumulatedGradients(
  model: T5Model,
  microBatches: Batch[],
  dropoutFor: (micro: number) => DropoutStream | undefined,
): { loss: number; grads: GradMap } {
  const variables = trainableVariableMap(model.params);
  const counts = microBatches.map(targetTokens);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error("A training batch has no target tokens (every label is -100).");
  let grads: GradMap | undefined;
  let loss = 0;
  microBatches.forEach((batch, i) => {
    const weight = counts[i] / total;
    const part = computeGradients(() => batchLoss(model, batch, { dropout: dropoutFor(i) }), variables);
    loss += weight * part.loss;
    grads = accumulateGradients(grads, microBatches.length === 1 ? part.grads : scaleGradients(part.grads, weight));
  });
  return { loss, grads: grads as GradMap };
}

function isImprovement(score: number, best: number | null, mode: "max" | "min"): boolean {
  return best === null || (mode === "max" ? score > best : score < best);
}

function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.version, "tfjs-core": tf.version_core };
  try {
    versions.flanlab = (require("../../package.json") as { version: string }).version;
  } catch {
    // running from an unusual layout; the rest is still worth recording
  }
  return versions;
}

/** Drop metrics lines past `step` (they belong to the interrupted part of a run that is being resumed). */
function truncateMetrics(runDir: string, step: number): void {
  const file = path.join(runDir, "metrics.jsonl");
  if (!fs.existsSync(file)) return;
  const kept = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && (JSON.parse(line) as { step: number }).step <= step);
  fs.writeFileSync(file, kept.map((line) => line + "\n").join(""));
}

function checkOptions(options: TrainerOptions): void {
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new Error(`train: ${name} must be a positive integer, got ${value}.`);
  };
  positive("steps", options.steps);
  positive("batchSize", options.batchSize);
  positive("gradientAccumulation", options.gradientAccumulation);
  positive("logEvery", options.logEvery);
  positive("evalEvery", options.evalEvery);
  positive("saveEvery", options.saveEvery);
  if (!(options.learningRate > 0)) throw new Error(`train: learningRate must be > 0, got ${options.learningRate}.`);
  if (options.earlyStopping && !options.evaluate) throw new Error("train: earlyStopping needs an evaluate function.");
}

/**
 * Train `model` (its trainable tf.Variables) on batches from `source`. Deterministic for a given seed on a given
 * backend: the data order comes from the source's seed, dropout masks from (seed, step, micro-batch).
 */
export async function train(model: T5Model, source: BatchSource, options: TrainerOptions): Promise<TrainResult> {
  checkOptions(options);
  const accumulation = options.gradientAccumulation ?? 1;
  const maxGradNorm = options.maxGradNorm ?? 1.0;
  const logEvery = options.logEvery ?? 10;
  const saveEvery = options.saveEvery ?? options.evalEvery ?? options.steps;
  const dropoutRate = options.dropoutRate ?? model.config.dropout_rate;
  const loraDropout = activeAdapter(model)?.config.lora_dropout ?? 0; // a stream of rate 0 still feeds LoRA's own dropout
  const schedule = makeSchedule({ kind: options.schedule?.kind ?? "constant", peak: options.learningRate, warmupSteps: options.schedule?.warmupSteps ?? 0, totalSteps: options.steps });
  const optimizer: Optimizer = makeOptimizer(options.optimizer);
  const runDir = options.outDir;
  const state: TrainerState = { step: 0, seed: options.seed, data: source.state(), bestStep: null, bestScore: null, evalsWithoutImprovement: 0 };
  let resumedFrom: number | null = null;

  if (runDir) {
    fs.mkdirSync(runDir, { recursive: true });
    const last = options.resume === false ? undefined : findLastCheckpoint(runDir);
    if (last) {
      if (last.state.seed !== options.seed) {
        throw new Error(`${runDir}: its checkpoint was trained with seed ${last.state.seed}, not ${options.seed}; use another --out or the same seed.`);
      }
      restoreCheckpoint(last.folder, model, optimizer);
      source.restore(last.state.data);
      Object.assign(state, last.state);
      resumedFrom = state.step;
      truncateMetrics(runDir, state.step);
    }
    writeRunJson(runDir, {
      options: { ...options, evaluate: options.evaluate ? "function" : undefined, progress: undefined },
      config: model.config,
      adapter: activeAdapter(model)?.config ?? null,
      parameters: modelParameterReport(model),
      backend: tf.getBackend(),
      versions: packageVersions(),
      started: new Date().toISOString(),
      resumedFrom,
    });
  }

  const losses: TrainResult["losses"] = [];
  const evaluations: TrainResult["evaluations"] = [];
  let stoppedEarly = false;
  let tokens = 0;
  const started = performance.now();

  const save = (isBest: boolean) => {
    if (runDir) saveCheckpoint(runDir, model, optimizer, { ...state, data: source.state() }, { isBest, tokenizerFolder: options.tokenizerFolder, keep: options.keepCheckpoints ?? 2 });
  };

  try {
    while (state.step < options.steps && !stoppedEarly) {
      const step = state.step + 1;
      const microBatches = Array.from({ length: accumulation }, () => source.next(options.batchSize));
      const dropoutFor = (micro: number) =>
        dropoutRate > 0 || loraDropout > 0 ? new DropoutStream(dropoutRate, options.seed * 1_000_003 + step * 101 + micro) : undefined;
      const { loss, grads } = accumulatedGradients(model, microBatches, dropoutFor);
      const clipped = maxGradNorm > 0 ? clipGradNorm(grads, maxGradNorm) : { grads, norm: NaN };
      if (!Number.isFinite(loss) || (maxGradNorm > 0 && !Number.isFinite(clipped.norm))) {
        disposeGradients(clipped.grads);
        const kept = runDir && fs.existsSync(lastDir(runDir)) ? ` The last good checkpoint is ${lastDir(runDir)}.` : "";
        throw new TrainingDivergedError(`Training stopped at step ${step}: the loss is ${loss} and the gradient norm ${clipped.norm}.${kept}`);
      }
      const learningRate = schedule(state.step);
      optimizer.step(clipped.grads, trainableVariableMap(model.params), learningRate);
      disposeGradients(clipped.grads);
      state.step = step;
      losses.push({ step, loss });
      tokens += microBatches.reduce((sum, b) => sum + sourceTokens(b) + targetTokens(b), 0);
      const elapsedSeconds = (performance.now() - started) / 1000;
      const progressState = { step, totalSteps: options.steps, loss, learningRate, tokensPerSecond: tokens / elapsedSeconds, elapsedSeconds };
      options.progress?.update(progressState);
      if (runDir && (step % logEvery === 0 || step === options.steps)) {
        const epoch = source.epochSize ? (step * options.batchSize * accumulation) / source.epochSize : undefined;
        appendMetrics(runDir, { step, epoch, loss, learning_rate: learningRate, grad_norm: clipped.norm, tokens_per_s: progressState.tokensPerSecond });
      }

      let isBest = false;
      if (options.evaluate && (step === options.steps || (options.evalEvery && step % options.evalEvery === 0))) {
        const scores = await options.evaluate(model, step);
        evaluations.push({ step, scores });
        options.progress?.evaluated?.(step, scores);
        if (runDir) appendMetrics(runDir, { step, eval: scores });
        if (options.earlyStopping) {
          const score = scores[options.earlyStopping.metric];
          if (typeof score !== "number") {
            throw new Error(`train: early stopping watches "${options.earlyStopping.metric}", which evaluate() did not return (it returned ${Object.keys(scores).join(", ")}).`);
          }
          if (isImprovement(score, state.bestScore, options.earlyStopping.mode)) {
            Object.assign(state, { bestScore: score, bestStep: step, evalsWithoutImprovement: 0 });
            isBest = true;
          } else if (++state.evalsWithoutImprovement >= options.earlyStopping.patience) {
            stoppedEarly = true;
          }
        }
      }
      if (step % saveEvery === 0 || step === options.steps || stoppedEarly || isBest) save(isBest);
      if (step === options.steps || stoppedEarly) options.progress?.done(progressState);
      await new Promise((resolve) => setImmediate(resolve)); // let a notebook display (and Ctrl-C) through
    }
  } finally {
    optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  if (runDir) {
    const run = JSON.parse(fs.readFileSync(path.join(runDir, "run.json"), "utf8"));
    writeRunJson(runDir, { ...run, ended: new Date().toISOString(), steps: state.step, stoppedEarly, best: fs.existsSync(bestDir(runDir)) ? state.bestStep : null });
  }
  return {
    steps: state.step,
    losses,
    evaluations,
    bestStep: state.bestStep,
    bestScore: state.bestScore,
    stoppedEarly,
    resumedFrom,
    seconds,
    tokensPerSecond: tokens / Math.max(seconds, 1e-9),
  };
}
