// From (input, target) text to padded batches: tokenize within token budgets (truncation counted, not hidden), group
// into batches (optionally by length), pad each batch to its own longest row, labels padded with -100.
import { IGNORE_INDEX, shiftTokensRight } from "../labels";
import { Random } from "../random";

/** An example as token ids: the input's and the target's (labels), each ending with </s>. */
export interface TokenizedExample {
  inputIds: number[];
  labels: number[];
}

/** A padded batch as the model takes it: ids and mask of the inputs, decoder inputs, and labels (-100 where padded). */
export interface Batch {
  inputIds: number[][];
  attentionMask: number[][];
  decoderInputIds: number[][];
  labels: number[][];
}

function padTo<T>(row: T[], length: number, value: T): T[] {
  return row.length >= length ? row.slice(0, length) : [...row, ...new Array<T>(length - row.length).fill(value)];
}

/** Right-pad every row to the longest in the batch (pad id 0, label -100); decoder inputs are shifted labels. */
export function collate(examples: TokenizedExample[], padTokenId = 0, decoderStartTokenId = 0): Batch {
  if (examples.length === 0) throw new Error("collate: empty batch.");
  examples.forEach((e, i) => {
    if (e.inputIds.length === 0) throw new Error(`collate: example ${i} has no input tokens.`);
    if (e.labels.length === 0) throw new Error(`collate: example ${i} has no target tokens.`);
  });
  const sourceLength = Math.max(...examples.map((e) => e.inputIds.length));
  const targetLength = Math.max(...examples.map((e) => e.labels.length));
  const labels = examples.map((e) => padTo(e.labels, targetLength, IGNORE_INDEX));
  return {
    inputIds: examples.map((e) => padTo(e.inputIds, sourceLength, padTokenId)),
    attentionMask: examples.map((e) => padTo(e.inputIds.map(() => 1), sourceLength, 0)),
    decoderInputIds: shiftTokensRight(labels, decoderStartTokenId, padTokenId),
    labels,
  };
}

// ---- from text to batches -----------------------------------------------------------------------------------

/** Token budgets: longer sequences are cut to this many ids, keeping the final </s>. */
export interface TruncationLimits {
  maxInputTokens: number;
  maxTargetTokens: number;
}

/** The limits a task declares. */
export function taskLimits(task: { maxInputTokens: number; maxTargetTokens: number }): TruncationLimits {
  return { maxInputTokens: task.maxInputTokens, maxTargetTokens: task.maxTargetTokens };
}

/** What tokenize() needs: ids of a text, ending with </s>. Satisfied by src/io/tokenizer.ts's Tokenizer. */
export interface TokenEncoder {
  readonly eosTokenId: number;
  readonly padTokenId: number;
  encode(text: string): number[];
}

/** A tokenized example that remembers where it came from. */
export interface TokenizedTextExample extends TokenizedExample {
  recordId: string;
  templateId: string;
  inputTruncated: boolean;
  targetTruncated: boolean;
}

/** How much truncation cost: reported with every tokenized set, never hidden. */
export interface TruncationReport {
  examples: number;
  truncatedInputs: number;
  truncatedTargets: number;
  /** Ids cut away in all (beyond the budgets). */
  inputTokensDropped: number;
  targetTokensDropped: number;
}

/** Cut ids to at most `max`, the last one kept as </s> (T5's convention: every sequence ends with </s>). */
export function truncateIds(ids: readonly number[], max: number, eosTokenId: number): number[] {
  if (!(Number.isInteger(max) && max >= 1)) throw new Error(`a token budget must be an integer >= 1, got ${max}.`);
  if (ids.length <= max) return ids.slice();
  return [...ids.slice(0, max - 1), eosTokenId];
}

/**
 * Tokenize (input, target) pairs: inputs and targets are cut to their budgets (one pair of limits for all, or a
 * function giving each example's, e.g. its task's), and the counts of what was cut come back with the examples.
 */
export function tokenizeExamples(
  examples: readonly { input: string; target: string; recordId: string; templateId: string }[],
  tokenizer: TokenEncoder,
  limits: TruncationLimits | ((index: number) => TruncationLimits),
): { examples: TokenizedTextExample[]; report: TruncationReport } {
  const report: TruncationReport = { examples: examples.length, truncatedInputs: 0, truncatedTargets: 0, inputTokensDropped: 0, targetTokensDropped: 0 };
  const out = examples.map((example, i) => {
    const { maxInputTokens, maxTargetTokens } = typeof limits === "function" ? limits(i) : limits;
    const input = tokenizer.encode(example.input);
    const target = tokenizer.encode(example.target);
    const inputIds = truncateIds(input, maxInputTokens, tokenizer.eosTokenId);
    const labels = truncateIds(target, maxTargetTokens, tokenizer.eosTokenId);
    const inputTruncated = inputIds.length < input.length;
    const targetTruncated = labels.length < target.length;
    if (inputTruncated) report.truncatedInputs++;
    if (targetTruncated) report.truncatedTargets++;
    report.inputTokensDropped += input.length - inputIds.length;
    report.targetTokensDropped += target.length - labels.length;
    return { inputIds, labels, recordId: example.recordId, templateId: example.templateId, inputTruncated, targetTruncated };
  });
  return { examples: out, report };
}

/**
 * Tokenize mixture draws (anything with a task and an example), each within its own task's budgets unless
 * `override` sets them for all.
 */
export function tokenizeDraws(
  draws: readonly { task: { maxInputTokens: number; maxTargetTokens: number }; example: { input: string; target: string; recordId: string; templateId: string } }[],
  tokenizer: TokenEncoder,
  override: Partial<TruncationLimits> = {},
): { examples: TokenizedTextExample[]; report: TruncationReport } {
  return tokenizeExamples(
    draws.map((d) => d.example),
    tokenizer,
    (i) => ({ ...taskLimits(draws[i].task), ...definedOnly(override) }),
  );
}

function definedOnly(limits: Partial<TruncationLimits>): Partial<TruncationLimits> {
  const out: Partial<TruncationLimits> = {};
  if (limits.maxInputTokens !== undefined) out.maxInputTokens = limits.maxInputTokens;
  if (limits.maxTargetTokens !== undefined) out.maxTargetTokens = limits.maxTargetTokens;
  return out;
}

export interface BatchingOptions {
  batchSize: number;
  /** Seed of the order: examples are shuffled, and batches too when bucketing. Without it the order is kept. */
  seed?: number;
  /**
   * Group examples of similar length: the shuffled examples are cut into windows of `bucketWindow` batches, each
   * window is sorted by length and cut into batches, and the batches are shuffled. Less padding, still random.
   */
  bucketing?: boolean;
  /** Batches per sorting window when bucketing (default 50). */
  bucketWindow?: number;
  /** Drop a last batch smaller than batchSize (default false: keep it). */
  dropLast?: boolean;
}

/** Length used for bucketing: the padded cost of an example is driven by its longer side. */
export function exampleLength(example: TokenizedExample): number {
  return example.inputIds.length + example.labels.length;
}

/** Indices of the examples, grouped into batches (deterministic for a seed). */
export function batchIndices(lengths: readonly number[], options: BatchingOptions): number[][] {
  const { batchSize, seed, bucketing = false, bucketWindow = 50, dropLast = false } = options;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batchSize must be an integer >= 1, got ${batchSize}.`);
  if (!(Number.isInteger(bucketWindow) && bucketWindow >= 1)) throw new Error(`bucketWindow must be an integer >= 1, got ${bucketWindow}.`);
  if (bucketing && seed === undefined) throw new Error("bucketing needs a seed (it shuffles before grouping by length).");
  const random = seed === undefined ? undefined : new Random(seed);
  let order = lengths.map((_, i) => i);
  if (random) order = random.shuffle(order);
  const chunk = (items: number[]): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < items.length; i += batchSize) out.push(items.slice(i, i + batchSize));
    return out;
  };
  let batches: number[][];
  if (!bucketing) batches = chunk(order);
  else {
    batches = [];
    const window = batchSize * bucketWindow;
    for (let start = 0; start < order.length; start += window) {
      // a stable sort by length: ties keep the shuffled order, so the result depends on the seed alone
      const sorted = order.slice(start, start + window).sort((a, b) => lengths[a] - lengths[b]);
      batches.push(...chunk(sorted));
    }
    batches = random!.shuffle(batches);
  }
  return dropLast ? batches.filter((b) => b.length === batchSize) : batches;
}

/** Padding that batches of these examples would carry, as a share of all positions (input and target). */
export function paddingReport(examples: readonly TokenizedExample[], batches: readonly number[][]): { realTokens: number; paddedTokens: number; paddingShare: number } {
  let realTokens = 0;
  let paddedTokens = 0;
  for (const batch of batches) {
    const inputs = batch.map((i) => examples[i].inputIds.length);
    const targets = batch.map((i) => examples[i].labels.length);
    realTokens += inputs.reduce((a, b) => a + b, 0) + targets.reduce((a, b) => a + b, 0);
    paddedTokens += batch.length * (Math.max(...inputs) + Math.max(...targets));
  }
  return { realTokens, paddedTokens, paddingShare: paddedTokens === 0 ? 0 : 1 - realTokens / paddedTokens };
}

/**
 * Tokenized examples -> padded batches (each padded to its own longest row), in a seeded order, optionally
 * length-bucketed.
 */
export function makeBatches(examples: readonly TokenizedExample[], options: BatchingOptions & { padTokenId?: number; decoderStartTokenId?: number }): Batch[] {
  const { padTokenId = 0, decoderStartTokenId = 0 } = options;
  return batchIndices(examples.map(exampleLength), options).map((batch) => collate(batch.map((i) => examples[i]), padTokenId, decoderStartTokenId));
}
