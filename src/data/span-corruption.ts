// T5's span corruption (Raffel et al. 2019, the "final pretraining objective"), on token id arrays, as seqio/T5's
// preprocessors define it:
//   - the counts are fixed by the length: noise tokens = round(length * density), clamped to [1, length - 1];
//     noise spans = max(1, round(noise tokens / mean span length)); as many non-noise spans as noise spans;
//   - the span lengths are a uniformly random segmentation of each count, interleaved non-noise first, so a mask
//     always ends with a noise span;
//   - inputs: the non-noise tokens, each noise span replaced by one sentinel; targets: each sentinel followed by the
//     span it replaced. The paper's figure ends its targets with one more sentinel because its text ends with
//     non-noise; T5's masks end with noise, so its targets end with the last span, and only a trailing non-noise
//     span (a 1-token sequence, or density 0) adds a final sentinel. seqio then appends EOS to both, nothing else.
//   - sentinels are the vocabulary's last ids, <extra_id_0> = vocabSize - 1, <extra_id_1> = vocabSize - 2, ...
// "round" is Python's and tf.round's: halves go to the even neighbor (round(4.5) = 4).
// Where T5 has no answer we choose one and say so: more spans than non-noise tokens (density near 1).
import type { TokenizedExample } from "./collate";
import { Random } from "../random";
import { EOS_ID } from "../labels";

/** T5's noise density: the share of tokens that become noise. */
export const DEFAULT_NOISE_DENSITY = 0.15;
/** T5's mean noise span length, in tokens. */
export const DEFAULT_MEAN_NOISE_SPAN_LENGTH = 3;

/** How much noise and in which span lengths (T5's defaults when left out). */
export interface NoiseOptions {
  /** Share of the tokens that become noise, in [0, 1] (default 0.15). */
  noiseDensity?: number;
  /** Mean length of a noise span, at least 1 (default 3). */
  meanNoiseSpanLength?: number;
}

/** Where the sentinels are: the last `extraIds` ids of a vocabulary of `vocabSize` ids. */
export interface Sentinels {
  /** Number of ids in the vocabulary, sentinels included (T5's Vocabulary.vocab_size, e.g. 32100). */
  vocabSize: number;
  /** How many of the last ids are sentinels (T5: 100). */
  extraIds: number;
}

/** Everything span corruption needs besides the tokens and the random stream. */
export interface SpanCorruptionOptions extends NoiseOptions, Sentinels {
  /** Appended to inputs and targets (default 1, T5's </s>). */
  eosId?: number;
}

/** The fixed counts of one mask. */
export interface NoiseCounts {
  noiseTokens: number;
  nonNoiseTokens: number;
  /** Number of noise spans, and of non-noise spans. */
  spans: number;
}

/** Python's round(): to the nearest integer, halves to the even one. */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The noise options with T5's defaults filled in, checked. */
export function resolveNoiseOptions(options: NoiseOptions = {}): Required<NoiseOptions> {
  const { noiseDensity = DEFAULT_NOISE_DENSITY, meanNoiseSpanLength = DEFAULT_MEAN_NOISE_SPAN_LENGTH } = options;
  if (!Number.isFinite(noiseDensity) || noiseDensity < 0 || noiseDensity > 1) {
    throw new Error(`span corruption: noiseDensity must be a number in [0, 1], got ${noiseDensity}.`);
  }
  if (!Number.isFinite(meanNoiseSpanLength) || meanNoiseSpanLength < 1) {
    throw new Error(`span corruption: meanNoiseSpanLength must be a number >= 1, got ${meanNoiseSpanLength}.`);
  }
  return { noiseDensity, meanNoiseSpanLength };
}

function checkLength(length: number, what: string): void {
  if (!Number.isInteger(length) || length < 1) throw new Error(`span corruption: ${what} must be an integer >= 1, got ${length}.`);
}

/**
 * The counts of a mask over `length` tokens (length >= 2; T5 treats a 1-token sequence as 2 tokens and drops the
 * second). Spans are also capped at the non-noise tokens, which T5 does not do: at densities near 1 it would ask
 * for more non-noise spans than non-noise tokens.
 */
export function noiseCounts(length: number, options: NoiseOptions = {}): NoiseCounts {
  checkLength(length, "length");
  if (length < 2) throw new Error(`span corruption: noiseCounts needs length >= 2, got ${length} (a 1-token mask is counted as 2 tokens).`);
  const { noiseDensity, meanNoiseSpanLength } = resolveNoiseOptions(options);
  const noiseTokens = Math.min(Math.max(roundHalfToEven(length * noiseDensity), 1), length - 1);
  const nonNoiseTokens = length - noiseTokens;
  const spans = Math.min(Math.max(roundHalfToEven(noiseTokens / meanNoiseSpanLength), 1), nonNoiseTokens);
  return { noiseTokens, nonNoiseTokens, spans };
}

/** `items` split into `segments` non-empty consecutive parts, every split equally likely; the part lengths. */
export function randomSegmentation(random: Random, items: number, segments: number): number[] {
  if (!Number.isInteger(segments) || !Number.isInteger(items) || segments < 1 || segments > items) {
    throw new Error(`span corruption: cannot split ${items} items into ${segments} non-empty segments.`);
  }
  // Choose segments - 1 distinct cut points among the items - 1 gaps (a partial Fisher-Yates shuffle).
  const gaps = Array.from({ length: items - 1 }, (_, i) => i + 1);
  const cuts = segments - 1;
  for (let i = 0; i < cuts; i++) {
    const j = i + Math.floor(random.uniform() * (gaps.length - i));
    [gaps[i], gaps[j]] = [gaps[j], gaps[i]];
  }
  const points = gaps.slice(0, cuts).sort((a, b) => a - b);
  const lengths: number[] = [];
  let previous = 0;
  for (const point of [...points, items]) {
    lengths.push(point - previous);
    previous = point;
  }
  return lengths;
}

/**
 * T5's random_spans_noise_mask: true where a token is noise. Non-noise and noise spans alternate, non-noise first;
 * the noise segmentation is drawn before the non-noise one. Density 0 gives no noise (as newer T5 versions do).
 */
export function randomSpansNoiseMask(length: number, random: Random, options: NoiseOptions = {}): boolean[] {
  checkLength(length, "length");
  const noise = resolveNoiseOptions(options);
  if (noise.noiseDensity === 0) return new Array<boolean>(length).fill(false);
  const counted = Math.max(length, 2);
  const { noiseTokens, nonNoiseTokens, spans } = noiseCounts(counted, noise);
  const noiseLengths = randomSegmentation(random, noiseTokens, spans);
  const nonNoiseLengths = randomSegmentation(random, nonNoiseTokens, spans);
  const mask: boolean[] = [];
  for (let span = 0; span < spans; span++) {
    for (let i = 0; i < nonNoiseLengths[span]; i++) mask.push(false);
    for (let i = 0; i < noiseLengths[span]; i++) mask.push(true);
  }
  return mask.slice(0, length);
}

/** Check where the sentinels are. */
export function checkSentinels(sentinels: Sentinels): void {
  const { vocabSize, extraIds } = sentinels;
  if (!Number.isInteger(vocabSize) || vocabSize < 2) throw new Error(`span corruption: vocabSize must be an integer >= 2, got ${vocabSize}.`);
  if (!Number.isInteger(extraIds) || extraIds < 1 || extraIds >= vocabSize) {
    throw new Error(`span corruption: extraIds must be an integer in [1, vocabSize - 1] = [1, ${vocabSize - 1}], got ${extraIds}.`);
  }
}

/** The id of <extra_id_{index}>: vocabSize - 1 - index. */
export function sentinelId(sentinels: Sentinels, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= sentinels.extraIds) {
    throw new Error(`span corruption: sentinel <extra_id_${index}> does not exist (the vocabulary has ${sentinels.extraIds} sentinels).`);
  }
  return sentinels.vocabSize - 1 - index;
}

/** The N of <extra_id_N> for a sentinel id, or -1 for any other id. */
export function sentinelIndex(sentinels: Sentinels, id: number): number {
  const index = sentinels.vocabSize - 1 - id;
  return index >= 0 && index < sentinels.extraIds ? index : -1;
}

/** Ids must be vocabulary ids below the sentinels, or inputs and targets could not be told apart from them. */
export function checkTokens(tokens: readonly number[], sentinels: Sentinels, what = "span corruption"): void {
  const limit = sentinels.vocabSize - sentinels.extraIds;
  tokens.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= limit) {
      throw new Error(`${what}: token ${i} is ${id}; ids must be integers in [0, ${limit - 1}] (ids from ${limit} on are the ${sentinels.extraIds} sentinels).`);
    }
  });
}

/** T5's noise_span_to_unique_sentinel: each run of masked tokens becomes the next sentinel, <extra_id_0> first. */
export function maskedSpansToSentinels(tokens: readonly number[], masked: readonly boolean[], sentinels: Sentinels): number[] {
  if (masked.length !== tokens.length) throw new Error(`span corruption: ${tokens.length} tokens but a mask of ${masked.length}.`);
  const out: number[] = [];
  let next = 0;
  tokens.forEach((id, i) => {
    if (!masked[i]) out.push(id);
    else if (i === 0 || !masked[i - 1]) out.push(sentinelId(sentinels, next++));
  });
  return out;
}

/** The corrupted inputs (no EOS): non-noise tokens, each noise span replaced by a sentinel. */
export function corruptedInputs(tokens: readonly number[], noise: readonly boolean[], sentinels: Sentinels): number[] {
  return maskedSpansToSentinels(tokens, noise, sentinels);
}

/** The targets (no EOS): each sentinel followed by the noise span it stands for (T5's nonnoise_span_to_unique_sentinel). */
export function spanTargets(tokens: readonly number[], noise: readonly boolean[], sentinels: Sentinels): number[] {
  return maskedSpansToSentinels(tokens, noise.map((n) => !n), sentinels);
}

/** One span-corruption example from a token sequence, EOS appended to inputs (inputIds) and targets (labels). */
export function spanCorrupt(tokens: readonly number[], random: Random, options: SpanCorruptionOptions): TokenizedExample {
  checkSentinels(options);
  checkLength(tokens.length, "the number of tokens");
  checkTokens(tokens, options);
  const eos = options.eosId ?? EOS_ID;
  const noise = randomSpansNoiseMask(tokens.length, random, options);
  const runs = (value: boolean) => noise.filter((n, i) => n === value && (i === 0 || noise[i - 1] !== value)).length;
  const needed = Math.max(runs(true), runs(false));
  if (needed > options.extraIds) {
    throw new Error(`span corruption: ${tokens.length} tokens give ${runs(true)} noise spans, which need ${needed} sentinels; the vocabulary has ${options.extraIds}.`);
  }
  return { inputIds: [...corruptedInputs(tokens, noise, options), eos], labels: [...spanTargets(tokens, noise, options), eos] };
}

/** The original tokens back from an example: every sentinel of the inputs replaced by its span from the targets. */
export function restoreSpans(example: TokenizedExample, sentinels: Sentinels, eosId = EOS_ID): number[] {
  const withoutEos = (ids: readonly number[]) => (ids[ids.length - 1] === eosId ? ids.slice(0, -1) : ids.slice());
  const spans = new Map<number, number[]>();
  let current: number[] | null = null;
  for (const id of withoutEos(example.labels)) {
    const index = sentinelIndex(sentinels, id);
    if (index >= 0) spans.set(index, (current = []));
    else if (current) current.push(id);
    else throw new Error("span corruption: targets must start with a sentinel.");
  }
  return withoutEos(example.inputIds).flatMap((id) => {
    const index = sentinelIndex(sentinels, id);
    if (index < 0) return [id];
    const span = spans.get(index);
    if (!span) throw new Error(`span corruption: inputs hold <extra_id_${index}> but the targets do not.`);
    return span;
  });
}

/** Lengths that avoid padding: the raw tokens to pack, and the inputs and targets they become (EOS included). */
export interface SpanCorruptionLengths {
  tokensLength: number;
  inputsLength: number;
  targetsLength: number;
}

/** Inputs and targets length (EOS included) of a span-corrupted sequence of `tokensLength` tokens (>= 2). */
export function corruptedLengths(tokensLength: number, options: NoiseOptions = {}): Omit<SpanCorruptionLengths, "tokensLength"> {
  const { noiseTokens, nonNoiseTokens, spans } = noiseCounts(tokensLength, options);
  return { inputsLength: nonNoiseTokens + spans + 1, targetsLength: noiseTokens + spans + 1 };
}

/**
 * T5's random_spans_helper: the most raw tokens whose corrupted inputs (sentinels and EOS included) fit in
 * `inputsLength`, and the inputs and targets lengths they give (512 -> 568 tokens, inputs 512, targets 114). It
 * counts with noiseCounts, so the lengths are exactly those spanCorrupt makes. T5's tweak for density 0.5 (one token
 * less so that targets are no longer than inputs) is kept.
 */
export function spanCorruptionLengths(inputsLength: number, options: NoiseOptions = {}): SpanCorruptionLengths {
  if (!Number.isInteger(inputsLength) || inputsLength < 3) {
    throw new Error(`span corruption: inputsLength must be an integer >= 3 (a token, a sentinel and EOS), got ${inputsLength}.`);
  }
  const noise = resolveNoiseOptions(options);
  if (noise.noiseDensity === 0) throw new Error("span corruption: spanCorruptionLengths needs noiseDensity > 0.");
  let tokensLength = Math.max(2, inputsLength - 1);
  while (corruptedLengths(tokensLength + 1, noise).inputsLength <= inputsLength) tokensLength++;
  if (noise.noiseDensity === 0.5 && tokensLength > 2) {
    const lengths = corruptedLengths(tokensLength, noise);
    if (lengths.targetsLength > lengths.inputsLength) tokensLength--;
  }
  return { tokensLength, ...corruptedLengths(tokensLength, noise) };
}

/**
 * One token stream from tokenized documents: each document followed by exactly one EOS (encode() already ends with
 * it), or, with `separated` false, concatenated without separators as T5's pretraining does (reduce_concat_tokens),
 * so that no EOS lands inside a masked span.
 */
export function joinDocuments(documents: Iterable<readonly number[]>, eosId = EOS_ID, separated = true): number[] {
  const stream: number[] = [];
  for (const ids of documents) {
    const end = ids.length > 0 && ids[ids.length - 1] === eosId ? ids.length - 1 : ids.length;
    for (let i = 0; i < end; i++) stream.push(ids[i]);
    if (separated) stream.push(eosId);
  }
  return stream;
}

/** Consecutive chunks of exactly `length` ids; the remainder (fewer than `length` ids) is left out. */
export function fixedLengthChunks(stream: readonly number[], length: number): number[][] {
  checkLength(length, "the chunk length");
  const chunks: number[][] = [];
  for (let start = 0; start + length <= stream.length; start += length) chunks.push(stream.slice(start, start + length));
  return chunks;
}

/** What spanCorruptionExamples made: the examples, the lengths they all have, and the ids left over at the end. */
export interface SpanCorruptionBatch extends SpanCorruptionLengths {
  examples: TokenizedExample[];
  droppedTokens: number;
}

/**
 * Fixed-length span-corruption examples from a token stream (documents joined with EOS, see joinDocuments): cut into
 * chunks of the length spanCorruptionLengths gives for `inputsLength`, each chunk corrupted with the next draws of
 * `random`. Every example has inputs of exactly the returned `inputsLength` (at most the asked one, as with T5's
 * helper) and targets of exactly `targetsLength`, so a batch needs no padding.
 */
export function spanCorruptionExamples(stream: readonly number[], random: Random, options: SpanCorruptionOptions & { inputsLength: number }): SpanCorruptionBatch {
  const lengths = spanCorruptionLengths(options.inputsLength, options);
  const chunks = fixedLengthChunks(stream, lengths.tokensLength);
  const examples = chunks.map((chunk) => spanCorrupt(chunk, random, options));
  return { ...lengths, examples, droppedTokens: stream.length - chunks.length * lengths.tokensLength };
}
