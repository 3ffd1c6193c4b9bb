/**
 * Catastrophic forgetting in numbers.
 *
 * A score matrix has one row per model (the base model and each fine-tuned variant) and one column per task;
 * a cell holds the task's primary metric (TaskDefinition.primaryMetric), which must be higher-is-better
 * (accuracy, rougeL, f1; not mae), so that every difference below reads "positive = lost".
 *
 * Definitions (a[m][j] = score of model m on task j):
 * - Forgetting of a variant v against the base b, on a task j that v was not fine-tuned on:
 *   a[b][j] - a[v][j]. Positive: v lost ability the base had; negative: it improved on a task it never saw.
 * - Backward transfer against the base (Lopez-Paz & Ranzato 2017's BWT with "before" = the base):
 *   mean over the tasks v was not fine-tuned on of a[v][j] - a[b][j], i.e. minus the mean forgetting.
 * - For a sequence of stages (stage k fine-tunes on task s_k, starting from stage k - 1), with a[k][j] the score
 *   on task j after stage k and K stages:
 *   - forgetting of task j (Chaudhry et al. 2018, "Riemannian Walk"): the best earlier score minus the final one,
 *     max over k < K - 1 of a[k][j] - a[K-1][j]; with a base row given, the base counts as an earlier row too.
 *     Chaudhry's average forgetting F is the mean over the tasks trained before the last stage.
 *   - backward transfer (Lopez-Paz & Ranzato 2017, "Gradient Episodic Memory"): mean over the tasks trained
 *     before the last stage of a[K-1][s_k] - a[k][s_k], the final score minus the score right after learning it.
 *   - forward transfer (same paper, needs the base): mean over stages k >= 1 of a[k-1][s_k] - base[s_k], how much
 *     earlier stages helped a task before it was trained on.
 *   - average score (Chaudhry's A): mean final score over the tasks trained in the sequence.
 * - Across seeds: per figure, the mean, sample standard deviation and Student t interval (./stats.ts).
 */
import { LOWER_IS_BETTER } from "./metrics";
import { type SeedSummary, summarizeSeeds } from "./stats";
import { mean } from "./bootstrap";

/** Scores of models (rows) on tasks (columns) by one metric each: what forgetting is computed from. */
export interface ScoreMatrix {
  /** Row names: the base model and the variants (by run name). */
  models: string[];
  /** Column names: tasks. */
  tasks: string[];
  /** scores[i][j]: model i's primary metric on task j. */
  scores: number[][];
}

function checkNames(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`score matrix: ${what} "${name}" appears twice`);
    seen.add(name);
  }
}

/** A validated score matrix (distinct names, one finite score per cell). */
export function makeScoreMatrix(models: readonly string[], tasks: readonly string[], scores: readonly (readonly number[])[]): ScoreMatrix {
  checkNames(models, "model");
  checkNames(tasks, "task");
  if (scores.length !== models.length) throw new Error(`score matrix: ${models.length} models but ${scores.length} rows`);
  scores.forEach((row, i) => {
    if (row.length !== tasks.length) throw new Error(`score matrix: row "${models[i]}" has ${row.length} scores for ${tasks.length} tasks`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`score matrix: "${models[i]}" on "${tasks[j]}" is ${v}, not a finite number`);
    });
  });
  return { models: [...models], tasks: [...tasks], scores: scores.map((row) => [...row]) };
}

/** One run of a results file (docs/ARCHITECTURE.md, "Files"): its name and scores per task and metric. */
export interface RunScores {
  name: string;
  scores: Record<string, Record<string, number>>;
}

/**
 * The score matrix of some runs: one row per run (in the given order), one column per task of `primaryMetrics`
 * (task -> metric name), each cell the run's score on that task's primary metric. Throws when a score is missing
 * or a primary metric is lower-is-better.
 */
export function scoreMatrixFromRuns(runs: readonly RunScores[], primaryMetrics: Readonly<Record<string, string>>): ScoreMatrix {
  const tasks = Object.keys(primaryMetrics);
  for (const task of tasks) {
    if (LOWER_IS_BETTER.has(primaryMetrics[task])) {
      throw new Error(`score matrix: task "${task}" uses ${primaryMetrics[task]}, where lower is better; use a higher-is-better metric (e.g. accuracy)`);
    }
  }
  const scores = runs.map((run) =>
    tasks.map((task) => {
      const value = run.scores[task]?.[primaryMetrics[task]];
      if (value === undefined) throw new Error(`score matrix: run "${run.name}" has no ${primaryMetrics[task]} score on task "${task}"`);
      return value;
    }),
  );
  return makeScoreMatrix(runs.map((r) => r.name), tasks, scores);
}

function indexOf(names: readonly string[], name: string, what: string): number {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`score matrix has no ${what} "${name}" (it has: ${names.join(", ")})`);
  return i;
}

/** The score of one model on one task. */
export function scoreOf(matrix: ScoreMatrix, model: string, task: string): number {
  return matrix.scores[indexOf(matrix.models, model, "model")][indexOf(matrix.tasks, task, "task")];
}

const meanOrNull = (values: readonly number[]): number | null => (values.length > 0 ? mean(values) : null);

export interface VariantForgetting {
  model: string;
  trainedOn: string[];
  /** base - variant on each task the variant was not fine-tuned on (positive = forgotten). */
  forgetting: Record<string, number>;
  /** Mean of `forgetting`; null when the variant was fine-tuned on every task. */
  meanForgetting: number | null;
  /** Mean over the same tasks of variant - base (= -meanForgetting); null likewise. */
  backwardTransfer: number | null;
  /** variant - base on the tasks it was fine-tuned on (what fine-tuning bought). */
  gain: Record<string, number>;
  /** Mean of the variant's row over all tasks. */
  averageScore: number;
}

/**
 * Forgetting of every variant (every row but the base) against the base. trainedOn: variant -> the tasks it was
 * fine-tuned on (each must be a column; a variant fine-tuned on no column, e.g. on other data, lists none).
 */
export function forgettingVsBase(matrix: ScoreMatrix, base: string, trainedOn: Readonly<Record<string, readonly string[]>>): VariantForgetting[] {
  const baseRow = matrix.scores[indexOf(matrix.models, base, "base model")];
  return matrix.models
    .map((model, i) => ({ model, row: matrix.scores[i] }))
    .filter(({ model }) => model !== base)
    .map(({ model, row }) => {
      const trained = trainedOn[model];
      if (!trained) throw new Error(`forgettingVsBase: no trainedOn entry for variant "${model}" (give [] if it trained on none of the tasks)`);
      for (const task of trained) indexOf(matrix.tasks, task, `task (trainedOn of "${model}")`);
      const forgetting: Record<string, number> = {};
      const gain: Record<string, number> = {};
      matrix.tasks.forEach((task, j) => {
        if (trained.includes(task)) gain[task] = row[j] - baseRow[j];
        else forgetting[task] = baseRow[j] - row[j];
      });
      const lost = Object.values(forgetting);
      const meanForgetting = meanOrNull(lost);
      return {
        model,
        trainedOn: [...trained],
        forgetting,
        meanForgetting,
        backwardTransfer: meanForgetting === null ? null : -meanForgetting,
        gain,
        averageScore: mean(row),
      };
    });
}

/** Scores after each stage of sequential fine-tuning. */
export interface StageSequence {
  /** Columns. */
  tasks: string[];
  /** stages[k]: the task stage k fine-tunes on (a column; each at most once). */
  stages: string[];
  /** scores[k][j]: score on tasks[j] after stage k. */
  scores: number[][];
  /** Scores of the model before the first stage, one per task; enables forward transfer. */
  base?: number[];
}

export interface SequenceFigures {
  /** Scores after the last stage. */
  final: Record<string, number>;
  /**
   * Best earlier score (any earlier stage, and the base when given) minus the final score, for every task except
   * the last stage's; empty with one stage and no base.
   */
  forgetting: Record<string, number>;
  /** Chaudhry's F: mean forgetting over the tasks trained before the last stage; null with one stage. */
  meanForgetting: number | null;
  /** Mean forgetting over the tasks no stage trained on (abilities the sequence wore down); null if there are none or nothing is earlier. */
  meanForgettingUntrained: number | null;
  /** Lopez-Paz & Ranzato's BWT; null with one stage. */
  backwardTransfer: number | null;
  /** Lopez-Paz & Ranzato's FWT; null without a base or with one stage. */
  forwardTransfer: number | null;
  /** Chaudhry's A: mean final score over the tasks trained in the sequence. */
  averageScore: number;
  /** Mean final score over every task. */
  averageScoreAllTasks: number;
}

/** Forgetting, backward and forward transfer and average score of a sequence of fine-tuning stages. */
export function sequenceFigures(sequence: StageSequence): SequenceFigures {
  const { tasks, stages, scores, base } = sequence;
  const K = stages.length;
  if (K === 0) throw new Error("sequenceFigures: no stages");
  checkNames(stages, "stage task");
  makeScoreMatrix(stages.map((s, k) => `stage ${k} (${s})`), tasks, scores); // validates shape and values
  if (base) makeScoreMatrix(["base"], tasks, [base]);
  const column = stages.map((s) => indexOf(tasks, s, "task (stages)"));
  const final = scores[K - 1];
  const earlierRows = [...(base ? [base] : []), ...scores.slice(0, K - 1)];

  const finalByTask: Record<string, number> = {};
  tasks.forEach((task, j) => (finalByTask[task] = final[j]));
  const forgetting: Record<string, number> = {};
  if (earlierRows.length > 0) {
    tasks.forEach((task, j) => {
      if (j === column[K - 1]) return;
      forgetting[task] = Math.max(...earlierRows.map((row) => row[j])) - final[j];
    });
  }
  const trainedEarlier = column.slice(0, K - 1);
  const untrained = tasks.filter((_, j) => !column.includes(j));
  return {
    final: finalByTask,
    forgetting,
    meanForgetting: meanOrNull(trainedEarlier.map((j) => forgetting[tasks[j]])),
    meanForgettingUntrained: earlierRows.length > 0 ? meanOrNull(untrained.map((t) => forgetting[t])) : null,
    backwardTransfer: meanOrNull(trainedEarlier.map((j, k) => final[j] - scores[k][j])),
    forwardTransfer: base ? meanOrNull(column.slice(1).map((j, i) => scores[i][j] - base[j])) : null,
    averageScore: mean(column.map((j) => final[j])),
    averageScoreAllTasks: mean(final),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Across seeds

export interface SeedMatrix {
  models: string[];
  tasks: string[];
  /** cells[i][j]: the summary across seeds of model i on task j. */
  cells: SeedSummary[][];
  /** The matrix of means (for forgetting figures of the mean model). */
  means: ScoreMatrix;
}

/**
 * Cell-by-cell summary of one score matrix per seed. Matrices are aligned by model and task names (their order
 * may differ; the first matrix's order is kept); all must hold the same models and tasks.
 */
export function aggregateScoreMatrices(matrices: readonly ScoreMatrix[], confidence = 0.95): SeedMatrix {
  if (matrices.length === 0) throw new Error("aggregateScoreMatrices: no matrices");
  const [first] = matrices;
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  matrices.forEach((m, s) => {
    if (!sameSet(m.models, first.models)) throw new Error(`aggregateScoreMatrices: matrix ${s} has models [${m.models}], matrix 0 has [${first.models}]`);
    if (!sameSet(m.tasks, first.tasks)) throw new Error(`aggregateScoreMatrices: matrix ${s} has tasks [${m.tasks}], matrix 0 has [${first.tasks}]`);
  });
  const cells = first.models.map((model) =>
    first.tasks.map((task) => summarizeSeeds(matrices.map((m) => scoreOf(m, model, task)), confidence)),
  );
  return {
    models: [...first.models],
    tasks: [...first.tasks],
    cells,
    means: makeScoreMatrix(first.models, first.tasks, cells.map((row) => row.map((c) => c.mean))),
  };
}

/**
 * Summaries across seeds of named figures (e.g. each seed's { meanForgetting, averageScore }): one record per seed,
 * all with the same keys. A null figure (undefined for that seed, e.g. meanForgetting with one stage) must be null
 * in every seed and stays null.
 */
export function summarizeFiguresAcrossSeeds(
  perSeed: readonly Readonly<Record<string, number | null>>[],
  confidence = 0.95,
): Record<string, SeedSummary | null> {
  if (perSeed.length === 0) throw new Error("summarizeFiguresAcrossSeeds: no seeds");
  const keys = Object.keys(perSeed[0]);
  const result: Record<string, SeedSummary | null> = {};
  perSeed.forEach((record, s) => {
    const extra = Object.keys(record).filter((k) => !keys.includes(k));
    const missing = keys.filter((k) => !(k in record));
    if (extra.length || missing.length) {
      throw new Error(`summarizeFiguresAcrossSeeds: seed ${s} differs from seed 0 in its figures (extra: [${extra}], missing: [${missing}])`);
    }
  });
  for (const key of keys) {
    const values = perSeed.map((r) => r[key]);
    const nulls = values.filter((v) => v === null).length;
    if (nulls === values.length) result[key] = null;
    else if (nulls > 0) throw new Error(`summarizeFiguresAcrossSeeds: "${key}" is null in ${nulls} of ${values.length} seeds`);
    else result[key] = summarizeSeeds(values as number[], confidence);
  }
  return result;
}
