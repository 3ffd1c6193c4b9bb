// What the benchmark measures in this process: 2-D matmul speed, training steps, greedy generation, memory.
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { Batch, collate } from "../../data/collate";
import { T5Config } from "../../model/config";
import { generate } from "../../model/generate";
import { disposeModel } from "../../model/lifecycle";
import { initParams } from "../../model/params";
import { T5Model } from "../../model/t5";
import { mulberry32 } from "../../random";
import { clipGradNorm } from "../../train/clip";
import { disposeGradients, makeOptimizer, trainableVariableMap } from "../../train/optimizers";
import { batchTokens, toVariables } from "../../train/step";
import { accumulatedGradients } from "../../train/trainer";
import { BatchShape } from "./configs";
import { trainStepFlops } from "./flops";

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Resident memory now and its peak so far (VmHWM on Linux; elsewhere the largest value seen by this process). */
let peakSeen = 0;
export function residentMemory(): { rssMiB: number; peakMiB: number } {
  const rss = process.memoryUsage().rss;
  peakSeen = Math.max(peakSeen, rss);
  let peak = peakSeen;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (match) peak = Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return { rssMiB: rss / 2 ** 20, peakMiB: peak / 2 ** 20 };
}

// ---- matmul peak --------------------------------------------------------------------------------------------

export interface MatmulSpeed {
  m: number;
  k: number;
  n: number;
  ms: number;
  gflops: number;
}

/** Median speed of a plain 2-D product [m, k] x [k, n] (the fastest path every backend has). */
export function matmulSpeed(m: number, k: number, n: number, repeats = 7): MatmulSpeed {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  const once = () => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    return performance.now() - start;
  };
  once();
  once();
  const ms = median(Array.from({ length: repeats }, once));
  a.dispose();
  b.dispose();
  return { m, k, n, ms, gflops: (2 * m * k * n) / ms / 1e6 };
}

/**
 * The model's 2-D products, timed once each, on demand: the peak just before a training step, so that a step and its
 * peak see the same load from other processes (the machine is shared). Operands allocated once.
 */
export class PeakProbe {
  private readonly operands: [tf.Tensor2D, tf.Tensor2D][];
  constructor(shapes: [number, number, number][]) {
    this.operands = shapes.map(([m, k, n]) => [tf.randomNormal([m, k]), tf.randomNormal([k, n])]);
    this.measure(); // warm-up
  }
  /** The best GFLOP/s among the shapes, one run each, by wall time and by this process's CPU time. */
  measure(): { wall: number; cpu: number } {
    let wall = 0;
    let cpu = 0;
    for (const [a, b] of this.operands) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      const flops = 2 * a.shape[0] * a.shape[1] * b.shape[1];
      wall = Math.max(wall, flops / ms / 1e6);
      cpu = Math.max(cpu, flops / Math.max((used.user + used.system) / 1000, 1e-3) / 1e6);
    }
    return { wall, cpu };
  }
  dispose(): void {
    this.operands.forEach((pair) => tf.dispose(pair));
  }
}

// ---- training ----------------------------------------------------------------------------------------------------

/** A random batch of token ids (2..vocab-1, so no pad or EOS) with random lengths in the shape's ranges. */
export function randomBatch(shape: BatchShape, vocab: number, random: () => number): Batch {
  const length = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const ids = (n: number) => Array.from({ length: n }, () => 2 + Math.floor(random() * (vocab - 2)));
  return collate(
    Array.from({ length: shape.size }, () => ({
      inputIds: ids(length(shape.sourceMin, shape.sourceMax)),
      labels: ids(length(shape.targetMin, shape.targetMax)),
    })),
  );
}

export interface TrainJob {
  name?: string;
  config: T5Config;
  batch: BatchShape;
  warmupSteps: number;
  steps: number;
  seed: number;
  learningRate?: number;
  /** Time these 2-D products just before each measured step (the step's own peak; see PeakProbe). */
  peakShapes?: [number, number, number][];
}

export interface TrainStepRecord {
  ms: number;
  /** CPU time of this process during the step (all its threads): less sensitive than `ms` to other processes. */
  cpuMs: number;
  sourceLength: number;
  targetLength: number;
  /** Real source + target tokens (padding not counted). */
  tokens: number;
  flops: number;
  loss: number;
  /** Best 2-D matmul GFLOP/s measured just before this step (with TrainJob.peakShapes), by wall and by CPU time. */
  peakGflops?: number;
  peakCpuGflops?: number;
}

export interface TrainMeasurement {
  backend: string;
  steps: TrainStepRecord[];
  warmupMs: number[];
  /** tf.memory().numTensors after warm-up and after the measured steps. */
  tensorsAfterWarmup: number;
  tensorsAtEnd: number;
  rssAfterWarmupMiB: number;
  rssAtEndMiB: number;
  peakRssMiB: number;
  /** Wall time of the measured steps, and when they ran (ms since the epoch), to see whether parallel runs overlapped. */
  measuredMs: number;
  startedAt: number;
  endedAt: number;
}

export function makeModel(config: T5Config, seed: number): T5Model {
  return { config, params: toVariables(initParams(config, seed)) };
}

/**
 * Training steps as the trainer makes them (gradients, clipping to norm 1, AdamW), on fresh random batches.
 * `onStep` sees every step (warm-up included) with the live tensor count, for leak checks.
 */
export function measureTraining(job: TrainJob, onStep?: (step: number, tensors: number) => void): TrainMeasurement {
  const model = makeModel(job.config, job.seed);
  const optimizer = makeOptimizer({ kind: "adamw" });
  const random = mulberry32(job.seed + 1);
  const variables = trainableVariableMap(model.params);
  const step = (): TrainStepRecord => {
    const batch = randomBatch(job.batch, job.config.vocab_size, random);
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const { loss, grads } = accumulatedGradients(model, [batch], () => undefined);
    const clipped = clipGradNorm(grads, 1.0);
    optimizer.step(clipped.grads, variables, job.learningRate ?? 1e-3);
    disposeGradients(clipped.grads);
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const shape = { batch: batch.inputIds.length, sourceLength: batch.inputIds[0].length, targetLength: batch.labels[0].length };
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, ...shape, tokens: batchTokens(batch), flops: trainStepFlops(job.config, shape), loss };
  };
  const warmupMs: number[] = [];
  for (let i = 0; i < job.warmupSteps; i++) {
    warmupMs.push(step().ms);
    onStep?.(i + 1, tf.memory().numTensors);
  }
  const tensorsAfterWarmup = tf.memory().numTensors;
  const rssAfterWarmupMiB = residentMemory().rssMiB;
  const steps: TrainStepRecord[] = [];
  const probe = job.peakShapes ? new PeakProbe(job.peakShapes) : undefined;
  const startedAt = Date.now();
  const started = performance.now();
  for (let i = 0; i < job.steps; i++) {
    const peak = probe?.measure();
    steps.push({ ...step(), peakGflops: peak?.wall, peakCpuGflops: peak?.cpu });
    onStep?.(job.warmupSteps + i + 1, tf.memory().numTensors);
  }
  const measuredMs = performance.now() - started;
  probe?.dispose();
  const endedAt = Date.now();
  const end = residentMemory();
  const tensorsAtEnd = tf.memory().numTensors;
  optimizer.dispose();
  disposeModel(model);
  return {
    backend: tf.getBackend(),
    steps,
    warmupMs,
    tensorsAfterWarmup,
    tensorsAtEnd,
    rssAfterWarmupMiB,
    rssAtEndMiB: end.rssMiB,
    peakRssMiB: end.peakMiB,
    measuredMs,
    startedAt,
    endedAt,
  };
}

/** The job function runInParallel calls (bench of the 2-worker speed-up). */
export function run(job: TrainJob): TrainMeasurement {
  return measureTraining(job);
}

// ---- generation --------------------------------------------------------------------------------------------------

export interface GenerationSpeed {
  batch: number;
  cached: boolean;
  /** 1 = greedy. */
  beams: number;
  newTokens: number;
  /** Median of the timed runs (3 when a run takes under 3 s, else 1). */
  seconds: number;
  runs: number;
  tokensPerSecond: number;
  msPerStep: number;
  /** Median CPU time of this process per run, and tokens per CPU-second (steadier on a busy machine). */
  cpuSeconds: number;
  tokensPerCpuSecond: number;
}

/** Generation of exactly `newTokens` per row (EOS ignored) from random source ids, after a short warm-up. */
export function measureGeneration(model: T5Model, batch: number, sourceLength: number, newTokens: number, cached: boolean, seed = 1, beams = 1): GenerationSpeed {
  const random = mulberry32(seed);
  const inputIds = Array.from({ length: batch }, () => Array.from({ length: sourceLength }, () => 2 + Math.floor(random() * (model.config.vocab_size - 2))));
  const options = { stopAtEos: false, useCache: cached, numBeams: beams };
  generate(model, { inputIds }, { ...options, maxNewTokens: 4 });
  const cpuTimes: number[] = [];
  const once = () => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    generate(model, { inputIds }, { ...options, maxNewTokens: newTokens });
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1e6);
    return (performance.now() - start) / 1000;
  };
  const times = [once()];
  if (times[0] < 3) times.push(once(), once());
  const seconds = median(times);
  const cpuSeconds = median(cpuTimes);
  const tokens = batch * newTokens;
  return {
    batch,
    cached,
    beams,
    newTokens,
    seconds,
    runs: times.length,
    tokensPerSecond: tokens / seconds,
    msPerStep: (seconds * 1000) / newTokens,
    cpuSeconds,
    tokensPerCpuSecond: tokens / cpuSeconds,
  };
}

export { T5Config };
