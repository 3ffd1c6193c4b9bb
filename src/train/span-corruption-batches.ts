// Pretraining batches: T5's span corruption over a fixed set of token chunks, in epochs, optionally interleaved with
// batches of text infilling (data/text-infilling.ts: the same corrupted inputs, the whole chunk as target). Each
// epoch visits the chunks in a new order and draws new noise masks, both from (seed, epoch, chunk), and which batches
// are text infilling follows from their number, so the stream is deterministic and resumes from three numbers.
import { Batch, collate } from "../data/collate";
import { NoiseOptions, SpanCorruptionOptions, fixedLengthChunks, joinDocuments, spanCorrupt, spanCorruptionLengths } from "../data/span-corruption";
import { textInfilling } from "../data/text-infilling";
import { EOS_ID } from "../labels";
import { Random } from "../random";
import { BatchSource, JsonValue } from "./batches";

/**
 * Chunks of exactly `length` raw ids from documents concatenated without separators (joinDocuments with
 * `separated` false; each document's final EOS dropped); the remainder is left out.
 */
export function concatenatedChunks(documents: Iterable<readonly number[]>, length: number, eosId = EOS_ID): number[][] {
  if (!Number.isInteger(length) || length < 1) throw new Error(`concatenatedChunks: the chunk length must be a positive integer, got ${length}.`);
  return fixedLengthChunks(joinDocuments(documents, eosId, false), length);
}

/** Options of SpanCorruptionBatches: the sentinels and noise, and the input length every example gets. */
export interface SpanCorruptionBatchOptions extends SpanCorruptionOptions {
  /** Input ids per example (EOS included), as T5's inputs_length; the raw chunk length follows from it. */
  inputsLength: number;
  /** Share of batches that are text infilling instead of span corruption, in [0, 1] (default 0). */
  textInfillingShare?: number;
  /** The text-infilling batches' noise (default: density 0.3, mean span 3). */
  textInfillingNoise?: NoiseOptions;
}

/** Whether batch `n` (counted from 0) is text infilling: spread evenly, `share` of every run of batches. */
export function isTextInfillingBatch(n: number, share: number): boolean {
  return Math.floor((n + 1) * share) > Math.floor(n * share);
}

/** Span-corruption (and text-infilling) batches over fixed chunks of raw ids, epoch after epoch (a BatchSource). */
export class SpanCorruptionBatches implements BatchSource {
  private epoch = 0;
  private index = 0;
  private batches = 0;
  private order: number[];

  constructor(
    private readonly chunks: readonly (readonly number[])[],
    private readonly seed: number,
    private readonly options: SpanCorruptionBatchOptions,
  ) {
    if (chunks.length === 0) throw new Error("SpanCorruptionBatches: no chunks to train on.");
    const { tokensLength } = spanCorruptionLengths(options.inputsLength, options);
    const wrong = chunks.findIndex((chunk) => chunk.length !== tokensLength);
    if (wrong >= 0) {
      throw new Error(`SpanCorruptionBatches: chunk ${wrong} has ${chunks[wrong].length} ids; inputs of ${options.inputsLength} need raw chunks of ${tokensLength}.`);
    }
    const share = options.textInfillingShare ?? 0;
    if (!(share >= 0 && share <= 1)) throw new Error(`SpanCorruptionBatches: textInfillingShare must be in [0, 1], got ${share}.`);
    this.order = this.shuffled(0);
  }

  /** Chunks in one pass (the trainer reports epochs from it). */
  get epochSize(): number {
    return this.chunks.length;
  }

  private shuffled(epoch: number): number[] {
    return new Random(this.seed * 7919 + epoch).shuffle(this.chunks.map((_, i) => i));
  }

  next(size: number): Batch {
    const infilling = isTextInfillingBatch(this.batches++, this.options.textInfillingShare ?? 0);
    const examples = [];
    while (examples.length < size) {
      if (this.index === this.order.length) {
        this.epoch++;
        this.index = 0;
        this.order = this.shuffled(this.epoch);
      }
      const chunk = this.order[this.index++];
      // The mask of a chunk depends on the epoch and the chunk alone, not on the batch size or what came before.
      const random = new Random((this.seed * 1_000_003 + this.epoch * 7_919 + chunk) >>> 0);
      examples.push(
        infilling ? textInfilling(this.chunks[chunk], random, { ...this.options, ...this.options.textInfillingNoise }) : spanCorrupt(this.chunks[chunk], random, this.options),
      );
    }
    return collate(examples);
  }

  state(): JsonValue {
    return { epoch: this.epoch, index: this.index, batches: this.batches };
  }

  restore(state: JsonValue): void {
    const { epoch, index, batches = 0 } = state as { epoch: number; index: number; batches?: number };
    if (!Number.isInteger(epoch) || !Number.isInteger(index) || index < 0 || index > this.chunks.length || !Number.isInteger(batches) || batches < 0) {
      throw new Error(`SpanCorruptionBatches: cannot restore from ${JSON.stringify(state)}.`);
    }
    this.epoch = epoch;
    this.index = index;
    this.batches = batches;
    this.order = this.shuffled(epoch);
  }
}
