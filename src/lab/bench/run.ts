// `flanlab bench` / `npm run bench`: flanlab's training and generation speed per model config, against the machine's
// own 2-D matmul peak and against the same model in PyTorch (bench/reference_t5.py), written as JSON and a table.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { describeBackend } from "../../backend";
import { disposeModel } from "../../model/lifecycle";
import { countParameters } from "../../model/params";
import { runInParallel } from "../../parallel";
import { wasmThreadsRunning } from "../../wasm-threads";
import { BENCH_MODELS, BenchModel, benchModel } from "./configs";
import { StepShape, modelMatmulShapes, trainStepFlops } from "./flops";
import {
  GenerationSpeed,
  MatmulSpeed,
  TrainJob,
  TrainMeasurement,
  makeModel,
  matmulSpeed,
  measureGeneration,
  measureTraining,
  median,
  residentMemory,
} from "./measure";
import { INSTALL_TORCH, ReferenceResult, runReference, torchAvailable } from "./reference";

/** Torch's BLAS must reach this (1024^3 matmul) before the bench prints ratios: Debian's reference BLAS does ~6. */
export const MIN_REFERENCE_BLAS_GFLOPS = 100;

export interface BenchOptions {
  models: string[];
  reference: boolean;
  /** Thread counts of the PyTorch runs. */
  referenceThreads: number[];
  /** wasm thread counts flanlab is measured with, each in its own process (on other backends: one run). */
  wasmThreads: number[];
  generation: boolean;
  /** Measure 2 worker processes against 1 on this model (empty: skip). */
  parallelModel?: string;
  /** Run this many extra steps (small batch) checking tensors and memory stay flat; 0 skips. */
  leakSteps: number;
  /** Override steps (measured) for every model, e.g. for a quick look. */
  steps?: number;
  out?: string;
  seed: number;
  log: (line: string) => void;
}

export interface TrainSummary {
  steps: number;
  stepMs: number;
  /** Median CPU time per step (all threads of the process). */
  cpuMs: number;
  tokensPerSecond: number;
  gflops: number;
  peakGflops: number;
  efficiency: number;
  /**
   * The same by CPU time (this process's, all threads): GFLOP per CPU-second against the peak's GFLOP per
   * CPU-second. Other processes' load stretches wall time but hardly CPU time, so on a busy machine this is the
   * steadier figure (for a 2-thread run it is per core).
   */
  cpuGflops: number;
  cpuEfficiency: number;
}

/**
 * Medians over the measured steps. Efficiency = median over steps of (the step's GFLOP/s / the peak measured just
 * before it), when steps carry their own peak; else against `peakGflops`.
 */
function summarize(
  records: { ms: number; cpuMs: number; tokens: number; flops: number; peakGflops?: number; peakCpuGflops?: number }[],
  peakGflops: number,
): TrainSummary {
  const gflops = median(records.map((r) => r.flops / r.ms / 1e6));
  const paired = records.every((r) => r.peakGflops !== undefined);
  const cpuPaired = records.every((r) => r.peakCpuGflops !== undefined);
  return {
    cpuGflops: median(records.map((r) => r.flops / r.cpuMs / 1e6)),
    cpuEfficiency: cpuPaired ? median(records.map((r) => r.flops / r.cpuMs / 1e6 / r.peakCpuGflops!)) : NaN,
    steps: records.length,
    stepMs: median(records.map((r) => r.ms)),
    cpuMs: median(records.map((r) => r.cpuMs)),
    tokensPerSecond: median(records.map((r) => (r.tokens / r.ms) * 1000)),
    gflops,
    peakGflops: paired ? median(records.map((r) => r.peakGflops!)) : peakGflops,
    efficiency: paired ? median(records.map((r) => r.flops / r.ms / 1e6 / r.peakGflops!)) : gflops / peakGflops,
  };
}

interface ReferenceRun {
  threads: number;
  result: ReferenceResult;
  summary: TrainSummary;
}

interface ReferenceReport {
  runs: ReferenceRun[];
  /** Best 1024^3 matmul of this model's reference runs. */
  blasGflops: number;
  /** Whether the best of the whole bench reached MIN_REFERENCE_BLAS_GFLOPS (ratios are printed only then). */
  blasOk: boolean;
  paramsMatch: boolean;
}

interface ModelReport {
  name: string;
  origin: string;
  config: BenchModel["config"];
  params: number;
  batch: BenchModel["batch"];
  matmul: { shapes: MatmulSpeed[]; peakGflops: number };
  train: TrainSummary & { measurement: TrainMeasurement; tensorsFlat: boolean };
  reference?: ReferenceReport | { skipped: string };
  generation?: (GenerationSpeed | { batch: number; cached: boolean; beams: number; skipped: string })[];
  /** The wasm threads flanlab ran on (undefined on other backends). */
  threads?: number;
  /** The same model at the other wasm thread counts: training and KV-cache greedy generation. */
  moreThreads?: FlanlabMeasurement[];
}

/** flanlab's runs of a model, one per wasm thread count, in the order measured. */
function flanlabRuns(r: ModelReport): FlanlabMeasurement[] {
  return [r, ...(r.moreThreads ?? [])];
}

/** The run with `threads` threads, else the first (the baseline of the "vs 1 thread" ratios when 1 is given). */
function runWithThreads(r: ModelReport, threads: number): FlanlabMeasurement {
  return flanlabRuns(r).find((run) => run.threads === threads) ?? r;
}

/** "flanlab (wasm, 2T)", or "flanlab (cpu)" where threads do not apply. */
function flanlabLabel(run: FlanlabMeasurement): string {
  return `flanlab (${run.train.measurement.backend}${run.threads ? `, ${run.threads}T` : ""})`;
}

/** Cached (or uncached) greedy generation's tokens/s (or tokens per CPU-second) at `batch`; NaN when not measured. */
function greedySpeed(run: FlanlabMeasurement, batch: number, cached: boolean, by: "tokensPerSecond" | "tokensPerCpuSecond" = "tokensPerSecond"): number {
  const g = run.generation?.find((x) => x.batch === batch && x.cached === cached && x.beams === 1);
  return g && by in g ? (g as GenerationSpeed)[by] : NaN;
}

/**
 * What N threads would gain on N idle cores, from CPU time: alone, one thread's wall time is its CPU time, and N
 * threads' is at least their CPU time / N. An estimate, not a bound: under load, threads spin longer waiting for a
 * descheduled one, which inflates their CPU time (the estimate then errs low).
 */
function freeCoreEstimate(cpuAtOne: number, cpuAtN: number, threads: number | undefined): number {
  return threads ? (threads * cpuAtOne) / cpuAtN : NaN;
}

/** a / b as "1.42x", or "-" when either is missing. */
function ratio(a: number, b: number, digits = 2): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, digits)}x` : "-";
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : "-");

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
}

function benchModelFor(name: string, options: BenchOptions): BenchModel {
  const model = benchModel(name);
  return options.steps ? { ...model, steps: options.steps } : model;
}

/** What a child process measures of one model (flanlab's side): matmul peak, training, generation. */
export interface FlanlabJob {
  model: string;
  steps?: number;
  seed: number;
  generation: boolean;
  /** Only the KV-cache greedy runs (the runs at more threads: the uncached and beam runs stay with the first). */
  cachedGenerationOnly?: boolean;
}

/** One child's measurements of one model at one thread count. */
export type FlanlabMeasurement = Omit<ModelReport, "reference" | "moreThreads">;

/**
 * flanlab's measurements of one model, in the calling process (runBench runs it in a fresh child process per model,
 * so that each model's memory figures are its own and a large model cannot exhaust the next one's wasm heap).
 */
export function measureFlanlab(job: FlanlabJob): FlanlabMeasurement {
  const log = (line: string) => console.log(line);
  const base = benchModel(job.model);
  const model = job.steps ? { ...base, steps: job.steps } : base;
  const params = countParameters(model.config);
  const threads = tf.getBackend() === "wasm" ? wasmThreadsRunning() : undefined;
  log(`\n== ${model.name}${threads ? ` on ${threads} wasm thread${threads > 1 ? "s" : ""}` : ""}: ${model.origin}; ${(params / 1e6).toFixed(2)} M parameters; batch ${model.batch.size}, source ${model.batch.sourceMin}-${model.batch.sourceMax}, target ${model.batch.targetMin}-${model.batch.targetMax} tokens`);

  // The peak: the model's 2-D products timed before and after the training steps (best kept, as the machine's
  // reach), and once more just before each measured step, for the efficiency (same load as the step; summarize()).
  const shapes = modelMatmulShapes(model.config, model.batch.size, model.batch.sourceMax, model.batch.targetMax);
  const measureShapes = () => shapes.map(([m, k, n]) => matmulSpeed(m, k, n));
  const before = measureShapes();

  const trainJob: TrainJob = { name: model.name, config: model.config, batch: model.batch, warmupSteps: model.warmupSteps, steps: model.steps, seed: job.seed, peakShapes: shapes };
  const measurement = measureTraining(trainJob);
  const speeds = measureShapes().map((after, i) => (after.gflops > before[i].gflops ? after : before[i]));
  const peakGflops = Math.max(...speeds.map((s) => s.gflops));
  log(`2-D matmul (${tf.getBackend()}): ${speeds.map((s) => `[${s.m}x${s.k}]x[${s.k}x${s.n}] ${fmt(s.gflops, 1)}`).join(", ")} GFLOP/s; best ${fmt(peakGflops, 1)}`);
  const train = { ...summarize(measurement.steps, peakGflops), measurement, tensorsFlat: measurement.tensorsAtEnd === measurement.tensorsAfterWarmup };
  log(
    `flanlab train step: median ${fmt(train.stepMs)} ms (CPU ${fmt(train.cpuMs)} ms), ${fmt(train.tokensPerSecond)} tokens/s, ${fmt(train.gflops, 1)} GFLOP/s; efficiency ${pct(train.efficiency)} (vs the peak timed before each step, median ${fmt(train.peakGflops, 1)}; by CPU time ${pct(train.cpuEfficiency)}); ` +
      `tensors ${measurement.tensorsAfterWarmup} -> ${measurement.tensorsAtEnd}${train.tensorsFlat ? " (flat)" : " (GROWING)"}; RSS ${fmt(measurement.rssAfterWarmupMiB)} -> ${fmt(measurement.rssAtEndMiB)} MiB, peak ${fmt(measurement.peakRssMiB)} MiB`,
  );

  const report: FlanlabMeasurement = { name: model.name, origin: model.origin, config: model.config, params, batch: model.batch, matmul: { shapes: speeds, peakGflops }, train, threads };

  if (job.generation) {
    const generationModel = makeModel(model.config, job.seed);
    const g = model.generation;
    report.generation = [];
    for (const batch of g.batches) {
      for (const cached of job.cachedGenerationOnly ? [true] : [true, false]) {
        if (!cached && batch > g.uncachedUpTo) {
          report.generation.push({ batch, cached, beams: 1, skipped: `uncached generation is measured up to batch ${g.uncachedUpTo} for this model (slow)` });
          continue;
        }
        const speed = measureGeneration(generationModel, batch, g.sourceLength, g.newTokens, cached, job.seed);
        report.generation.push(speed);
        log(`generate greedy, batch ${batch}, ${cached ? "KV cache" : "no cache"}: ${fmt(speed.tokensPerSecond)} tokens/s (${fmt(speed.msPerStep, 1)} ms per token step; ${fmt(speed.tokensPerCpuSecond)} tokens per CPU-second)`);
      }
    }
    if (!job.cachedGenerationOnly) {
      const beam = measureGeneration(generationModel, 1, g.sourceLength, g.newTokens, true, job.seed, 4);
      report.generation.push(beam);
      log(`generate beam 4, batch 1, KV cache: ${fmt(beam.tokensPerSecond)} tokens/s (${fmt(beam.msPerStep, 1)} ms per token step)`);
    }
    disposeModel(generationModel);
  }
  return report;
}

/**
 * flanlab's side of one model: a fresh child process per wasm thread count, one after the other (so that the
 * ratios between thread counts come from the same run of the bench).
 */
async function measureFlanlabThreads(name: string, options: BenchOptions): Promise<ModelReport> {
  const threadCounts = tf.getBackend() === "wasm" ? options.wasmThreads : [undefined];
  const runs: FlanlabMeasurement[] = [];
  for (const threads of threadCounts) {
    const job: FlanlabJob = { model: name, steps: options.steps, seed: options.seed, generation: options.generation, cachedGenerationOnly: runs.length > 0 };
    const [run] = await runInParallel<FlanlabJob, FlanlabMeasurement>(require.resolve("./run"), [job], { workers: 1, exportName: "measureFlanlab", backend: tf.getBackend(), threadsPerWorker: threads });
    runs.push(run);
  }
  return { ...runs[0], moreThreads: runs.slice(1) };
}

/** One model: flanlab's side (one child process per thread count), then the PyTorch reference runs. */
async function measureModel(name: string, options: BenchOptions, torchOk: { ok: boolean; why?: string }): Promise<ModelReport> {
  const { log } = options;
  const report = await measureFlanlabThreads(name, options);
  const model = benchModelFor(name, options);
  const shapes = modelMatmulShapes(model.config, model.batch.size, model.batch.sourceMax, model.batch.targetMax);
  const params = report.params;

  if (!options.reference) {
    report.reference = { skipped: "--no-reference" };
  } else if (!torchOk.ok) {
    report.reference = { skipped: `${torchOk.why}; install: ${INSTALL_TORCH}` };
  } else {
    const runs: ReferenceRun[] = [];
    for (const threads of options.referenceThreads) {
      const result = runReference(model, threads, shapes, options.seed);
      const ownPeak = Math.max(...result.matmul.map((s) => s.gflops));
      const records = result.steps.map((s) => {
        const shape: StepShape = { batch: model.batch.size, sourceLength: s.sourceLength, targetLength: s.targetLength };
        return { ms: s.ms, cpuMs: s.cpuMs, tokens: s.tokens, flops: trainStepFlops(model.config, shape), peakGflops: s.peakGflops, peakCpuGflops: s.peakCpuGflops };
      });
      const summary = summarize(records, ownPeak);
      runs.push({ threads, result, summary });
      log(
        `PyTorch ${result.torch}, ${threads} thread${threads > 1 ? "s" : ""}: median ${fmt(summary.stepMs)} ms (CPU ${fmt(summary.cpuMs)} ms), ${fmt(summary.tokensPerSecond)} tokens/s, ` +
          `${fmt(summary.gflops, 1)} GFLOP/s; efficiency ${pct(summary.efficiency)} (vs its own peak before each step, median ${fmt(summary.peakGflops, 1)}; best ${fmt(ownPeak, 1)}; by CPU time ${pct(summary.cpuEfficiency)}); ` +
            `1024^3 matmul ${fmt(result.matmul1024.gflops, 1)} GFLOP/s (${fmt(result.matmul1024.cpuGflops, 1)} per CPU-second)`,
      );
    }
    // the better of wall and CPU-time speed: on a busy machine wall time understates what the library can do
    const blasGflops = Math.max(...runs.map((r) => Math.max(r.result.matmul1024.gflops, r.result.matmul1024.cpuGflops ?? 0)));
    const paramsMatch = runs.every((r) => r.result.params === params);
    log(`PyTorch BLAS: ${runs[0]?.result.blasLibraries.join(", ") || "(none found)"} (BLAS_INFO=${runs[0]?.result.blasInfo}); best 1024^3 matmul ${fmt(blasGflops, 1)} GFLOP/s`);
    log(`parameters: flanlab ${params}, PyTorch ${runs.map((r) => r.result.params).join("/")}${paramsMatch ? " (equal)" : " (DIFFERENT: the reference is not the same model)"}`);
    report.reference = { runs, blasGflops, blasOk: blasGflops >= MIN_REFERENCE_BLAS_GFLOPS, paramsMatch };
  }
  return report;
}

/** A training summary's figures in the terminal table's column order (step, tokens/s, GFLOP/s, peak, efficiency, CPU). */
function terminalCells(s: TrainSummary): string[] {
  return [fmt(s.stepMs), fmt(s.tokensPerSecond), fmt(s.gflops, 1), fmt(s.peakGflops, 1), pct(s.efficiency), fmt(s.cpuMs), pct(s.cpuEfficiency)];
}

/** The same figures in the Markdown table's order (step, CPU ms, tokens/s, GFLOP/s, peak, efficiency, CPU efficiency). */
function markdownCells(s: TrainSummary): string {
  return [fmt(s.stepMs), fmt(s.cpuMs), fmt(s.tokensPerSecond), fmt(s.gflops, 1), fmt(s.peakGflops, 1), pct(s.efficiency), pct(s.cpuEfficiency)].join(" | ");
}

function printSummary(reports: ModelReport[], log: (line: string) => void): void {
  const rows: string[][] = [["model / runner", "step ms", "tokens/s", "GFLOP/s", "peak*", "efficiency", "CPU ms", "CPU eff.", "vs 1 thread", "free-core est.**", "flanlab (same threads) vs it", "efficiency ratio"]];
  for (const r of reports) {
    const single = runWithThreads(r, 1);
    for (const run of flanlabRuns(r)) {
      const vsOne = run.threads ? ratio(run.train.tokensPerSecond, single.train.tokensPerSecond) : "";
      rows.push([`${r.name} ${flanlabLabel(run)}`, ...terminalCells(run.train), vsOne, ratio(freeCoreEstimate(single.train.cpuMs, run.train.cpuMs, run.threads), 1), "", ""]);
    }
    if (r.reference && "runs" in r.reference) {
      for (const run of r.reference.runs) {
        const ratioOk = r.reference.blasOk && r.reference.paramsMatch;
        const why = !r.reference.paramsMatch ? "params differ" : `BLAS < ${MIN_REFERENCE_BLAS_GFLOPS} GFLOP/s`;
        const flanlab = runWithThreads(r, run.threads).train;
        rows.push([
          `${r.name} PyTorch ${run.threads}T`,
          ...terminalCells(run.summary),
          "",
          "",
          ratioOk ? ratio(flanlab.tokensPerSecond, run.summary.tokensPerSecond) : `withheld (${why})`,
          ratioOk ? ratio(flanlab.efficiency, run.summary.efficiency) : "withheld",
        ]);
      }
    } else if (r.reference && "skipped" in r.reference) {
      rows.push([`${r.name} PyTorch`, "", "", "", "", "", "", "", "", "", `skipped: ${r.reference.skipped}`, ""]);
    }
  }
  log(
    "\nTraining step (medians of the measured steps; tokens = real source + target tokens; *peak: the runner's own best\n" +
      "2-D matmul of the model's shapes, timed just before each step; efficiency = GFLOP/s / that peak; CPU: the same by\n" +
      "this process's CPU time, steadier when other jobs load the machine; **what N threads would gain on N idle\n" +
      "cores: N x CPU time at 1 thread / CPU time at N):\n" +
      table(rows),
  );
  const genRows: string[][] = [["model", "threads", "batch", "KV cache tokens/s", "no cache tokens/s", "cache speed-up", "by CPU time", "KV cache vs 1 thread", "free-core est."]];
  for (const row of generationRows(reports)) {
    const { model, run, batch, single } = row;
    const cached = greedySpeed(run, batch, true);
    const plain = greedySpeed(run, batch, false);
    const cpuRatio = ratio(greedySpeed(run, batch, true, "tokensPerCpuSecond"), greedySpeed(run, batch, false, "tokensPerCpuSecond"), 1);
    genRows.push([model, run.threads ? String(run.threads) : "-", String(batch), fmt(cached), fmt(plain), ratio(cached, plain, 1), cpuRatio, ...threadRatios(run, single, batch)]);
  }
  if (genRows.length > 1) log("\nGreedy generation, 64 new tokens per row (source 32 tokens):\n" + table(genRows));
}

/** KV-cache greedy generation at `batch` against 1 thread: tokens/s, and the free-core estimate from CPU time. */
function threadRatios(run: FlanlabMeasurement, single: FlanlabMeasurement, batch: number): [string, string] {
  if (!run.threads) return ["", ""];
  const perCpuSecond = (m: FlanlabMeasurement) => greedySpeed(m, batch, true, "tokensPerCpuSecond");
  const estimate = freeCoreEstimate(1 / perCpuSecond(single), 1 / perCpuSecond(run), run.threads);
  return [ratio(greedySpeed(run, batch, true), greedySpeed(single, batch, true)), ratio(estimate, 1)];
}

/** Every (model, thread count, batch) with a greedy measurement, and the model's 1-thread run to compare with. */
function generationRows(reports: ModelReport[]): { model: string; run: FlanlabMeasurement; batch: number; single: FlanlabMeasurement }[] {
  return reports.flatMap((r) =>
    flanlabRuns(r).flatMap((run) => [...new Set((run.generation ?? []).map((g) => g.batch))].map((batch) => ({ model: r.name, run, batch, single: runWithThreads(r, 1) }))),
  );
}

interface ParallelReport {
  model: string;
  jobs: number;
  /** cpuMsPerStep: median CPU time of a step; equal for 1 and 2 workers when the two do not slow each other down. */
  oneWorker: { wallMs: number; stepsPerSecond: number; cpuMsPerStep: number };
  twoWorkers: { wallMs: number; stepsPerSecond: number; overlapMs: number; cpuMsPerStep: number };
  wallSpeedup: number;
  throughputSpeedup: number;
  /** Steps per second of every round (the report's figures are each configuration's best round). */
  rounds: { oneWorker: number; twoWorkers: number }[];
  results: TrainMeasurement[][];
}

/**
 * Two identical training jobs through runInParallel with 1 worker (one after the other) and with 2 (at once).
 * Throughput = measured steps per second of the jobs' steady state (warm-up and process start excluded);
 * wall = the whole call, process starts included.
 */
async function measureParallel(name: string, options: BenchOptions): Promise<ParallelReport> {
  const model = benchModelFor(name, options);
  const job: TrainJob = { name: model.name, config: model.config, batch: model.batch, warmupSteps: model.warmupSteps, steps: model.steps, seed: options.seed };
  const jobs = [job, { ...job, seed: options.seed + 1 }];
  const moduleFile = require.resolve("./measure");
  const timed = async (workers: number) => {
    const start = performance.now();
    // one wasm thread per worker in both configurations: processes against processes (threads: measureFlanlabThreads)
    const results = await runInParallel<TrainJob, TrainMeasurement>(moduleFile, jobs, { workers, backend: tf.getBackend(), threadsPerWorker: 1 });
    return { wallMs: performance.now() - start, results };
  };
  const rounds = 2;
  options.log(`\n== 2 workers vs 1 (${name}, ${jobs.length} training jobs of ${model.steps} measured steps, one process each; ${rounds} rounds, the least disturbed of each kept)`);
  const rate = (r: TrainMeasurement) => (r.steps.length / r.measuredMs) * 1000;
  const cpuPerStep = (results: TrainMeasurement[]) => median(results.flatMap((r) => r.steps.map((s) => s.cpuMs)));
  const overlap = (results: TrainMeasurement[]) => Math.max(0, Math.min(...results.map((r) => r.endedAt)) - Math.max(...results.map((r) => r.startedAt)));
  type Run = { wallMs: number; results: TrainMeasurement[]; stepsPerSecond: number };
  const ones: Run[] = [];
  const twos: Run[] = [];
  for (let round = 0; round < rounds; round++) {
    const a = await timed(1);
    ones.push({ ...a, stepsPerSecond: median(a.results.map(rate)) }); // one job at a time: the machine's throughput is one job's rate
    const b = await timed(2);
    twos.push({ ...b, stepsPerSecond: b.results.map(rate).reduce((x, y) => x + y, 0) });
    options.log(`round ${round + 1}: 1 worker ${fmt(ones[round].stepsPerSecond, 2)} steps/s, 2 workers ${fmt(twos[round].stepsPerSecond, 2)} steps/s`);
  }
  const best = (runs: Run[]) => runs.reduce((x, y) => (y.stepsPerSecond > x.stepsPerSecond ? y : x));
  const one = best(ones);
  const two = best(twos);
  const oneRate = one.stepsPerSecond;
  const twoRate = two.stepsPerSecond;
  const overlapMs = overlap(two.results);
  const report: ParallelReport = {
    model: name,
    jobs: jobs.length,
    oneWorker: { wallMs: one.wallMs, stepsPerSecond: oneRate, cpuMsPerStep: cpuPerStep(one.results) },
    twoWorkers: { wallMs: two.wallMs, stepsPerSecond: twoRate, overlapMs, cpuMsPerStep: cpuPerStep(two.results) },
    wallSpeedup: one.wallMs / two.wallMs,
    throughputSpeedup: twoRate / oneRate,
    rounds: ones.map((o, i) => ({ oneWorker: o.stepsPerSecond, twoWorkers: twos[i].stepsPerSecond })),
    results: [one.results, two.results],
  };
  options.log(
    `1 worker: ${fmt(one.wallMs / 1000, 1)} s wall, ${fmt(oneRate, 2)} steps/s; 2 workers: ${fmt(two.wallMs / 1000, 1)} s wall, ${fmt(twoRate, 2)} steps/s ` +
      `(measured windows overlapped ${fmt(overlapMs / 1000, 1)} s) -> throughput x${fmt(report.throughputSpeedup, 2)}, wall x${fmt(report.wallSpeedup, 2)}; ` +
      `CPU time per step ${fmt(report.oneWorker.cpuMsPerStep)} ms alone, ${fmt(report.twoWorkers.cpuMsPerStep)} ms side by side`,
  );
  return report;
}

interface LeakReport {
  model: string;
  steps: number;
  batch: number;
  tensors: { step: number; tensors: number; rssMiB: number }[];
  tensorsFlat: boolean;
  rssGrowthMiB: number;
}

export interface LeakJob {
  model: string;
  steps: number;
  seed: number;
}

/**
 * Many steps on a small batch: the tensor count must not move, resident memory must settle after warm-up. Run by
 * runBench in a fresh child process, so that the memory figures are this run's alone.
 */
export function leakCheck(job: LeakJob): LeakReport {
  const { model: name, steps } = job;
  const model = benchModel(name);
  const batch = { ...model.batch, size: 2, sourceMin: 16, sourceMax: 48, targetMin: 4, targetMax: 16 };
  const samples: LeakReport["tensors"] = [];
  const every = Math.max(1, Math.floor(steps / 20));
  const warmup = Math.min(50, Math.floor(steps / 10));
  console.log(`\n== leak check: ${steps} training steps of ${name}, batch ${batch.size} (own process)`);
  measureTraining({ name, config: model.config, batch, warmupSteps: warmup, steps: steps - warmup, seed: job.seed }, (step, tensors) => {
    if (step === warmup || step % every === 0 || step === steps) samples.push({ step, tensors, rssMiB: residentMemory().rssMiB });
  });
  const after = samples.filter((s) => s.step >= warmup);
  const tensorsFlat = after.every((s) => s.tensors === after[0].tensors);
  const rssGrowthMiB = after[after.length - 1].rssMiB - after[0].rssMiB;
  console.log(`tensors after warm-up ${after[0].tensors}, at step ${steps} ${after[after.length - 1].tensors} (${tensorsFlat ? "flat" : "GROWING"}); RSS ${fmt(after[0].rssMiB)} -> ${fmt(after[after.length - 1].rssMiB)} MiB`);
  return { model: name, steps, batch: batch.size, tensors: samples, tensorsFlat, rssGrowthMiB };
}

export async function runBench(options: BenchOptions): Promise<string> {
  const { log } = options;
  log(describeBackend());
  const cpus = os.cpus();
  const machine = { cpu: cpus[0]?.model ?? "unknown", cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version };
  log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; tfjs ${tf.version_core}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const loadBefore = os.loadavg();
  const torchOk = options.reference ? torchAvailable() : { ok: false, why: "--no-reference" };
  if (options.reference && !torchOk.ok) log(`PyTorch reference skipped: ${torchOk.why}. To compare with PyTorch: ${INSTALL_TORCH}`);

  const reports: ModelReport[] = [];
  for (const name of options.models) reports.push(await measureModel(name, options, torchOk));
  // The BLAS check is about which library torch loaded (Debian's reference BLAS does ~6 GFLOP/s), not about
  // momentary load: one reference run of this bench reaching the bar shows the library is a fast one.
  const referenced = reports.map((r) => r.reference).filter((x): x is ReferenceReport => !!x && "runs" in x);
  const bestBlas = Math.max(0, ...referenced.map((x) => x.blasGflops));
  for (const x of referenced) x.blasOk = bestBlas >= MIN_REFERENCE_BLAS_GFLOPS;
  if (referenced.length > 0) {
    log(`\nPyTorch's BLAS: best 1024^3 matmul of this bench ${fmt(bestBlas, 1)} GFLOP/s: ${bestBlas >= MIN_REFERENCE_BLAS_GFLOPS ? "a fast BLAS, ratios printed" : `under ${MIN_REFERENCE_BLAS_GFLOPS}, ratios withheld (reference BLAS? apt-get install libopenblas0-pthread)`}`);
  }
  printSummary(reports, log);
  const parallel = options.parallelModel ? await measureParallel(options.parallelModel, options) : undefined;
  const leakJob: LeakJob = { model: options.models[0] ?? "probe", steps: options.leakSteps, seed: options.seed };
  const leak =
    options.leakSteps > 0
      ? (await runInParallel<LeakJob, LeakReport>(require.resolve("./run"), [leakJob], { workers: 1, exportName: "leakCheck", backend: tf.getBackend() }))[0]
      : undefined;
  const memory = residentMemory();
  log(`\npeak resident memory of the bench's own process: ${fmt(memory.peakMiB)} MiB (each model ran in its own process; see above)`);

  const date = new Date().toISOString();
  const out = options.out ?? path.join(process.cwd(), "bench", "results", `${date.slice(0, 10)}-${tf.getBackend()}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Other processes' load skews every figure: kept with the results (1, 5, 15-minute averages, before and after).
  const loadAverage = { before: loadBefore, after: os.loadavg() };
  log(`load average after: ${loadAverage.after.map((l) => l.toFixed(1)).join(" ")} (${machine.cores} cores)`);
  const json = { bench: "flanlab", date, machine, loadAverage, backend: tf.getBackend(), tfjs: tf.version_core, models: reports, parallel, leak, peakRssMiB: memory.peakMiB };
  fs.writeFileSync(out, JSON.stringify(json, null, 1) + "\n");
  const markdown = markdownSummary(json);
  fs.writeFileSync(out.replace(/\.json$/, "") + ".md", markdown);
  log(`results: ${out} (and a Markdown summary beside it)`);
  return out;
}

/** The README table: one row per runner and model, generation, two workers, memory; machine, backend and date. */
export function markdownSummary(json: {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string };
  loadAverage: { before: number[]; after: number[] };
  backend: string;
  tfjs: string;
  models: ModelReport[];
  parallel?: ParallelReport;
  leak?: LeakReport;
}): string {
  const lines: string[] = [];
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  lines.push(
    `${json.date.slice(0, 10)}, ${json.machine.cpu} (${json.machine.cores} cores, ${json.machine.memoryGiB} GiB), Node ${json.machine.node}, ` +
      `tfjs ${json.tfjs} on \`${json.backend}\`; load average (1/5/15 min) ${load(json.loadAverage.before)} before, ${load(json.loadAverage.after)} after.`,
    "",
    "| model | runner | step ms | CPU ms | tokens/s | GFLOP/s | peak GFLOP/s | efficiency | CPU efficiency | tokens/s vs 1 thread | free-core estimate | flanlab (same threads) vs runner |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of json.models) {
    const single = runWithThreads(r, 1);
    for (const run of flanlabRuns(r)) {
      const vsOne = run.threads ? ratio(run.train.tokensPerSecond, single.train.tokensPerSecond) : "";
      lines.push(`| ${r.name} | ${flanlabLabel(run)} | ${markdownCells(run.train)} | ${vsOne} | ${ratio(freeCoreEstimate(single.train.cpuMs, run.train.cpuMs, run.threads), 1)} | |`);
    }
    if (r.reference && "runs" in r.reference) {
      const ok = r.reference.blasOk && r.reference.paramsMatch;
      for (const run of r.reference.runs) {
        const u = run.summary;
        const vsRunner = ok ? ratio(runWithThreads(r, run.threads).train.tokensPerSecond, u.tokensPerSecond) : "withheld";
        lines.push(`| ${r.name} | PyTorch ${run.result.torch}, ${run.threads} thread${run.threads > 1 ? "s" : ""} | ${markdownCells(u)} | | | ${vsRunner} |`);
      }
    }
  }
  if (json.models.some((r) => (r.moreThreads ?? []).length > 0)) {
    lines.push(
      "",
      "Free-core estimate: what N wasm threads would gain on N idle cores, N x CPU time at 1 thread / CPU time at N (alone, one thread's wall time is its CPU time; N threads' at least their CPU time / N). " +
        "Under load it errs low (threads spin longer waiting for a descheduled one); tokens/s vs 1 thread is what this run's load allowed.",
    );
  }
  const references = json.models.map((r) => r.reference).filter((x): x is ReferenceReport => !!x && "runs" in x);
  if (references.length > 0) {
    const libs = references[0].runs[0]?.result.blasLibraries.filter((l) => /\/lib(open)?blas[^/]*$/.test(l)).join(", ");
    const gate = Math.max(...references.map((x) => x.blasGflops));
    lines.push("", `PyTorch's BLAS: ${libs}; best 1024^3 matmul ${fmt(gate, 1)} GFLOP/s (wall or per CPU-second; ratios are withheld under ${MIN_REFERENCE_BLAS_GFLOPS}). Parameter counts equal: ${references.every((x) => x.paramsMatch) ? "yes" : "NO"}.`);
  }
  const gen = generationRows(json.models);
  if (gen.length > 0) {
    lines.push(
      "",
      "| model | threads | greedy, 64 new tokens | KV cache tokens/s | no cache tokens/s | cache speed-up | by CPU time | KV cache vs 1 thread | free-core estimate |",
      "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    );
    for (const { model, run, batch, single } of gen) {
      const c = greedySpeed(run, batch, true);
      const u = greedySpeed(run, batch, false);
      const cpuRatio = ratio(greedySpeed(run, batch, true, "tokensPerCpuSecond"), greedySpeed(run, batch, false, "tokensPerCpuSecond"), 1);
      const [vsOne, estimate] = threadRatios(run, single, batch);
      lines.push(`| ${model} | ${run.threads ?? "-"} | batch ${batch} | ${fmt(c)} | ${fmt(u)} | ${ratio(c, u, 1)} | ${cpuRatio} | ${vsOne} | ${estimate} |`);
    }
  }
  if (json.parallel) {
    const p = json.parallel;
    lines.push(
      "",
      `Two workers (\`runInParallel\`, ${p.model}, ${p.jobs} training jobs): ${fmt(p.oneWorker.stepsPerSecond, 2)} steps/s with 1 worker, ` +
        `${fmt(p.twoWorkers.stepsPerSecond, 2)} with 2: **x${fmt(p.throughputSpeedup, 2)}** throughput (wall x${fmt(p.wallSpeedup, 2)}); ` +
        `CPU time per step ${fmt(p.oneWorker.cpuMsPerStep)} ms alone, ${fmt(p.twoWorkers.cpuMsPerStep)} ms side by side.`,
    );
  }
  const mem = json.models.map((r) => `${r.name} ${flanlabRuns(r).map((run) => fmt(run.train.measurement.peakRssMiB)).join(" / ")} MiB`).join(", ");
  lines.push("", `Peak resident memory while training (each model in its own process): ${mem}. Tensor count flat over the measured steps: ${json.models.every((r) => flanlabRuns(r).every((run) => run.train.tensorsFlat)) ? "yes" : "NO"}.`);
  if (json.leak) {
    const l = json.leak;
    const after = l.tensors.filter((s) => s.step >= l.tensors[0].step);
    lines.push(`Leak check: ${l.steps} steps of ${l.model} (batch ${l.batch}): tensors ${after[0].tensors} -> ${after[after.length - 1].tensors}, RSS ${fmt(after[0].rssMiB)} -> ${fmt(after[after.length - 1].rssMiB)} MiB.`);
  }
  return lines.join("\n") + "\n";
}

export const BENCH_USAGE =
  "flanlab bench [--models probe,flanlab-tiny,flanlab-mini,base-256,t5-small | none] [--steps N] [--no-reference] [--threads 1,2]\n" +
  "              [--wasm-threads 1,2] [--no-generation]\n" +
  "              [--parallel MODEL | --no-parallel] [--leak-steps N] [--seed S] [--out FILE.json]\n" +
  `  Models: ${BENCH_MODELS.join(", ")} (random weights). Measures training steps (median after warm-up), tokens/s, GFLOP/s\n` +
  "  against the backend's own 2-D matmul peak, greedy generation with and without the KV cache, memory, and the same\n" +
  "  model in PyTorch (bench/reference_t5.py; --threads, default 1 and 2). --wasm-threads: flanlab on tfjs-wasm with\n" +
  "  each of these thread counts, one process each (default 1 up to the cores, at most 8; training and KV-cache greedy\n" +
  "  generation; ratios to 1 thread). --parallel: 2 worker processes vs 1, one thread each (default probe).\n" +
  "  Writes JSON (default bench/results/<date>-<backend>.json).";
