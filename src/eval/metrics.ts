/**
 * Scores of generated answers, one scorer per task metric family (MetricName in src/data/task.ts). Every scorer
 * is a pure function of strings: it returns one record of scores per example and the corpus figures.
 *
 * Conventions shared by all scorers:
 * - Scores lie in [0, 1] (ROUGE as in ./rouge.ts, not x100), except the rating's absolute errors (0 to 4).
 * - Each example may carry several references; an example scores against its best reference, metric by metric
 *   (as SQuAD and rouge_score do), except where a scorer says otherwise.
 * - A "format error" is an answer the task's output format cannot read (not a label, no rating, an entity piece
 *   without "[type]"). It is reported separately so that "forgot the format" and "wrong answer" can be told apart.
 * - `means` holds the corpus figures: the mean of the per-example values, except entity precision/recall/F1,
 *   which are micro-averaged over all entities (see scoreEntities).
 * - Malformed references (data, not model output) throw, naming the example.
 */
import type { MetricName } from "../data/task";
import { mean } from "./bootstrap";
import { type RougeOptions, ROUGE_METRICS, rougeScores } from "./rouge";

/** Known facts of a chat (order number, product, amount, outcome, ...); null = the chat does not state it. */
export type Facts = Record<string, string | null>;

export interface ScoredExample {
  prediction: string;
  references: readonly string[];
  /** For summaries: facts a good summary states (see factAccuracy). */
  facts?: Facts;
}

/** A task's scores per example and their means. */
export interface TaskScores {
  perExample: Record<string, number>[];
  means: Record<string, number>;
}

export interface ScoreTaskOptions {
  /** Classification: the valid labels; with them, answers that are none of them count as format errors. */
  labels?: readonly string[];
  /** ROUGE tokenization (stemming, sentence splitting for rougeLsum). */
  rouge?: Pick<RougeOptions, "useStemmer" | "splitSentences">;
}

/**
 * The keys of `means` each family can report, e.g. to check a task's primaryMetric. Some appear only when their
 * inputs do: factAccuracy with facts, classification's formatError with labels, maeParsed when an answer parses.
 */
export const METRIC_KEYS: Readonly<Record<MetricName, readonly string[]>> = {
  rouge: [...ROUGE_METRICS, "factAccuracy"],
  classification: ["accuracy", "formatError"],
  rating: ["accuracy", "mae", "maeParsed", "formatError"],
  extractive_qa: ["exactMatch", "f1"],
  entities: ["precision", "recall", "f1", "f1Macro", "formatError"],
  code: ["exactMatch", "whitespaceInsensitiveMatch"],
};

/** Metrics where smaller is better; a forgetting matrix needs higher-is-better scores (src/eval/forgetting.ts). */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(["mae", "maeParsed", "formatError"]);

/** Score a task's predictions with the scorer of its metric family. Throws on an empty list of examples. */
export function scoreTask(metric: MetricName, examples: readonly ScoredExample[], options: ScoreTaskOptions = {}): TaskScores {
  if (examples.length === 0) throw new Error(`scoreTask(${metric}): no examples to score`);
  examples.forEach((e, i) => {
    if (e.references.length === 0) throw new Error(`scoreTask(${metric}): example ${i} has no reference`);
  });
  switch (metric) {
    case "rouge":
      return scoreRouge(examples, options.rouge);
    case "classification":
      return scoreClassification(examples, options.labels);
    case "rating":
      return scoreRating(examples);
    case "extractive_qa":
      return scoreExtractiveQa(examples);
    case "entities":
      return scoreEntities(examples);
    case "code":
      return scoreCode(examples);
    default:
      throw new Error(`scoreTask: unknown metric family ${String(metric)}`);
  }
}

/** Means of the given keys over the examples that have them; a key no example has is left out. */
function meansOf(perExample: readonly Record<string, number>[], keys: readonly string[]): Record<string, number> {
  const means: Record<string, number> = {};
  for (const key of keys) {
    const values = perExample.filter((s) => key in s).map((s) => s[key]);
    if (values.length > 0) means[key] = mean(values);
  }
  return means;
}

const maxOver = <T>(items: readonly T[], score: (item: T) => number): number => Math.max(...items.map(score));

// ---------------------------------------------------------------------------------------------------------------
// Summaries: ROUGE and fact accuracy

/**
 * Text as facts are matched in it: Unicode NFKC, lowercase, currency signs ($ EUR GBP JPY) dropped, thousands
 * commas between digits dropped ("1,299" -> "1299"), whitespace runs -> one space, trimmed.
 * So "$1,299.00" and "1299.00 dollars" both contain the fact "1299.00"; "45.99" and "45.990" stay different.
 */
export function normalizeForFacts(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[$\u20ac\u00a3\u00a5]/g, "")
    .replace(/(?<=\d),(?=\d)/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

const isAlphanumeric = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Whether a prediction states a fact: the normalized fact occurs in the normalized prediction as a whole-word
 * substring (no letter or digit glued on either side where the fact itself begins or ends with one), so order
 * "1234" is not found in "12345" and "refund" is not found in "refunded". Paraphrases ("money back") do not count.
 */
export function statesFact(prediction: string, fact: string): boolean {
  const needle = normalizeForFacts(fact);
  if (needle.length === 0) return false;
  const haystack = normalizeForFacts(prediction);
  const guardStart = isAlphanumeric(needle[0]);
  const guardEnd = isAlphanumeric(needle[needle.length - 1]);
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = at > 0 ? haystack[at - 1] : undefined;
    const after = haystack[at + needle.length];
    if ((!guardStart || !isAlphanumeric(before)) && (!guardEnd || !isAlphanumeric(after))) return true;
  }
  return false;
}

/**
 * Share of the example's facts (null facts and empty strings excluded) that the prediction states (statesFact).
 * Returns null when no fact counts, so such an example does not enter the mean.
 */
export function factAccuracy(prediction: string, facts: Facts): number | null {
  const known = Object.values(facts).filter((f): f is string => f !== null && f.trim().length > 0);
  if (known.length === 0) return null;
  return known.filter((f) => statesFact(prediction, f)).length / known.length;
}

/**
 * rouge1/2/L/Lsum F-measures (./rouge.ts, best reference per metric) and, for examples with facts, factAccuracy.
 * means.factAccuracy is the mean over the examples that have at least one fact.
 */
export function scoreRouge(examples: readonly ScoredExample[], options: ScoreTaskOptions["rouge"] = {}): TaskScores {
  const perExample = examples.map((e) => {
    const rouge = rougeScores(e.prediction, e.references, { ...options, metrics: ROUGE_METRICS });
    const scores: Record<string, number> = {};
    for (const m of ROUGE_METRICS) scores[m] = rouge[m].fmeasure;
    const facts = e.facts ? factAccuracy(e.prediction, e.facts) : null;
    if (facts !== null) scores.factAccuracy = facts;
    return scores;
  });
  return { perExample, means: meansOf(perExample, [...ROUGE_METRICS, "factAccuracy"]) };
}

// ---------------------------------------------------------------------------------------------------------------
// Classification

/** Labels compare trimmed, lowercased, with inner whitespace runs as one space. "Positive." is not "positive". */
export function normalizeLabel(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * accuracy: 1 when the normalized prediction equals a normalized reference.
 * formatError (only with `labels`): 1 when the prediction is none of the labels; a format error is always wrong.
 */
export function scoreClassification(examples: readonly ScoredExample[], labels?: readonly string[]): TaskScores {
  const valid = labels ? new Set(labels.map(normalizeLabel)) : undefined;
  if (valid && valid.size === 0) throw new Error("scoreClassification: the label set is empty");
  const perExample = examples.map((e) => {
    const answer = normalizeLabel(e.prediction);
    const scores: Record<string, number> = { accuracy: e.references.some((r) => normalizeLabel(r) === answer) ? 1 : 0 };
    if (valid) scores.formatError = valid.has(answer) ? 0 : 1;
    return scores;
  });
  return { perExample, means: meansOf(perExample, ["accuracy", "formatError"]) };
}

// ---------------------------------------------------------------------------------------------------------------
// Ratings 1-5

/**
 * The rating an answer gives: its first number ("4", "4 stars", "Rating: 4/5", "4.0"), when that number is a
 * whole number from 1 to 5; otherwise null (a format error): "3.5", "10/10", "five", "" all give null.
 * Only the first number counts, so "between 2 and 4" reads as 2.
 */
export function parseRating(text: string): number | null {
  const match = /\d+(?:\.\d+)?/.exec(text);
  if (!match) return null;
  const value = Number(match[0]);
  return Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
}

/**
 * accuracy: parsed rating equals the reference rating. absoluteError: |parsed - reference|; an unparseable answer
 * gets the worst error possible for that reference, max(reference - 1, 5 - reference) (4 for a 1 or a 5, 2 for a
 * 3), so a model cannot lower its MAE by answering nonsense. formatError: 1 when unparseable.
 * means: accuracy, mae (all examples, with the worst-case rule), formatError, and maeParsed (the mean error over
 * parseable answers only; absent when none parses). With several references, the closest one counts.
 */
export function scoreRating(examples: readonly ScoredExample[]): TaskScores {
  const perExample = examples.map((e, i) => {
    const references = e.references.map((r) => {
      const rating = parseRating(r);
      if (rating === null) throw new Error(`scoreRating: example ${i} has reference ${JSON.stringify(r)}, not a rating 1-5`);
      return rating;
    });
    const answer = parseRating(e.prediction);
    const error = answer === null
      ? Math.min(...references.map((r) => Math.max(r - 1, 5 - r)))
      : Math.min(...references.map((r) => Math.abs(answer - r)));
    return { accuracy: error === 0 && answer !== null ? 1 : 0, absoluteError: error, formatError: answer === null ? 1 : 0 };
  });
  const means: Record<string, number> = {
    accuracy: mean(perExample.map((s) => s.accuracy)),
    mae: mean(perExample.map((s) => s.absoluteError)),
    formatError: mean(perExample.map((s) => s.formatError)),
  };
  const parsed = perExample.filter((s) => s.formatError === 0);
  if (parsed.length > 0) means.maeParsed = mean(parsed.map((s) => s.absoluteError));
  return { perExample, means };
}

// ---------------------------------------------------------------------------------------------------------------
// Extractive QA (SQuAD v1.1 evaluation script)

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** SQuAD's normalize_answer: lowercase, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace. */
export function normalizeSquadAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(ASCII_PUNCTUATION, "")
    .replace(/\b(a|an|the)\b/g, " ")
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .join(" ");
}

function squadTokens(text: string): string[] {
  const normalized = normalizeSquadAnswer(text);
  return normalized.length > 0 ? normalized.split(" ") : [];
}

export function squadExactMatch(prediction: string, reference: string): number {
  return normalizeSquadAnswer(prediction) === normalizeSquadAnswer(reference) ? 1 : 0;
}

/**
 * SQuAD token F1 over normalized tokens (a bag: each token counts as often as it occurs on both sides).
 * When either side has no tokens, 1 if both have none, else 0 (SQuAD v2's rule; v1.1 would give 0 to two empty
 * answers while giving them exact match 1).
 */
export function squadF1(prediction: string, reference: string): number {
  const predicted = squadTokens(prediction);
  const gold = squadTokens(reference);
  if (predicted.length === 0 || gold.length === 0) return predicted.length === gold.length ? 1 : 0;
  const left = new Map<string, number>();
  for (const t of gold) left.set(t, (left.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of predicted) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      same++;
      left.set(t, n - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** exactMatch and f1, each the max over references (SQuAD's metric_max_over_ground_truths). */
export function scoreExtractiveQa(examples: readonly ScoredExample[]): TaskScores {
  const perExample = examples.map((e) => ({
    exactMatch: maxOver(e.references, (r) => squadExactMatch(e.prediction, r)),
    f1: maxOver(e.references, (r) => squadF1(e.prediction, r)),
  }));
  return { perExample, means: meansOf(perExample, ["exactMatch", "f1"]) };
}

// ---------------------------------------------------------------------------------------------------------------
// Entities: "Maria Lopez [person]; Acme Corp [organization]" or "none"

export interface EntityPair {
  text: string;
  type: string;
}

export interface ParsedEntityAnswer {
  /** Distinct (text, type) pairs, normalized: lowercase, whitespace runs as one space. */
  entities: EntityPair[];
  /** Pieces that are not "text [type]", as written. */
  unparseable: string[];
  /** True for "none" (any case, optional final period): the empty set, said properly. */
  none: boolean;
}

const ENTITY_PIECE = /^(.*?\S)\s*\[\s*([^[\]]*?\S)\s*\]$/su;
const collapse = (s: string): string => s.toLowerCase().replace(/\s+/g, " ").trim();

/**
 * Parse an entity list: pieces separated by ";" (empty pieces, e.g. after a final ";", are skipped), each
 * "text [type]". "none" is the empty set. Duplicate pairs count once (it is a set).
 */
export function parseEntityAnswer(text: string): ParsedEntityAnswer {
  if (/^none\.?$/i.test(text.trim())) return { entities: [], unparseable: [], none: true };
  const entities = new Map<string, EntityPair>();
  const unparseable: string[] = [];
  for (const raw of text.split(";")) {
    const piece = raw.trim();
    if (piece.length === 0) continue;
    const match = ENTITY_PIECE.exec(piece);
    if (!match) {
      unparseable.push(piece);
      continue;
    }
    const entity = { text: collapse(match[1]), type: collapse(match[2]) };
    entities.set(`${entity.type}\u0000${entity.text}`, entity);
  }
  return { entities: [...entities.values()], unparseable, none: false };
}

function entityKey(e: EntityPair): string {
  return `${e.type}\u0000${e.text}`;
}

/** Precision, recall and F1 from counts; nothing predicted and nothing to find is a perfect 1 (the "none" case). */
export function precisionRecallF1(truePositives: number, predicted: number, gold: number): { precision: number; recall: number; f1: number } {
  if (predicted === 0 && gold === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = predicted > 0 ? truePositives / predicted : 0;
  const recall = gold > 0 ? truePositives / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * Entity-level scores over exact (text, type) pairs, text and type compared lowercased and whitespace-collapsed.
 * Each unparseable piece of a prediction counts as one wrong prediction (a false positive). formatError: 1 when
 * the prediction has an unparseable piece or is empty (the format asks for "none" then).
 * Per example: truePositives, predicted, gold (counts), precision, recall, f1, formatError.
 * means: precision/recall/f1 micro-averaged (summed counts over all examples, as seqeval and CoNLL do),
 * f1Macro (mean of per-example F1), formatError (share of examples). With several references, the one giving
 * the example the highest F1 counts.
 */
export function scoreEntities(examples: readonly ScoredExample[]): TaskScores {
  const perExample = examples.map((e, i) => {
    const answer = parseEntityAnswer(e.prediction);
    const predictedKeys = new Set(answer.entities.map(entityKey));
    const predicted = predictedKeys.size + answer.unparseable.length;
    const formatError = answer.unparseable.length > 0 || e.prediction.trim().length === 0 ? 1 : 0;
    let best: Record<string, number> | undefined;
    for (const reference of e.references) {
      const gold = parseEntityAnswer(reference);
      if (gold.unparseable.length > 0) {
        throw new Error(`scoreEntities: example ${i} has a reference piece that is not "text [type]": ${JSON.stringify(gold.unparseable[0])}`);
      }
      const truePositives = gold.entities.filter((g) => predictedKeys.has(entityKey(g))).length;
      const prf = precisionRecallF1(truePositives, predicted, gold.entities.length);
      if (!best || prf.f1 > best.f1) best = { truePositives, predicted, gold: gold.entities.length, ...prf, formatError };
    }
    return best!;
  });
  const sum = (key: string) => perExample.reduce((total, s) => total + s[key], 0);
  const micro = precisionRecallF1(sum("truePositives"), sum("predicted"), sum("gold"));
  return {
    perExample,
    means: { ...micro, f1Macro: mean(perExample.map((s) => s.f1)), formatError: mean(perExample.map((s) => s.formatError)) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Code

/**
 * exactMatch: equal after trimming the ends (tokenizers often add or drop edge spaces; inner whitespace counts).
 * whitespaceInsensitiveMatch: equal after removing all whitespace ("a = b" matches "a=b"; also "ab" matches "a b").
 * Each is the max over references.
 */
export function scoreCode(examples: readonly ScoredExample[]): TaskScores {
  const squeeze = (s: string) => s.replace(/\s+/g, "");
  const perExample = examples.map((e) => ({
    exactMatch: e.references.some((r) => r.trim() === e.prediction.trim()) ? 1 : 0,
    whitespaceInsensitiveMatch: e.references.some((r) => squeeze(r) === squeeze(e.prediction)) ? 1 : 0,
  }));
  return { perExample, means: meansOf(perExample, ["exactMatch", "whitespaceInsensitiveMatch"]) };
}
