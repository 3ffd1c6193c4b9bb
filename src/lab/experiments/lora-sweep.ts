// Helpers of notebook 04 (LoRA): forgetting as one number per run (generated and likelihood-based), paired
// comparisons of two runs that work with one seed (over test examples) or several (over seeds), the
// "learning vs forgetting" scatter of Biderman et al. 2024 (and its lines, for trajectories), and what an adapter
// costs on disk.
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { collate, truncateIds } from "../../data/collate";
import { Tokenizer } from "../../io/tokenizer";
import { figureHtml } from "../notebook/plots";
import { batchLogits } from "../../model/batch-logits";
import { T5Model } from "../../model/t5";
import { activeAdapter, loraAName, loraBName, loraScaling, linearModules } from "../../model/lora";
import { mean } from "../../eval/bootstrap";
import { summarizeSeeds } from "../../eval/stats";
import { saveAdapter } from "../../io/adapter";
import { ProgressSink } from "../../train/progress";
import { Base, FineTuneSpec, disposeModel, fineTune } from "./finetune";
import { TaskScore, scoreModel } from "./scoring";

/** How much a model lost on the base tasks, three ways; each is a mean over tasks of (base - model). */
export interface Forgetting {
  /** On the task's primary metric of generated answers (what a user sees). */
  generated: number;
  /** On teacher-forced token accuracy of the reference answers (all tasks). */
  teacherForced: number;
  /** On rank-classification accuracy (tasks with a label set only); null when no task has one. */
  rank: number | null;
}


/**
 * Forgetting of `model` relative to `base` over `tasks` (both scored by scoreModel on the same examples).
 * Positive = the model is worse than the base; 0 = no change; negative = it improved on the base tasks.
 */
export function forgettingOf(base: Record<string, TaskScore>, model: Record<string, TaskScore>, tasks: readonly string[]): Forgetting {
  const missing = tasks.filter((t) => !base[t] || !model[t]);
  if (tasks.length === 0 || missing.length > 0) throw new Error(`forgettingOf: no scores for ${missing.join(", ") || "any task"}.`);
  const ranked = tasks.filter((t) => base[t].rankAccuracy !== undefined && model[t].rankAccuracy !== undefined);
  return {
    generated: mean(tasks.map((t) => base[t].primary - model[t].primary)),
    teacherForced: mean(tasks.map((t) => base[t].teacherForcedAccuracy - model[t].teacherForcedAccuracy)),
    rank: ranked.length === 0 ? null : mean(ranked.map((t) => (base[t].rankAccuracy as number) - (model[t].rankAccuracy as number))),
  };
}

/**
 * Per-example values of the primary metric, pooled over `tasks` in task order (scoreModel must have kept every
 * prediction: `samples` at least the number of examples). Two runs scored on the same examples pair up
 * element by element; with the same number of examples per task, the mean of a pooled difference is the mean
 * over tasks of the per-task differences, i.e. a difference of forgetting.
 */
export function perExamplePrimary(scores: Record<string, TaskScore>, tasks: readonly string[], primaryMetric: (task: string) => string): number[] {
  return tasks.flatMap((t) => {
    const metric = primaryMetric(t);
    return scores[t].samples.map((p) => {
      const value = p.scores[metric];
      if (typeof value !== "number") throw new Error(`perExamplePrimary: ${t} predictions have no "${metric}" score.`);
      return value;
    });
  });
}

/** One run's measurements of a figure: one value per seed, and (for single-seed comparisons) per test example. */
export interface RunValues {
  name: string;
  /** The figure per seed, seeds in the same order for every run compared. */
  perSeed: number[];
  /** The figure's per-example values of the first seed (same examples, same order, for every run compared). */
  perExample?: number[];
}

export interface Contrast {
  /** Sign of (a - b) when the 95% interval of the difference excludes 0, else 0 ("within noise", or no interval). */
  direction: -1 | 0 | 1;
  difference: number;
  halfWidth: number | null;
  /** What the interval is over: "seeds" or "test examples". */
  over: "seeds" | "test examples" | "nothing";
  sentence: string;
}

/**
 * Compare run a with run b on one figure (higher = more of it). With two or more seeds each: a paired t interval
 * of the difference over seeds. With one seed: a paired t interval over test examples (it covers the sampling of
 * the test set, not the training seed's noise; the sentence says so). The direction is 0 when the interval
 * includes 0.
 */
export function contrastRuns(subject: string, a: RunValues, b: RunValues, digits = 2): Contrast {
  const fmt = (v: number) => v.toFixed(digits);
  const signed = (v: number) => (v >= 0 ? "+" : "") + fmt(v);
  const ma = mean(a.perSeed);
  const mb = mean(b.perSeed);
  let diffs: number[] | undefined;
  let over: Contrast["over"] = "nothing";
  if (a.perSeed.length >= 2 && a.perSeed.length === b.perSeed.length) {
    diffs = a.perSeed.map((v, i) => v - b.perSeed[i]);
    over = "seeds";
  } else if (a.perExample && b.perExample && a.perExample.length === b.perExample.length && a.perExample.length >= 2) {
    diffs = a.perExample.map((v, i) => v - (b.perExample as number[])[i]);
    over = "test examples";
  }
  const summary = diffs ? summarizeSeeds(diffs) : undefined;
  const interval = summary?.interval ?? null;
  const difference = ma - mb;
  const halfWidth = interval ? interval.halfWidth : null;
  const excludesZero = interval !== null && (interval.low > 0 || interval.high < 0);
  const direction: -1 | 0 | 1 = excludesZero ? (difference > 0 ? 1 : -1) : 0;
  const where =
    over === "seeds"
      ? `95% interval over ${a.perSeed.length} seeds`
      : over === "test examples"
        ? `95% interval over ${(diffs as number[]).length} paired test examples, one training seed: seed-to-seed noise is not in it`
        : "no interval";
  const detail = `${a.name} ${fmt(ma)}, ${b.name} ${fmt(mb)}; difference ${signed(difference)}${halfWidth !== null ? ` \u00b1 ${fmt(halfWidth)}` : ""}, ${where}`;
  const sentence =
    over === "nothing"
      ? `On ${subject}, ${a.name} and ${b.name} cannot be told apart without an interval (${detail}: one seed and no per-example values).`
      : direction === 0
      ? `On ${subject}, ${a.name} and ${b.name} are within noise of each other (${detail}).`
      : `On ${subject}, ${a.name} is ${direction > 0 ? "higher" : "lower"} than ${b.name} (${detail}).`;
  return { direction, difference, halfWidth, over, sentence };
}

/** A point of the learning-vs-forgetting scatter. */
export interface LearningForgettingPoint {
  name: string;
  /** Legend group, e.g. "full fine-tuning", "LoRA q,v", "replay". */
  group: string;
  forgetting: number;
  learning: number;
}

/**
 * "LoRA Learns Less and Forgets Less" (Biderman et al. 2024) plots each run as a point: forgetting on the source
 * domain (x) against learning on the target domain (y). Up and to the left is better. One trace per group, each
 * point labelled with its run's name.
 */
export function learningForgettingHtml(points: LearningForgettingPoint[], options: { title: string; xTitle: string; yTitle: string }): string {
  const groups = [...new Set(points.map((p) => p.group))];
  const traces = groups.map((group) => {
    const mine = points.filter((p) => p.group === group);
    return {
      type: "scatter",
      mode: "markers+text",
      name: group,
      x: mine.map((p) => p.forgetting),
      y: mine.map((p) => p.learning),
      text: mine.map((p) => p.name),
      textposition: "top center",
      marker: { size: 11 },
    };
  });
  return figureHtml(traces, {
    title: { text: options.title },
    xaxis: { title: { text: options.xTitle }, zeroline: true },
    yaxis: { title: { text: options.yTitle } },
  }, 440);
}

/** A line of the learning-vs-forgetting plane: one run's points in training order (e.g. its trajectory's checkpoints). */
export interface LearningForgettingLine {
  name: string;
  points: { forgetting: number; learning: number; label: string }[];
}

/**
 * learningForgettingHtml's plane with one line per run through its points, in training order: markers grow along
 * the run, the last one carries the run's name, and hovering a marker shows its label (e.g. "step 40").
 */
export function learningForgettingLinesHtml(lines: LearningForgettingLine[], options: { title: string; xTitle: string; yTitle: string }): string {
  const traces = lines.map((line) => {
    const n = line.points.length;
    return {
      type: "scatter",
      mode: "lines+markers+text",
      name: line.name,
      x: line.points.map((p) => p.forgetting),
      y: line.points.map((p) => p.learning),
      text: line.points.map((_, i) => (i === n - 1 ? line.name : "")),
      textposition: "top center",
      hovertext: line.points.map((p) => `${line.name}: ${p.label}`),
      hoverinfo: "text+x+y",
      marker: { size: line.points.map((_, i) => (n > 1 ? 5 + Math.round((6 * i) / (n - 1)) : 8)) },
    };
  });
  return figureHtml(traces, {
    title: { text: options.title },
    xaxis: { title: { text: options.xTitle }, zeroline: true },
    yaxis: { title: { text: options.yTitle } },
  }, 480);
}

/** Size in bytes of a file, or of every file under a folder. */
export function sizeOnDisk(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(target).reduce((sum, entry) => sum + sizeOnDisk(path.join(target, entry)), 0);
}

/** "1.2 MB", "48.3 kB", "512 B" (decimal units, as file managers and the Hub show them). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** A teacher-forced batch of (input, target) pairs, cut to the given token budgets. */
export function pairsBatch(tokenizer: Tokenizer, pairs: { input: string; target: string }[], maxInput: number, maxTarget: number) {
  return collate(
    pairs.map((p) => ({
      inputIds: truncateIds(tokenizer.encode(p.input), maxInput, tokenizer.eosTokenId),
      labels: truncateIds(tokenizer.encode(p.target), maxTarget, tokenizer.eosTokenId),
    })),
  );
}

/** The logits of a model on a collated batch (teacher-forced), as a tensor the caller disposes: the library's. */
export { batchLogits };

/** Largest absolute difference between two tensors of the same shape (0 = bit-identical values). */
export function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Per-example forgetting on the primary metric, pooled over tasks: base's value minus the model's, example by example. */
export function perExampleForgetting(base: Record<string, TaskScore>, model: Record<string, TaskScore>, tasks: readonly string[], primaryMetric: (task: string) => string): number[] {
  const before = perExamplePrimary(base, tasks, primaryMetric);
  const after = perExamplePrimary(model, tasks, primaryMetric);
  if (before.length !== after.length) throw new Error(`perExampleForgetting: ${before.length} base examples but ${after.length} of the model.`);
  return before.map((b, i) => b - after[i]);
}

export interface ScoredRun {
  spec: FineTuneSpec;
  scores: Record<string, TaskScore>;
  forgetting: Forgetting;
  trainableParams: number;
  totalParams: number;
  trainSeconds: number;
  /** Logits of the probe batch (when one was given): the caller disposes them. */
  probeLogits?: tf.Tensor;
  /** Where the adapter was saved (LoRA runs given an adapterFolder). */
  adapterFolder?: string;
  /** |W_tuned - W_base| / |W_base| (Frobenius) per linear module that changed (effectiveWeightChange). */
  weightChange: Record<string, number>;
}

export interface FineTuneAndScoreOptions {
  /** Tasks to score (the new task and the base tasks), and the base's scores on them, for forgetting. */
  tasks: readonly string[];
  baseTasks: readonly string[];
  baseScores: Record<string, TaskScore>;
  /** Test records per task; every prediction is kept (per-example comparisons need them). */
  limit: number;
  progress?: ProgressSink;
  /** LoRA runs: save the adapter here (PEFT layout) before the model is disposed. */
  adapterFolder?: string;
  /** Keep the model's logits on this batch (to check later that a reloaded adapter gives the same outputs). */
  probe?: ReturnType<typeof collate>;
}

/**
 * One run of a sweep: fine-tune a copy of the base as `spec` says, score it on every task (generated and
 * likelihood-based), measure forgetting against the base, optionally save its adapter and probe logits, and
 * dispose the model: memory stays flat however many runs a sweep makes.
 */
export async function fineTuneAndScore(base: Base, spec: FineTuneSpec, options: FineTuneAndScoreOptions): Promise<ScoredRun> {
  const tuned = await fineTune(base, spec, options.progress);
  try {
    const scores = await scoreModel(tuned.model, base.tokenizer, options.tasks, { limit: options.limit, samples: options.limit });
    const run: ScoredRun = {
      spec,
      scores,
      forgetting: forgettingOf(options.baseScores, scores, options.baseTasks),
      trainableParams: tuned.trainableParams,
      totalParams: tuned.totalParams,
      trainSeconds: tuned.result.seconds,
      weightChange: effectiveWeightChange(base.model, tuned.model),
    };
    if (options.adapterFolder && spec.method === "lora") {
      saveAdapter(tuned.model, options.adapterFolder);
      run.adapterFolder = options.adapterFolder;
    }
    if (options.probe) run.probeLogits = batchLogits(tuned.model, options.probe);
    return run;
  } finally {
    disposeModel(tuned.model);
  }
}

/**
 * How far fine-tuning moved each linear layer: |W_tuned - W_base| / |W_base| (Frobenius norms), where a LoRA
 * model's W_tuned is its effective weight W + (alpha / r) A B. Modules that did not change are left out; lm_head
 * is included (full fine-tuning changes it, LoRA here cannot).
 */
export function effectiveWeightChange(base: T5Model, tuned: T5Model): Record<string, number> {
  const adapter = activeAdapter(tuned);
  const merged = tuned.lora?.merged ?? false;
  const modules = [...linearModules(base.config).keys(), "lm_head"].filter((m) => base.params[`${m}.weight`]);
  const out: Record<string, number> = {};
  for (const module of modules) {
    const name = `${module}.weight`;
    const ratio = tf.tidy(() => {
      let delta = tf.sub(tuned.params[name], base.params[name]);
      if (adapter && !merged && adapter.modules.includes(module)) {
        const product = tf.matMul(tuned.params[loraAName(module)], tuned.params[loraBName(module)]);
        delta = tf.add(delta, tf.mul(product, loraScaling(adapter.config)));
      }
      return tf.div(tf.norm(delta), tf.norm(base.params[name])).dataSync()[0];
    });
    if (ratio > 0) out[module] = ratio;
  }
  return out;
}

/** Mean of a run's weight changes over the modules whose name ends with one of `kinds` (e.g. ["q", "v"]). */
export function meanWeightChange(change: Record<string, number>, kinds?: readonly string[]): number {
  const values = Object.entries(change)
    .filter(([module]) => !kinds || kinds.some((k) => module === k || module.endsWith(`.${k}`)))
    .map(([, v]) => v);
  return values.length === 0 ? 0 : mean(values);
}
