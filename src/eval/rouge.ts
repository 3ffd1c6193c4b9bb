/**
 * ROUGE as Google's `rouge_score` package computes it (the package Hugging Face `evaluate`'s "rouge" calls), to
 * the last bit for rouge1, rouge2, rougeL and rougeLsum; checked against rouge_score's own values in
 * test/fixtures/rouge-reference/.
 *
 * - Tokens: lowercase, every run of characters other than [a-z0-9] becomes a space, split on spaces; with the
 *   stemmer on, tokens longer than 3 characters go through nltk's Porter stemmer (./porter.ts).
 * - rougeN: clipped n-gram overlap; precision over the prediction's n-grams, recall over the reference's.
 * - rougeL: longest common subsequence of the two token sequences (newlines are just whitespace).
 * - rougeLsum: summary-level LCS: each newline-separated line is a sentence; for every reference sentence the
 *   union of its LCS with each prediction sentence counts, each token at most as often as it occurs on both sides.
 *   On one-line texts it equals rougeL.
 * - Several references: each metric takes the reference with the highest F (the first on ties), as
 *   rouge_score's `score_multi` does.
 * - An empty prediction or reference (no tokens) scores 0.
 */
import { bootstrapIntervals, mean, type BootstrapOptions } from "./bootstrap";
import { porterStem } from "./porter";

/** The ROUGE variants rouge_score computes. */
export type RougeMetric = "rouge1" | "rouge2" | "rougeL" | "rougeLsum";

/** All ROUGE variants, in rouge_score's order. */
export const ROUGE_METRICS: readonly RougeMetric[] = ["rouge1", "rouge2", "rougeL", "rougeLsum"];

/**
 * Stemming is off unless asked for, as in rouge_score (`use_stemmer=False`) and Hugging Face evaluate
 * (`use_stemmer=False`). Many FLAN-T5 summarization write-ups pass `use_stemmer=True`: compare like with like.
 */
export const DEFAULT_USE_STEMMER = false;

/** Precision, recall and F-measure of one ROUGE variant. */
export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export interface RougeOptions<M extends RougeMetric = RougeMetric> {
  /** Porter-stem tokens longer than 3 characters (nltk's stemmer). Default false (DEFAULT_USE_STEMMER). */
  useStemmer?: boolean;
  /**
   * Before rougeLsum, put each sentence on its own line with splitIntoSentenceLines (a simple splitter, not
   * nltk's punkt that rouge_score's `split_summaries=True` uses). Default false: only existing newlines separate
   * sentences. Affects rougeLsum only.
   */
  splitSentences?: boolean;
  /** Which metrics to compute; default all four. */
  metrics?: readonly M[];
}

/** rouge_score's tokenizer: lowercase [a-z0-9]+ runs, stemmed when asked. */
export function rougeTokenize(text: string, useStemmer: boolean = DEFAULT_USE_STEMMER): string[] {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  if (!useStemmer) return words;
  return words.map((w) => (w.length > 3 ? porterStem(w) : w)).filter((w) => w.length > 0);
}

/**
 * The splitter behind `splitSentences`: a sentence ends at ".", "!" or "?" followed by whitespace, and there
 * the whitespace becomes a newline. Existing newlines stay. No abbreviation handling ("e.g. this" splits after
 * "e.g."); decimals and "a.b" stay whole because no whitespace follows the dot.
 */
export function splitIntoSentenceLines(text: string): string {
  return text.replace(/([.!?])[^\S\n]+(?=\S)/g, "$1\n");
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

const ZERO: RougeScore = Object.freeze({ precision: 0, recall: 0, fmeasure: 0 });

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // Tokens are [a-z0-9]+, so a space joins them without ambiguity.
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(reference: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const referenceCounts = ngramCounts(reference, n);
  const predictionCounts = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [ngram, count] of referenceCounts) overlap += Math.min(count, predictionCounts.get(ngram) ?? 0);
  const referenceTotal = Math.max(0, reference.length - n + 1);
  const predictionTotal = Math.max(0, prediction.length - n + 1);
  const precision = overlap / Math.max(predictionTotal, 1);
  const recall = overlap / Math.max(referenceTotal, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** LCS length table, (a.length + 1) x (b.length + 1), row-major. */
function lcsTable(a: readonly string[], b: readonly string[]): Int32Array {
  const cols = b.length + 1;
  const table = new Int32Array((a.length + 1) * cols);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i * cols + j] = a[i - 1] === b[j - 1]
        ? table[(i - 1) * cols + j - 1] + 1
        : Math.max(table[(i - 1) * cols + j], table[i * cols + j - 1]);
    }
  }
  return table;
}

function scoreLcs(reference: readonly string[], prediction: readonly string[]): RougeScore {
  if (reference.length === 0 || prediction.length === 0) return { ...ZERO };
  const length = lcsTable(reference, prediction)[(reference.length + 1) * (prediction.length + 1) - 1];
  const precision = length / prediction.length;
  const recall = length / reference.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/**
 * Indices into `reference` of one LCS with `candidate`. Which LCS matters for rougeLsum's union, so the walk back
 * breaks ties as rouge_score's `_backtrack_norec` does: on a mismatch, step left only when left is strictly better.
 */
function lcsIndices(reference: readonly string[], candidate: readonly string[]): number[] {
  const table = lcsTable(reference, candidate);
  const cols = candidate.length + 1;
  const indices: number[] = [];
  let i = reference.length;
  let j = candidate.length;
  while (i > 0 && j > 0) {
    if (reference[i - 1] === candidate[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if (table[i * cols + j - 1] > table[(i - 1) * cols + j]) {
      j--;
    } else {
      i--;
    }
  }
  return indices.reverse();
}

function countTokens(sentences: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const t of sentence) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Summary-level LCS (ROUGE paper, section 3.2) with rouge_score's (ROUGE-1.5.5's) guard against double counting. */
function scoreSummaryLcs(reference: readonly (readonly string[])[], prediction: readonly (readonly string[])[]): RougeScore {
  const referenceLength = reference.reduce((sum, s) => sum + s.length, 0);
  const predictionLength = prediction.reduce((sum, s) => sum + s.length, 0);
  if (referenceLength === 0 || predictionLength === 0) return { ...ZERO };
  const referenceLeft = countTokens(reference);
  const predictionLeft = countTokens(prediction);
  let hits = 0;
  for (const sentence of reference) {
    const union = new Set<number>();
    for (const candidate of prediction) for (const i of lcsIndices(sentence, candidate)) union.add(i);
    for (const i of [...union].sort((x, y) => x - y)) {
      const token = sentence[i];
      const r = referenceLeft.get(token) ?? 0;
      const p = predictionLeft.get(token) ?? 0;
      if (r > 0 && p > 0) {
        hits++;
        referenceLeft.set(token, r - 1);
        predictionLeft.set(token, p - 1);
      }
    }
  }
  const precision = hits / predictionLength;
  const recall = hits / referenceLength;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** rouge_score's sentences for rougeLsum: the non-empty lines, each tokenized. */
function sentenceTokens(text: string, useStemmer: boolean, splitSentences: boolean): string[][] {
  const lines = (splitSentences ? splitIntoSentenceLines(text) : text).split("\n");
  return lines.filter((line) => line.length > 0).map((line) => rougeTokenize(line, useStemmer));
}

function scoreOneReference<M extends RougeMetric>(
  prediction: string,
  reference: string,
  metrics: readonly M[],
  useStemmer: boolean,
  splitSentences: boolean,
): Record<M, RougeScore> {
  const needsTokens = metrics.some((m) => m !== "rougeLsum");
  const referenceTokens = needsTokens ? rougeTokenize(reference, useStemmer) : [];
  const predictionTokens = needsTokens ? rougeTokenize(prediction, useStemmer) : [];
  const result = {} as Record<M, RougeScore>;
  for (const metric of metrics) {
    switch (metric) {
      case "rouge1":
        result[metric] = scoreNgrams(referenceTokens, predictionTokens, 1);
        break;
      case "rouge2":
        result[metric] = scoreNgrams(referenceTokens, predictionTokens, 2);
        break;
      case "rougeL":
        result[metric] = scoreLcs(referenceTokens, predictionTokens);
        break;
      case "rougeLsum":
        result[metric] = scoreSummaryLcs(
          sentenceTokens(reference, useStemmer, splitSentences),
          sentenceTokens(prediction, useStemmer, splitSentences),
        );
        break;
      default:
        throw new Error(`unknown ROUGE metric: ${String(metric)}`);
    }
  }
  return result;
}

function resolveMetrics<M extends RougeMetric>(metrics: readonly M[] | undefined): readonly M[] {
  const chosen = metrics ?? (ROUGE_METRICS as readonly M[]);
  if (chosen.length === 0) throw new Error("rouge: metrics is empty");
  for (const m of chosen) {
    if (!ROUGE_METRICS.includes(m)) throw new Error(`unknown ROUGE metric: ${String(m)} (known: ${ROUGE_METRICS.join(", ")})`);
  }
  return chosen;
}

/**
 * ROUGE of one prediction against one reference or several (then, per metric, the reference with the best F).
 * Returns precision, recall and F in [0, 1] for each requested metric.
 */
export function rougeScores<M extends RougeMetric = RougeMetric>(
  prediction: string,
  references: string | readonly string[],
  options: RougeOptions<M> = {},
): Record<M, RougeScore> {
  const metrics = resolveMetrics(options.metrics);
  const useStemmer = options.useStemmer ?? DEFAULT_USE_STEMMER;
  const splitSentences = options.splitSentences ?? false;
  const referenceList = typeof references === "string" ? [references] : references;
  if (referenceList.length === 0) throw new Error("rougeScores: no reference given");
  const perReference = referenceList.map((r) => scoreOneReference(prediction, r, metrics, useStemmer, splitSentences));
  const best = {} as Record<M, RougeScore>;
  for (const metric of metrics) {
    let chosen = perReference[0][metric];
    for (const scores of perReference) if (scores[metric].fmeasure > chosen.fmeasure) chosen = scores[metric];
    best[metric] = chosen;
  }
  return best;
}

/** Corpus ROUGE of one metric: means over examples, and with `bootstrap` an interval for each. */
export interface CorpusRougeScore extends RougeScore {
  /** Present with `bootstrap`: percentiles of the bootstrap means (rouge_score's AggregateScore low/mid/high). */
  low?: RougeScore;
  mid?: RougeScore;
  high?: RougeScore;
}

export interface CorpusRougeOptions<M extends RougeMetric = RougeMetric> extends RougeOptions<M> {
  /** Resample examples to get a confidence interval of each mean (see ./bootstrap.ts). */
  bootstrap?: BootstrapOptions;
}

/** Aggregate per-example scores (e.g. from rougeScores) into corpus means and optional bootstrap intervals. */
export function aggregateRouge<M extends RougeMetric>(
  perExample: readonly Record<M, RougeScore>[],
  metrics: readonly M[],
  bootstrap?: BootstrapOptions,
): Record<M, CorpusRougeScore> {
  if (perExample.length === 0) throw new Error("ROUGE aggregation needs at least one example");
  const result = {} as Record<M, CorpusRougeScore>;
  for (const metric of metrics) {
    const precision = perExample.map((s) => s[metric].precision);
    const recall = perExample.map((s) => s[metric].recall);
    const f = perExample.map((s) => s[metric].fmeasure);
    const score: CorpusRougeScore = { precision: mean(precision), recall: mean(recall), fmeasure: mean(f) };
    if (bootstrap) {
      const [p, r, fm] = bootstrapIntervals([precision, recall, f], bootstrap);
      score.low = { precision: p.low, recall: r.low, fmeasure: fm.low };
      score.mid = { precision: p.mid, recall: r.mid, fmeasure: fm.mid };
      score.high = { precision: p.high, recall: r.high, fmeasure: fm.high };
    }
    result[metric] = score;
  }
  return result;
}

/**
 * Corpus ROUGE: rougeScores for each (prediction, references) pair, then the mean of each metric's precision,
 * recall and F over the examples; with `bootstrap`, also low/mid/high from seeded resampling. Hugging Face
 * evaluate reports `mid.fmeasure` of an unseeded bootstrap; `fmeasure` here is the exact mean it estimates.
 */
export function corpusRouge<M extends RougeMetric = RougeMetric>(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: CorpusRougeOptions<M> = {},
): Record<M, CorpusRougeScore> {
  if (predictions.length !== references.length) {
    throw new Error(`corpusRouge: ${predictions.length} predictions but ${references.length} references`);
  }
  const metrics = resolveMetrics(options.metrics);
  const perExample = predictions.map((p, i) => rougeScores(p, references[i], { ...options, metrics }));
  return aggregateRouge(perExample, metrics, options.bootstrap);
}
