// Notebook 05's tables: the ROUGE table of DeepLearning.AI's "Generative AI with LLMs" Lab 2 (ORIGINAL, INSTRUCT and
// PEFT model, then the absolute improvement of one over another), and small error counts of generated summaries
// (facts left out, numbers that the chat never mentions).
import { Facts, statesFact } from "../../eval/metrics";
import { RougeMetric, ROUGE_METRICS } from "../../eval/rouge";

export type RougeScores = Record<RougeMetric, number>;

/** A model's (or a baseline's) ROUGE F-measures in [0, 1], under the name the table shows. */
export interface NamedRouge {
  name: string;
  scores: RougeScores;
}

/** The four ROUGE F-measures out of a score map (e.g. TaskEvaluation.means); throws when one is missing. */
export function rougeOf(means: Readonly<Record<string, unknown>>, where = "scores"): RougeScores {
  const out = {} as RougeScores;
  for (const metric of ROUGE_METRICS) {
    const value = means[metric];
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${where}: no ${metric} score (has ${Object.keys(means).join(", ")}).`);
    out[metric] = value;
  }
  return out;
}

/** Mean of several runs' ROUGE (e.g. one per seed), metric by metric. */
export function meanRouge(runs: readonly RougeScores[]): RougeScores {
  if (runs.length === 0) throw new Error("meanRouge: no runs");
  const out = {} as RougeScores;
  for (const metric of ROUGE_METRICS) out[metric] = runs.reduce((sum, r) => sum + r[metric], 0) / runs.length;
  return out;
}

/**
 * How far `model` is above `reference`, in percentage points per metric: 100 * (model - reference). Lab 2 calls this
 * the "absolute percentage improvement" and prints it with a % sign; it is a difference of F-measures, not a ratio.
 */
export function absoluteImprovement(model: RougeScores, reference: RougeScores): RougeScores {
  const out = {} as RougeScores;
  for (const metric of ROUGE_METRICS) out[metric] = 100 * (model[metric] - reference[metric]);
  return out;
}

/** Lab 2's comparisons: INSTRUCT over ORIGINAL, PEFT over ORIGINAL, PEFT over INSTRUCT (improved, reference). */
export const LAB_COMPARISONS: readonly (readonly [string, string])[] = [
  ["INSTRUCT MODEL", "ORIGINAL MODEL"],
  ["PEFT MODEL", "ORIGINAL MODEL"],
  ["PEFT MODEL", "INSTRUCT MODEL"],
];

function scoresOf(models: readonly NamedRouge[], name: string): RougeScores {
  const found = models.find((m) => m.name === name);
  if (!found) throw new Error(`lab table: no model "${name}" (models: ${models.map((m) => m.name).join(", ")}).`);
  return found.scores;
}

/** One model's scores as Lab 2 prints them: {'rouge1': 0.2334, 'rouge2': ..., 'rougeL': ..., 'rougeLsum': ...}. */
export function rougeLine(scores: RougeScores, digits = 4): string {
  return `{${ROUGE_METRICS.map((m) => `'${m}': ${scores[m].toFixed(digits)}`).join(", ")}}`;
}

/**
 * The Lab's printout: per model its name and a line {'rouge1': 0.2334, 'rouge2': ..., 'rougeL': ..., 'rougeLsum': ...},
 * then per comparison "Absolute percentage improvement of A over B" and one "rouge1: 17.47%" line per metric
 * (signed here, so a loss shows as a negative number rather than a smaller improvement).
 */
export function labRougeReport(models: readonly NamedRouge[], comparisons: readonly (readonly [string, string])[] = LAB_COMPARISONS, digits = 4): string {
  const lines: string[] = [];
  for (const model of models) {
    lines.push(`${model.name}:`);
    lines.push(rougeLine(model.scores, digits));
  }
  for (const [improved, reference] of comparisons) {
    const gain = absoluteImprovement(scoresOf(models, improved), scoresOf(models, reference));
    lines.push("");
    lines.push(`Absolute percentage improvement of ${improved} over ${reference}`);
    for (const metric of ROUGE_METRICS) lines.push(`${metric}: ${gain[metric] >= 0 ? "+" : ""}${gain[metric].toFixed(2)}%`);
  }
  return lines.join("\n");
}

/** Rows for a danfo table: one per model or baseline, ROUGE x100 (as the data card and papers print it). */
export function rougeTableRows(entries: readonly (NamedRouge & { kind: string; note?: string })[]): Record<string, string | number>[] {
  return entries.map((e) => ({
    [e.kind]: e.name,
    ...Object.fromEntries(ROUGE_METRICS.map((m) => [m, Math.round(1000 * e.scores[m]) / 10])),
    ...(e.note !== undefined ? { note: e.note } : {}),
  }));
}

/** Rows of improvements in percentage points, one per comparison. */
export function improvementRows(models: readonly NamedRouge[], comparisons: readonly (readonly [string, string])[] = LAB_COMPARISONS): Record<string, string | number>[] {
  return comparisons.map(([improved, reference]) => {
    const gain = absoluteImprovement(scoresOf(models, improved), scoresOf(models, reference));
    return {
      comparison: `${improved} over ${reference}`,
      ...Object.fromEntries(ROUGE_METRICS.map((m) => [m, Math.round(100 * gain[m]) / 100])),
    };
  });
}

// ---- what the summaries get wrong ------------------------------------------------------------------------------

/** A generated summary with what it should have said. */
export interface SummaryCheck {
  prediction: string;
  /** The chat the summary is about (to tell invented numbers from copied ones). */
  dialogue: string;
  facts?: Facts;
}

/** Numbers (digit runs, "45.99", "1,299.00" as one) written in `text`, in order, without thousands separators. */
export function numbersIn(text: string): string[] {
  return (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/,(?=\d{3}\b)/g, ""));
}

/** Numbers in the prediction that the dialogue never mentions: invented order numbers, amounts, dates. */
export function inventedNumbers(prediction: string, dialogue: string): string[] {
  const said = new Set(numbersIn(dialogue));
  return numbersIn(prediction).filter((n) => !said.has(n));
}

export interface FactErrorRow {
  fact: string;
  /** Summaries whose record has this fact. */
  examples: number;
  /** Share of those summaries that state it (statesFact). */
  stated: number;
}

/** Per fact field (issue_type, order_number, product, amount, outcome): how often the summaries state it. */
export function factErrorRows(checks: readonly SummaryCheck[]): FactErrorRow[] {
  const counts = new Map<string, { examples: number; stated: number }>();
  for (const check of checks) {
    for (const [fact, value] of Object.entries(check.facts ?? {})) {
      if (typeof value !== "string" || value.trim() === "") continue;
      const count = counts.get(fact) ?? { examples: 0, stated: 0 };
      count.examples++;
      if (statesFact(check.prediction, value)) count.stated++;
      counts.set(fact, count);
    }
  }
  return [...counts.entries()].map(([fact, c]) => ({ fact, examples: c.examples, stated: c.stated / c.examples }));
}

/** Share of summaries that contain at least one invented number, and how many such numbers in all. */
export function inventedNumberRate(checks: readonly SummaryCheck[]): { summaries: number; withInvented: number; share: number; numbers: number } {
  let withInvented = 0;
  let numbers = 0;
  for (const check of checks) {
    const invented = inventedNumbers(check.prediction, check.dialogue);
    if (invented.length > 0) withInvented++;
    numbers += invented.length;
  }
  return { summaries: checks.length, withInvented, share: checks.length === 0 ? 0 : withInvented / checks.length, numbers };
}

/**
 * Whether a text loops: some run of `n` words occurs `times` times or more (greedy decoding of an undertrained model
 * often ends in "the request is declined since the request is declined since ..."). Digits count as words one by
 * one, so "9999999" is a loop too.
 */
export function repeatsItself(text: string, n = 3, times = 3): boolean {
  const words = text.toLowerCase().match(/[a-z]+|\d/g) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(" ");
    const count = (counts.get(key) ?? 0) + 1;
    if (count >= times) return true;
    counts.set(key, count);
  }
  return false;
}
