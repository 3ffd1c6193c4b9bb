// The training loop every experiment uses: batches -> gradients (accumulated, weighted by target tokens) ->
// clipping -> optimizer update on a schedule; evaluation every N steps with early stopping; atomic checkpoints on a
// schedule of their own (and on Ctrl-C or SIGTERM) that let an interrupted run - even one killed outright - resume
// from the newest complete one and end with the same weights and metrics as an uninterrupted one.
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { Batch } from "../data/collate";
import { IGNORE_INDEX } from "../labels";
import { activeAdapter, modelParameterReport } from "../model/lora";
import { DropoutStream, T5Model } from "../model/t5";
import { BatchSource } from "./batches";
import { TrainerState, bestDir, lastDir, saveCheckpoint, writeRunJson } from "./checkpoints";
import { appendMetrics } from "./metrics-log";
import { openRunFolder, runSpec } from "./resume";
import { TrainingInterruptedError, watchStopSignals } from "./stop-signals";
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
  /** Save a checkpoint every N steps; default every 10% of the run (defaultSaveEvery) and at every evaluation. Always at the end and on SIGINT/SIGTERM. */
  saveEvery?: number;
  /** step-N folders to keep besides best and last. Default 2. */
  keepCheckpoints?: number;
  /** Copied into each checkpoint so it is a complete model folder. */
  tokenizerFolder?: string;
  /** Resume from outDir's newest complete checkpoint when there is one (default true); false starts over, removing what an earlier run wrote there. */
  resume?: boolean;
  progress?: ProgressSink;
  /** What the run is (task, data, model, ...): recorded in run.json as part of its spec, which a resumed run must match. */
  describe?: Record<string, unknown>;
  /** What the caller found in the data (rows skipped, fields cut, ...): recorded in run.json, not part of the spec. */
  dataReport?: Record<string, unknown>;
  /** Notes for a person: resuming, what a crash left and was cleaned, a signal received. Default: stderr. */
  log?: (message: string) => void;
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

/** flanlab's version, from its package.json. */
export function libraryVersion(): string {
  return (require("../../package.json") as { version: string }).version;
}

function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.version, "tfjs-core": tf.version_core };
  try {
    versions.flanlab = libraryVersion();
  } catch {
    // running from an unusual layout; the rest is still worth recording
  }
  return versions;
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
  positive("keepCheckpoints", options.keepCheckpoints);
  if (!(options.learningRate > 0 && Number.isFinite(options.learningRate))) throw new Error(`train: learningRate must be a number > 0, got ${options.learningRate}.`);
  if (options.maxGradNorm !== undefined && !(options.maxGradNorm >= 0 && Number.isFinite(options.maxGradNorm))) {
    throw new Error(`train: maxGradNorm must be a number >= 0 (0 turns clipping off), got ${options.maxGradNorm}.`);
  }
  if (options.dropoutRate !== undefined && !(options.dropoutRate >= 0 && options.dropoutRate < 1)) throw new Error(`train: dropoutRate must be in [0, 1), got ${options.dropoutRate}.`);
  if (options.earlyStopping && !options.evaluate) throw new Error("train: earlyStopping needs an evaluate function.");
}

/** Steps between checkpoints when the caller does not say: every 10% of the run. */
export function defaultSaveEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / 10));
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
  const saveEvery = options.saveEvery ?? defaultSaveEvery(options.steps);
  const savesAtEvaluations = options.saveEvery === undefined;
  const dropoutRate = options.dropoutRate ?? model.config.dropout_rate;
  const loraDropout = activeAdapter(model)?.config.lora_dropout ?? 0; // a stream of rate 0 still feeds LoRA's own dropout
  const schedule = makeSchedule({ kind: options.schedule?.kind ?? "constant", peak: options.learningRate, warmupSteps: options.schedule?.warmupSteps ?? 0, totalSteps: options.steps });
  const optimizer: Optimizer = makeOptimizer(options.optimizer);
  const runDir = options.outDir;
  const state: TrainerState = { step: 0, seed: options.seed, data: source.state(), bestStep: null, bestScore: null, evalsWithoutImprovement: 0 };
  let resumedFrom: number | null = null;

  const log = options.log ?? ((message: string) => process.stderr.write(message + "\n"));
  const spec = runSpec(options, model, dropoutRate);
  const losses: TrainResult["losses"] = [];
  const evaluations: TrainResult["evaluations"] = [];
  let stoppedEarly = false;
  let tokens = 0;
  let run: Record<string, unknown> = {};
  const started = performance.now();

  const save = (isBest: boolean) => {
    if (runDir) saveCheckpoint(runDir, model, optimizer, { ...state, data: source.state() }, { isBest, tokenizerFolder: options.tokenizerFolder, keep: options.keepCheckpoints ?? 2 });
  };
  /** run.json as it stands, with what the run has done so far. */
  const recordRun = (extra: Record<string, unknown>) => {
    if (!runDir) return;
    run = { ...run, steps: state.step, stoppedEarly, best: fs.existsSync(bestDir(runDir)) ? state.bestStep : null, batches: source.summary?.() ?? null, ...extra };
    writeRunJson(runDir, run);
  };
  const stop = runDir ? watchStopSignals((signal) => log(`\n${signal}: stopping after this step, with a checkpoint (${signal} again stops at once, without one).`)) : undefined;

  try {
    if (runDir) {
      resumedFrom = openRunFolder({ runDir, model, optimizer, source, options, state, spec, log });
      run = {
        options: { ...options, evaluate: options.evaluate ? "function" : undefined, progress: undefined, log: undefined, dataReport: undefined },
        spec,
        config: model.config,
        adapter: activeAdapter(model)?.config ?? null,
        parameters: modelParameterReport(model),
        backend: tf.getBackend(),
        versions: packageVersions(),
        started: new Date().toISOString(),
        resumedFrom,
        data: options.dataReport ?? null,
      };
      writeRunJson(runDir, run);
    }
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
      const evaluates = options.evaluate !== undefined && (step === options.steps || (options.evalEvery !== undefined && step % options.evalEvery === 0));
      if (options.evaluate && evaluates) {
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
      const finished = step === options.steps || stoppedEarly;
      const stopSignal = stop?.signal ?? null;
      if (step % saveEvery === 0 || (savesAtEvaluations && evaluates) || finished || isBest || stopSignal) save(isBest);
      if (finished) options.progress?.done(progressState);
      else if (stopSignal && runDir) {
        recordRun({ interrupted: stopSignal, stopped: new Date().toISOString() });
        throw new TrainingInterruptedError(
          stopSignal,
          step,
          `stopped by ${stopSignal} after step ${step} of ${options.steps}; checkpoint saved in ${lastDir(runDir)}. Run the same command again to resume.`,
        );
      }
      await new Promise((resolve) => setImmediate(resolve)); // let a notebook display (and Ctrl-C) through
    }
  } finally {
    optimizer.dispose();
    stop?.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  recordRun({ ended: new Date().toISOString(), interrupted: undefined });
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
