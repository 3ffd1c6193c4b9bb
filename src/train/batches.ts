// Where training batches come from. A source remembers its position as plain JSON, so that an interrupted run
// resumes with exactly the batches it would have seen.
import { Batch, TokenizedExample, collate } from "../data/collate";
import { Random } from "../random";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface BatchSource {
  /** The next batch of `size` examples. */
  next(size: number): Batch;
  /** Where the source stands, as JSON (saved in trainer_state.json). */
  state(): JsonValue;
  /** Go back to a saved position. */
  restore(state: JsonValue): void;
  /** Examples in one pass, when the source has passes (used to report epochs). */
  epochSize?: number;
}

/**
 * Epochs over a fixed list of examples, reshuffled each epoch from (seed, epoch): a deterministic stream.
 * Batches may span an epoch boundary.
 */
export class EpochBatches implements BatchSource {
  private epoch = 0;
  private index = 0;
  private order: number[];

  constructor(
    private readonly examples: TokenizedExample[],
    private readonly seed: number,
  ) {
    if (examples.length === 0) throw new Error("EpochBatches: no examples to train on.");
    this.order = this.shuffled(0);
  }

  get epochSize(): number {
    return this.examples.length;
  }

  private shuffled(epoch: number): number[] {
    return new Random(this.seed * 7919 + epoch).shuffle(this.examples.map((_, i) => i));
  }

  next(size: number): Batch {
    const picked: TokenizedExample[] = [];
    while (picked.length < size) {
      if (this.index === this.order.length) {
        this.epoch++;
        this.index = 0;
        this.order = this.shuffled(this.epoch);
      }
      picked.push(this.examples[this.order[this.index++]]);
    }
    return collate(picked);
  }

  state(): JsonValue {
    return { epoch: this.epoch, index: this.index };
  }

  restore(state: JsonValue): void {
    const s = state as { epoch?: unknown; index?: unknown };
    if (typeof s?.epoch !== "number" || typeof s?.index !== "number") {
      throw new Error(`EpochBatches: saved data position ${JSON.stringify(state)} is not {epoch, index}.`);
    }
    this.epoch = s.epoch;
    this.index = s.index;
    this.order = this.shuffled(this.epoch);
  }
}
