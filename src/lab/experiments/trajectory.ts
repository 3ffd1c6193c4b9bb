// A run's trajectory: learning (the new task's primary metric) and forgetting (the mean base-task drop) at evenly
// spaced points of training, not only at its end, so that a learning-vs-forgetting plot has curves. The weights
// are copied at those steps through fine-tuning's reporting hooks (onPrepared, progress), which are not part of a
// run's key and do not touch its weights, data order or dropout; the copies are scored once the run has ended.
// The trajectory is kept with the run in the run cache: an equal call loads both instead of training.
import * as tf from "@tensorflow/tfjs";
import { mean } from "../../eval/bootstrap";
import { jsonSha256 } from "../../io/content-hash";
import { ParamMap } from "../../model/params";
import { T5Model } from "../../model/t5";
import { disposeModel } from "../../model/lifecycle";
import { FineTuneOptions, fineTuneModel } from "../../train/finetune";
import { trainableVariableMap } from "../../train/optimizers";
import { ProgressSink } from "../../train/progress";
import { Base, FineTuneSpec, FineTuned, fineTuneOnMixture, labRecipe, trainingMixture } from "./finetune";
import { Forgetting, forgettingOf } from "./lora-sweep";
import { cacheScores, cachedScores } from "./run-cache";
import { TaskScore, scoreModelOnTask } from "./scoring";

/** What a trajectory measures at each point, and where. */
export interface TrajectoryProbe {
  /** The new task: learning is its primary metric (greedy) on its first `examples` test records. */
  task: string;
  examples: number;
  /** The base tasks: forgetting is their mean drop from the base on each one's first `baseExamples` test records. */
  baseTasks: readonly string[];
  baseExamples: number;
  /** Points of the run: `checkpoints` evenly spaced steps, the last step included (checkpointSteps). */
  checkpoints: number;
}

/** Learning and forgetting of the model at one step of its run (step 0: the base). */
export interface TrajectoryPoint {
  step: number;
  learning: number;
  forgetting: Forgetting;
}

/** A run's trajectory on a probe. */
export interface Trajectory {
  name: string;
  seed: number;
  steps: number;
  probe: TrajectoryProbe;
  /** The base on the same records: step 0, forgetting 0. */
  start: TrajectoryPoint;
  points: TrajectoryPoint[];
  /** Seconds it took to score the checkpoints when the trajectory was measured. */
  evalSeconds: number;
}

/** A fine-tuned run with its trajectory, and what this call did: trained (and scored checkpoints), or loaded both. */
export interface TrajectoryRun {
  tuned: FineTuned;
  trajectory: Trajectory;
  trained: boolean;
  /** Seconds this call spent scoring checkpoints (0 when the trajectory was loaded). */
  evalSeconds: number;
}

/** `count` evenly spaced steps of a run of `steps`: round(i * steps / count) for i = 1..count, the last step included; fewer when steps < count. */
export function checkpointSteps(steps: number, count: number): number[] {
  if (!(Number.isInteger(steps) && steps > 0 && Number.isInteger(count) && count > 0)) {
    throw new Error(`checkpointSteps: steps and count must be positive integers, got ${steps} and ${count}.`);
  }
  const out = Array.from({ length: count }, (_, i) => Math.max(1, Math.round(((i + 1) * steps) / count)));
  return [...new Set(out)];
}

/** The name a trajectory is kept under in a run's cache entry: one per probe. */
export function trajectoryScoresName(probe: TrajectoryProbe): string {
  const { task, examples, baseTasks, baseExamples, checkpoints } = probe;
  return `trajectory-${jsonSha256({ task, examples, baseTasks, baseExamples, checkpoints }).slice(0, 16)}`;
}

/** Scores of a model on a probe's records: the new task on generated answers only; the base tasks also on likelihoods. */
export async function probeScores(model: T5Model, tokenizer: Base["tokenizer"], probe: TrajectoryProbe): Promise<Record<string, TaskScore>> {
  const scores: Record<string, TaskScore> = {};
  scores[probe.task] = await scoreModelOnTask(model, tokenizer, probe.task, { limit: probe.examples, samples: 0, generatedOnly: true });
  for (const task of probe.baseTasks) scores[task] = await scoreModelOnTask(model, tokenizer, task, { limit: probe.baseExamples, samples: 0 });
  return scores;
}

/** A point from a model's probe scores and the base's. */
export function trajectoryPoint(step: number, baseline: Record<string, TaskScore>, scores: Record<string, TaskScore>, probe: TrajectoryProbe): TrajectoryPoint {
  return { step, learning: scores[probe.task].primary, forgetting: forgettingOf(baseline, scores, probe.baseTasks) };
}

/**
 * Copies of a run's trainable weights at chosen steps, taken through fine-tuning's hooks: onPrepared hands over the
 * model that trains, and the progress sink's update (called after each optimizer step) copies its trainable
 * variables at the chosen steps. tf.clone shares the values until the optimizer assigns new ones, so a copy costs
 * memory only as training moves on: up to one set of trainable weights per checkpoint (LoRA: the adapter's).
 */
export class WeightSnapshots {
  readonly taken: { step: number; weights: ParamMap }[] = [];
  private model: T5Model | undefined;

  constructor(readonly steps: readonly number[]) {}

  /** The hooks to train with; `progress` still gets every report. */
  hooks(progress?: ProgressSink): Required<Pick<FineTuneOptions, "onPrepared" | "progress">> {
    return {
      onPrepared: (model) => {
        this.model = model;
      },
      progress: {
        update: (state) => {
          if (this.steps.includes(state.step)) this.take(state.step);
          progress?.update(state);
        },
        evaluated: progress?.evaluated ? (step, scores) => progress.evaluated?.(step, scores) : undefined,
        done: (state) => progress?.done(state),
      },
    };
  }

  private take(step: number): void {
    if (!this.model || this.taken.some((t) => t.step === step)) return;
    const weights: ParamMap = {};
    for (const [name, variable] of Object.entries(trainableVariableMap(this.model.params))) weights[name] = tf.clone(variable);
    this.taken.push({ step, weights });
  }

  /** The trained model as it was at a snapshot: its frozen tensors with the snapshot's trainable ones (a view: do not dispose it). */
  static view(trained: T5Model, weights: ParamMap): T5Model {
    return { ...trained, params: { ...trained.params, ...weights } };
  }

  dispose(): void {
    for (const t of this.taken) Object.values(t.weights).forEach((w) => w.dispose());
    this.taken.length = 0;
  }
}

/** Score each snapshot of a run on the probe, against the base's scores on it. */
async function scoreSnapshots(trained: T5Model, snapshots: WeightSnapshots, tokenizer: Base["tokenizer"], baseline: Record<string, TaskScore>, probe: TrajectoryProbe): Promise<TrajectoryPoint[]> {
  const points: TrajectoryPoint[] = [];
  for (const { step, weights } of snapshots.taken) {
    points.push(trajectoryPoint(step, baseline, await probeScores(WeightSnapshots.view(trained, weights), tokenizer, probe), probe));
  }
  return points;
}

export interface TrajectoryOptions {
  /** The base's probeScores (computed here when not given; pass them to score the base once for many runs). */
  baseline?: Record<string, TaskScore>;
  progress?: ProgressSink;
}

/**
 * fineTune(base, spec) with its trajectory on `probe`. A run cached with this probe's trajectory is loaded with it
 * (nothing trains); a run cached without one is trained again with the snapshots (same key, so the same weights)
 * and its trajectory added to its entry; a new run is trained, cached, and its trajectory kept with it. The model
 * returned is the caller's to dispose.
 */
export async function fineTuneWithTrajectory(base: Base, spec: FineTuneSpec, probe: TrajectoryProbe, options: TrajectoryOptions = {}): Promise<TrajectoryRun> {
  const name = trajectoryScoresName(probe);
  const mixture = trainingMixture(spec.data);
  let snapshots = new WeightSnapshots(checkpointSteps(spec.steps, probe.checkpoints));
  try {
    const observed = snapshots.hooks(options.progress);
    let tuned = await fineTuneOnMixture(base, spec, mixture, observed.progress, observed.onPrepared);
    if (snapshots.taken.length === 0) {
      const cached = cachedScores<Trajectory>(tuned, name);
      if (cached) return { tuned, trajectory: { ...cached, name: spec.name }, trained: false, evalSeconds: 0 };
      // Cached without this trajectory: train the same run again, outside the cache, watching it.
      disposeModel(tuned.model);
      snapshots.dispose();
      snapshots = new WeightSnapshots(snapshots.steps);
      const again = snapshots.hooks(options.progress);
      const run = await fineTuneModel(base.model, { mixture, tokenizer: base.tokenizer }, { ...labRecipe(spec), ...again });
      tuned = { ...tuned, model: run.model, result: run.result };
    }
    const started = performance.now();
    try {
      const baseline = options.baseline ?? (await probeScores(base.model, base.tokenizer, probe));
      const points = await scoreSnapshots(tuned.model, snapshots, base.tokenizer, baseline, probe);
      const evalSeconds = (performance.now() - started) / 1000;
      const start = { step: 0, learning: baseline[probe.task].primary, forgetting: forgettingOf(baseline, baseline, probe.baseTasks) };
      const trajectory: Trajectory = { name: spec.name, seed: spec.seed, steps: spec.steps, probe, start, points, evalSeconds };
      cacheScores(tuned, name, trajectory);
      return { tuned, trajectory, trained: true, evalSeconds };
    } catch (error) {
      disposeModel(tuned.model);
      throw error;
    }
  } finally {
    snapshots.dispose();
  }
}

/** One line of a learning-vs-forgetting plot: a run's points (means over its seeds), the base first. */
export interface TrajectoryLine {
  name: string;
  seeds: number;
  points: TrajectoryPoint[];
}


/** The mean trajectory over seeds of one run (every trajectory of the same steps), the base's point first. */
export function meanTrajectory(name: string, trajectories: readonly Trajectory[]): TrajectoryLine {
  if (trajectories.length === 0) throw new Error(`meanTrajectory: no trajectories of ${name}.`);
  const steps = (t: Trajectory) => [t.start, ...t.points].map((p) => p.step).join(",");
  const other = trajectories.find((t) => steps(t) !== steps(trajectories[0]));
  if (other) throw new Error(`meanTrajectory: the trajectories of ${name} are at different steps (${steps(trajectories[0])} and ${steps(other)}).`);
  const rows = trajectories.map((t) => [t.start, ...t.points]);
  const points = rows[0].map((p, i) => {
    const at = rows.map((row) => row[i]);
    const ranks = at.map((q) => q.forgetting.rank);
    return {
      step: p.step,
      learning: mean(at.map((q) => q.learning)),
      forgetting: {
        generated: mean(at.map((q) => q.forgetting.generated)),
        teacherForced: mean(at.map((q) => q.forgetting.teacherForced)),
        rank: ranks.every((r): r is number => r !== null) ? mean(ranks) : null,
      },
    };
  });
  return { name, seeds: trajectories.length, points };
}
