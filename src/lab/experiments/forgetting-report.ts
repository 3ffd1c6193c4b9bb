// Helpers of notebooks 01 (single-task fine-tuning) and 02 (catastrophic forgetting): score matrices from
// scoreModel results, forgetting per seed with its spread, a diagnosis of what was forgotten (the answer format,
// the knowledge, or both), learning-curve summaries, and the figures (heatmap, before/after bars, curves).
import { ScoreMatrix, forgettingVsBase, makeScoreMatrix, summarizeFiguresAcrossSeeds } from "../../eval/forgetting";
import { SeedSummary, summarizeSeeds } from "../../eval/stats";
import { figureHtml } from "../notebook/plots";
import { TaskScore } from "./scoring";

/**
 * Which score of a TaskScore a cell holds: the task's primary metric on generated answers, rank classification
 * accuracy (tasks with a label set only), or teacher-forced token accuracy.
 */
export type ScoreKind = "generated" | "rankAccuracy" | "teacherForced";

export const SCORE_KIND_LABELS: Readonly<Record<ScoreKind, string>> = {
  generated: "primary metric on generated answers",
  rankAccuracy: "rank classification accuracy",
  teacherForced: "teacher-forced token accuracy",
};

/** The value of one kind of score, or undefined when the task does not have it (rank accuracy without labels). */
export function scoreValue(score: TaskScore, kind: ScoreKind): number | undefined {
  const value = kind === "generated" ? score.primary : kind === "rankAccuracy" ? score.rankAccuracy : score.teacherForcedAccuracy;
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** A named model's scores per task (one scoreModel result). */
export interface ScoredModel {
  name: string;
  scores: Record<string, TaskScore>;
}

/** A score matrix of one kind of score: a row per model (in order), a column per task. Throws on a missing score. */
export function scoreMatrixOf(models: readonly ScoredModel[], tasks: readonly string[], kind: ScoreKind): ScoreMatrix {
  const rows = models.map((m) =>
    tasks.map((task) => {
      const score = m.scores[task];
      if (!score) throw new Error(`scoreMatrixOf: model "${m.name}" was not scored on task "${task}"`);
      const value = scoreValue(score, kind);
      if (value === undefined) throw new Error(`scoreMatrixOf: model "${m.name}" has no ${SCORE_KIND_LABELS[kind]} on task "${task}"`);
      return value;
    }),
  );
  return makeScoreMatrix(models.map((m) => m.name), tasks, rows);
}

/** Every number of a scoreModel result, flat per task, for ResultsLog (generated metrics and likelihood scores). */
export function flatScores(scores: Record<string, TaskScore>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [task, s] of Object.entries(scores)) {
    const flat: Record<string, number> = { ...s.generated };
    if (s.rankAccuracy !== undefined) flat.rankAccuracy = s.rankAccuracy;
    if (!Number.isNaN(s.teacherForcedAccuracy)) flat.teacherForcedAccuracy = s.teacherForcedAccuracy;
    if (!Number.isNaN(s.meanLogLikelihood)) flat.meanLogLikelihood = s.meanLogLikelihood;
    out[task] = flat;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Forgetting across seeds

export interface SeedForgetting {
  /** Tasks the variants were not fine-tuned on (the forgetting columns). */
  tasks: string[];
  /** One entry per variant (seed), in the order given. */
  perSeed: { model: string; seed: number; forgetting: Record<string, number>; backwardTransfer: number | null; gain: Record<string, number> }[];
  /** Per task (and "backwardTransfer"): the summary across seeds. */
  summary: Record<string, SeedSummary | null>;
}

/**
 * Forgetting of several fine-tuned rows of a matrix (one per seed, all fine-tuned on `trainedOn`) against its base
 * row: per seed, base - variant on every other task (forgettingVsBase) and the backward transfer; across seeds, the
 * mean, standard deviation and 95% interval of each.
 */
export function forgettingAcrossSeeds(
  matrix: ScoreMatrix,
  base: string,
  variants: readonly { model: string; seed: number }[],
  trainedOn: readonly string[],
): SeedForgetting {
  if (variants.length === 0) throw new Error("forgettingAcrossSeeds: no variants");
  const trained: Record<string, readonly string[]> = {};
  for (const model of matrix.models) if (model !== base) trained[model] = trainedOn;
  const figures = forgettingVsBase(matrix, base, trained);
  const perSeed = variants.map(({ model, seed }) => {
    const f = figures.find((x) => x.model === model);
    if (!f) throw new Error(`forgettingAcrossSeeds: the matrix has no row "${model}"`);
    return { model, seed, forgetting: f.forgetting, backwardTransfer: f.backwardTransfer, gain: f.gain };
  });
  const tasks = Object.keys(perSeed[0].forgetting);
  const summary = summarizeFiguresAcrossSeeds(perSeed.map((s) => ({ ...s.forgetting, backwardTransfer: s.backwardTransfer })));
  return { tasks, perSeed, summary };
}

/** "0.412", "0.412 ± 0.031" style cell for a summary (no interval with one seed). */
function summaryCell(s: SeedSummary | null, digits: number): string {
  if (!s) return "n/a";
  return s.interval ? `${s.mean.toFixed(digits)} \u00b1 ${s.interval.halfWidth.toFixed(digits)}` : `${s.mean.toFixed(digits)} (1 seed)`;
}

/** Table rows of a SeedForgetting: one per seed, then "mean ± 95% half-width" and "std" rows. */
export function forgettingTableRows(result: SeedForgetting, digits = 3): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = result.perSeed.map((s) => {
    const row: Record<string, string | number> = { seed: String(s.seed) };
    for (const task of result.tasks) row[task] = Number(s.forgetting[task].toFixed(digits));
    row.backwardTransfer = s.backwardTransfer === null ? "n/a" : Number(s.backwardTransfer.toFixed(digits));
    return row;
  });
  const mean: Record<string, string | number> = { seed: "mean \u00b1 95% CI" };
  const std: Record<string, string | number> = { seed: "std" };
  for (const key of [...result.tasks, "backwardTransfer"]) {
    const s = result.summary[key];
    mean[key] = summaryCell(s, digits);
    std[key] = s?.std == null ? "n/a" : s.std.toFixed(digits);
  }
  return [...rows, mean, std];
}

// ---------------------------------------------------------------------------------------------------------------
// What was forgotten

export type ForgettingDiagnosis = "kept" | "format lost, knowledge kept" | "format and knowledge lost" | "likelihood fell, answers kept";

export interface DiagnosisInput {
  task: string;
  /** Per seed (paired): the generated primary metric of the base and of the fine-tuned model. */
  generatedBefore: number[];
  generatedAfter: number[];
  /** Per seed (paired): a likelihood-based score (rank accuracy or teacher-forced accuracy) before and after. */
  likelihoodBefore: number[];
  likelihoodAfter: number[];
  /** Name of the likelihood-based score, for the sentence. */
  likelihoodName: string;
  /**
   * A drop counts as a loss when its mean is at least this large (absolute) and, with several seeds, either every
   * seed dropped by at least this much or the 95% interval of the drop excludes zero. (With two seeds the Student t
   * interval is mean +- 12.7 standard errors: agreement of the seeds is then the usable test.) Default 0.05.
   */
  threshold?: number;
  /** Share of the likelihood score above chance kept, below which it counts as "knowledge lost" too. Default 0.8. */
  retained?: number;
  /** Chance level of the likelihood score (1 / number of labels for rank classification; default 0). */
  chance?: number;
}

export interface DiagnosisResult {
  task: string;
  diagnosis: ForgettingDiagnosis;
  generatedDrop: SeedSummary;
  likelihoodDrop: SeedSummary;
  /** Share of the base's likelihood-based score above chance that the fine-tuned model keeps: (after - chance) / (before - chance), means. */
  likelihoodRetained: number;
  sentence: string;
}

function isLoss(drop: SeedSummary, threshold: number): boolean {
  if (drop.mean < threshold) return false;
  if (!drop.interval) return true;
  return drop.interval.low > 0 || drop.values.every((d) => d >= threshold);
}

const average = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Did fine-tuning take away the answer format, the knowledge, or both? Compares the drop of the generated score
 * with the drop of a likelihood-based one on the same task (both paired per seed). "Format lost, knowledge kept":
 * the generated score fell but the likelihood score did not (or kept at least `retained` of its base value) - the
 * model still prefers the right answer when asked to score it, it just no longer says it.
 */
export function diagnoseForgetting(input: DiagnosisInput): DiagnosisResult {
  const { task, generatedBefore, generatedAfter, likelihoodBefore, likelihoodAfter, likelihoodName } = input;
  const n = generatedBefore.length;
  if (n === 0 || [generatedAfter, likelihoodBefore, likelihoodAfter].some((v) => v.length !== n)) {
    throw new Error(`diagnoseForgetting(${task}): every series needs one value per seed (${n})`);
  }
  const threshold = input.threshold ?? 0.05;
  const retainedShare = input.retained ?? 0.8;
  const generatedDrop = summarizeSeeds(generatedBefore.map((b, i) => b - generatedAfter[i]));
  const likelihoodDrop = summarizeSeeds(likelihoodBefore.map((b, i) => b - likelihoodAfter[i]));
  const beforeL = average(likelihoodBefore);
  const afterL = average(likelihoodAfter);
  const chance = input.chance ?? 0;
  const likelihoodRetained = beforeL > chance ? (afterL - chance) / (beforeL - chance) : 1;
  const genLost = isLoss(generatedDrop, threshold);
  const likLost = isLoss(likelihoodDrop, threshold) && likelihoodRetained < retainedShare;
  const g = (v: number[]) => average(v).toFixed(2);
  const seeds = (n === 1 ? "one seed" : `${n} seeds`) + (chance > 0 ? `; kept = share above chance, ${chance.toFixed(2)}` : "");
  const gen = `generated ${g(generatedBefore)} -> ${g(generatedAfter)}`;
  const lik = `${likelihoodName} ${beforeL.toFixed(2)} -> ${afterL.toFixed(2)}`;
  let diagnosis: ForgettingDiagnosis;
  let sentence: string;
  if (genLost && !likLost) {
    diagnosis = "format lost, knowledge kept";
    sentence = `On ${task} the fine-tuned model lost the answer format but kept most of the knowledge: ${gen}, while ${lik} (${(100 * likelihoodRetained).toFixed(0)}% kept; ${seeds}).`;
  } else if (genLost && likLost) {
    diagnosis = "format and knowledge lost";
    sentence = `On ${task} both fell: ${gen} and ${lik} (${(100 * likelihoodRetained).toFixed(0)}% kept; ${seeds}) - the model lost the format and part of the knowledge.`;
  } else if (!genLost && likLost) {
    diagnosis = "likelihood fell, answers kept";
    sentence = `On ${task} the generated answers held (${gen}) although ${lik} fell (${(100 * likelihoodRetained).toFixed(0)}% kept; ${seeds}): the model is less sure of the reference, yet still says it.`;
  } else {
    diagnosis = "kept";
    sentence = `On ${task} neither score fell by ${threshold.toFixed(2)} or more in a way we can tell from noise (${gen}; ${lik}; ${seeds}).`;
  }
  return { task, diagnosis, generatedDrop, likelihoodDrop, likelihoodRetained, sentence };
}

/**
 * describeChange (./findings.ts) calls a change noise when its 95% t interval across seeds includes zero; with two
 * or three seeds that happens even when every seed moved the same way by a lot. This adds what the seeds did in that
 * case: " Every one of the 2 seeds moved it the same way (1.00 -> 0.19, 0.02), by at least 0.05; 2 seeds are too few
 * for the interval to exclude zero." Empty when the interval already excludes zero, with one seed, or when the
 * seeds disagree or moved by less than `threshold`.
 */
export function seedAgreementNote(before: readonly number[], after: readonly number[], threshold = 0.05, digits = 2): string {
  if (before.length !== after.length || before.length < 2) return "";
  const diffs = after.map((a, i) => a - before[i]);
  const summary = summarizeSeeds(diffs);
  if (!summary.interval || summary.interval.low > 0 || summary.interval.high < 0) return "";
  const sign = Math.sign(diffs[0]);
  if (sign === 0 || !diffs.every((d) => Math.sign(d) === sign && Math.abs(d) >= threshold)) return "";
  const from = [...new Set(before.map((b) => b.toFixed(digits)))].join(", ");
  return ` Every one of the ${diffs.length} seeds moved it the same way (${from} -> ${after.map((a) => a.toFixed(digits)).join(", ")}), by at least ${threshold}; ${diffs.length} seeds are too few for the interval to exclude zero.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Learning curves

export interface CurvePoint {
  /** Training-set size (examples). */
  size: number;
  seed: number;
  value: number;
}

export interface CurveSummary extends SeedSummary {
  size: number;
}

/** Per training-set size (ascending): the summary across seeds of the values measured at that size. */
export function summarizeCurve(points: readonly CurvePoint[]): CurveSummary[] {
  const sizes = [...new Set(points.map((p) => p.size))].sort((a, b) => a - b);
  if (sizes.length === 0) throw new Error("summarizeCurve: no points");
  return sizes.map((size) => ({ size, ...summarizeSeeds(points.filter((p) => p.size === size).map((p) => p.value)) }));
}

/**
 * The smallest size whose mean reaches `fraction` of the best mean on the curve (e.g. 0.95: "within 5% of the
 * best"); the best size itself when no smaller one does.
 */
export function smallestSizeReaching(curve: readonly CurveSummary[], fraction: number): { size: number; mean: number; best: CurveSummary } {
  if (curve.length === 0) throw new Error("smallestSizeReaching: empty curve");
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`smallestSizeReaching: fraction must be in (0, 1], got ${fraction}`);
  const best = curve.reduce((a, b) => (b.mean > a.mean ? b : a));
  const sorted = [...curve].sort((a, b) => a.size - b.size);
  const first = sorted.find((c) => c.mean >= fraction * best.mean) ?? best;
  return { size: first.size, mean: first.mean, best };
}

export interface CurveSeries {
  name: string;
  points: CurvePoint[];
}

/**
 * A learning curve: per series, the mean over seeds by size (a line with 95% interval error bars when there are
 * several seeds) and every seed's value as a marker; horizontal dashed lines for reference values (baselines).
 */
export function learningCurveHtml(
  series: readonly CurveSeries[],
  references: readonly { name: string; value: number }[],
  options: { title: string; yTitle: string; xTitle?: string; logX?: boolean },
): string {
  const palette = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2"];
  const traces: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const color = palette[i % palette.length];
    const curve = summarizeCurve(s.points);
    const hasIntervals = curve.some((c) => c.interval);
    traces.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${s.name} (mean)`,
      x: curve.map((c) => c.size),
      y: curve.map((c) => c.mean),
      line: { color },
      ...(hasIntervals ? { error_y: { type: "data", array: curve.map((c) => c.interval?.halfWidth ?? 0), visible: true } } : {}),
    });
    traces.push({
      type: "scatter",
      mode: "markers",
      name: `${s.name} (each seed)`,
      x: s.points.map((p) => p.size),
      y: s.points.map((p) => p.value),
      text: s.points.map((p) => `seed ${p.seed}`),
      marker: { color, symbol: "circle-open", size: 9 },
    });
  });
  const xs = series.flatMap((s) => s.points.map((p) => p.size));
  const [low, high] = [Math.min(...xs), Math.max(...xs)];
  references.forEach((r, i) => {
    traces.push({
      type: "scatter",
      mode: "lines",
      name: r.name,
      x: [low, high],
      y: [r.value, r.value],
      line: { dash: "dash", color: ["#888", "#bbb", "#555", "#aaa"][i % 4], width: 1.5 },
    });
  });
  return figureHtml(traces, {
    title: { text: options.title },
    xaxis: { title: { text: options.xTitle ?? "training examples" }, type: options.logX === false ? "linear" : "log", tickvals: [...new Set(xs)].sort((a, b) => a - b) },
    yaxis: { title: { text: options.yTitle } },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Figures of a score matrix

/** A score matrix as a heatmap, each cell labelled with its value; the first row at the top. */
export function heatmapHtml(matrix: ScoreMatrix, options: { title: string; digits?: number; zmin?: number; zmax?: number; colorscale?: string }): string {
  const digits = options.digits ?? 2;
  return figureHtml(
    [
      {
        type: "heatmap",
        z: matrix.scores,
        x: matrix.tasks,
        y: matrix.models,
        zmin: options.zmin ?? 0,
        zmax: options.zmax ?? 1,
        colorscale: options.colorscale ?? "Viridis",
        text: matrix.scores.map((row) => row.map((v) => v.toFixed(digits))),
        texttemplate: "%{text}",
        hovertemplate: "%{y} on %{x}: %{text}<extra></extra>",
      },
    ],
    { title: { text: options.title }, yaxis: { autorange: "reversed", automargin: true }, xaxis: { automargin: true }, margin: { t: 50, r: 20, b: 80, l: 140 } },
    Math.max(260, 80 + 45 * matrix.models.length),
  );
}

/**
 * Before/after bars per task: the base's score, and the fine-tuned models' mean over seeds (95% interval error
 * bars with several seeds) with every seed's value as a marker.
 */
export function beforeAfterHtml(
  tasks: readonly string[],
  before: readonly number[],
  afterPerSeed: readonly { seed: number; values: readonly number[] }[],
  options: { title: string; yTitle: string; beforeName?: string; afterName?: string },
): string {
  if (before.length !== tasks.length || afterPerSeed.some((s) => s.values.length !== tasks.length)) {
    throw new Error("beforeAfterHtml: one value per task in every row");
  }
  const summaries = tasks.map((_, j) => summarizeSeeds(afterPerSeed.map((s) => s.values[j])));
  const afterName = options.afterName ?? "fine-tuned";
  const traces: Record<string, unknown>[] = [
    { type: "bar", name: options.beforeName ?? "base", x: tasks, y: before, offsetgroup: "before", marker: { color: "#4c78a8" } },
    {
      type: "bar",
      name: `${afterName} (mean)`,
      x: tasks,
      y: summaries.map((s) => s.mean),
      offsetgroup: "after",
      marker: { color: "#f58518" },
      ...(summaries.some((s) => s.interval) ? { error_y: { type: "data", array: summaries.map((s) => s.interval?.halfWidth ?? 0), visible: true } } : {}),
    },
    {
      type: "scatter",
      mode: "markers",
      name: `${afterName} (each seed)`,
      x: afterPerSeed.flatMap(() => tasks),
      y: afterPerSeed.flatMap((s) => s.values),
      text: afterPerSeed.flatMap((s) => tasks.map(() => `seed ${s.seed}`)),
      offsetgroup: "after",
      marker: { color: "#222", symbol: "circle-open", size: 8 },
    },
  ];
  return figureHtml(traces, {
    title: { text: options.title },
    barmode: "group",
    scattermode: "group",
    yaxis: { title: { text: options.yTitle }, range: [0, 1.05] },
  });
}
