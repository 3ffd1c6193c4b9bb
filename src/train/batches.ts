// Where training batches come from. A source remembers its position as plain JSON, so that an interrupted run
// resumes with exactly the batches it would have seen.
import { Batch, TokenEncoder, TokenizedExample, collate, tokenizeDraws } from "../data/collate";
import { Mixture, MixtureSampler } from "../data/mixtures";
import { Random } from "../random";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An endless, resumable stream of batches for the trainer. */
export interface BatchSource {
  /** The next batch of `size` examples. */
  next(size: number): Batch;
  /** Where the source stands, as JSON (saved in trainer_state.json). */
  state(): JsonValue;
  /** Go back to a saved position. */
  restore(state: JsonValue): void;
  /** Examples in one pass, when the source has passes (used to report epochs). */
  epochSize?: number;
  /** What the source did to its examples so far (e.g. truncation), recorded in run.json. */
  summary?(): JsonValue;
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

/** Examples drawn from a mixture and what truncation cut from them, in all (the inputs and targets cut, and their ids cut). */
export interface TruncationTotals {
  examples: number;
  inputs: number;
  targets: number;
  inputTokensDropped: number;
  targetTokensDropped: number;
}

const NO_TRUNCATION: TruncationTotals = { examples: 0, inputs: 0, targets: 0, inputTokensDropped: 0, targetTokensDropped: 0 };

function truncationFrom(saved: unknown): TruncationTotals {
  const s = saved as Partial<Record<keyof TruncationTotals, unknown>> | undefined;
  const count = (key: keyof TruncationTotals) => (typeof s?.[key] === "number" ? (s[key] as number) : 0);
  return { examples: count("examples"), inputs: count("inputs"), targets: count("targets"), inputTokensDropped: count("inputTokensDropped"), targetTokensDropped: count("targetTokensDropped") };
}

/**
 * Batches drawn from a mixture stream (seqio-style): each batch is the next `size` draws, tokenized within each
 * task's budgets. The position is the number of draws so far; restoring replays the seeded stream to it. What
 * truncation cut is counted (and saved with the position, so a resumed run reports the whole run's).
 */
export class MixtureBatches implements BatchSource {
  private sampler: MixtureSampler;
  private drawn = 0;
  /** Inputs and targets cut to their task's budget so far, and the ids cut (reported, not hidden). */
  truncation: TruncationTotals = { ...NO_TRUNCATION };

  constructor(
    private readonly mixture: Mixture,
    private readonly seed: number,
    private readonly tokenizer: TokenEncoder,
  ) {
    this.sampler = new MixtureSampler(mixture, seed);
  }

  next(size: number): Batch {
    const draws = this.sampler.take(size);
    this.drawn += size;
    const { examples, report } = tokenizeDraws(draws, this.tokenizer);
    this.truncation.inputs += report.truncatedInputs;
    this.truncation.targets += report.truncatedTargets;
    this.truncation.examples += report.examples;
    this.truncation.inputTokensDropped += report.inputTokensDropped;
    this.truncation.targetTokensDropped += report.targetTokensDropped;
    return collate(examples);
  }

  /** Realized task proportions so far. */
  report(): ReturnType<MixtureSampler["report"]> {
    return this.sampler.report();
  }

  /** The truncation totals so far, with the mean number of ids cut from each cut input and target (recorded in run.json). */
  summary(): JsonValue {
    const mean = (tokens: number, cut: number) => (cut === 0 ? 0 : tokens / cut);
    const t = this.truncation;
    return { truncation: { ...t, meanInputTokensCut: mean(t.inputTokensDropped, t.inputs), meanTargetTokensCut: mean(t.targetTokensDropped, t.targets) } };
  }

  state(): JsonValue {
    return { drawn: this.drawn, truncation: { ...this.truncation } };
  }

  restore(state: JsonValue): void {
    const drawn = (state as { drawn?: unknown })?.drawn;
    if (typeof drawn !== "number") throw new Error(`MixtureBatches: saved data position ${JSON.stringify(state)} is not {drawn}.`);
    this.sampler = new MixtureSampler(this.mixture, this.seed);
    this.sampler.take(drawn);
    this.drawn = drawn;
    this.truncation = truncationFrom((state as { truncation?: unknown }).truncation);
  }
}
