// Pretraining batches: T5's span corruption over a fixed set of token chunks, in epochs. Each epoch visits the
// chunks in a new order and draws new noise masks, both from (seed, epoch, chunk), so the stream is deterministic
// and resumes from two numbers.
import { Batch, collate } from "../data/collate";
import { SpanCorruptionOptions, fixedLengthChunks, joinDocuments, spanCorrupt, spanCorruptionLengths } from "../data/span-corruption";
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
}

/** Span-corruption batches over fixed chunks of raw ids, epoch after epoch (a BatchSource for the trainer). */
export class SpanCorruptionBatches implements BatchSource {
  private epoch = 0;
  private index = 0;
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
      examples.push(spanCorrupt(this.chunks[chunk], random, this.options));
    }
    return collate(examples);
  }

  state(): JsonValue {
    return { epoch: this.epoch, index: this.index };
  }

  restore(state: JsonValue): void {
    const { epoch, index } = state as { epoch: number; index: number };
    if (!Number.isInteger(epoch) || !Number.isInteger(index) || index < 0 || index > this.chunks.length) {
      throw new Error(`SpanCorruptionBatches: cannot restore from ${JSON.stringify(state)}.`);
    }
    this.epoch = epoch;
    this.index = index;
    this.order = this.shuffled(epoch);
  }
}
