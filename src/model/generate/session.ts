// The decoder session of one generation: it owns every tensor (encoder states, mask, KV cache), hands back only
// the last position's logits, one Float32Array row per decoder row, and is told which rows continue with which
// token (rows that finished drop out; beam search repeats and reorders rows).
import * as tf from "@tensorflow/tfjs";
import { gatherRows, tidyObject } from "../ops";
import { DecoderCache, T5Model, decode, encode, releaseCache } from "../t5";
import type { PaddedInput } from "./input";

/** Encoder states [batch * copies, length, d_model] and mask, each input row repeated `copies` times (beams). */
function encodeInputs(model: T5Model, input: PaddedInput, copies: number): { hidden: tf.Tensor3D; mask: tf.Tensor2D } {
  return tidyObject(() => {
    const ids = tf.tensor2d(input.ids, undefined, "int32");
    const mask = tf.tensor2d(input.mask, undefined, "int32");
    const hidden = encode(model, ids, mask);
    if (copies === 1) return { hidden, mask };
    const repeat = tf.tensor1d(input.ids.flatMap((_, b) => new Array<number>(copies).fill(b)), "int32");
    return { hidden: gatherRows(hidden, repeat) as tf.Tensor3D, mask: gatherRows(mask, repeat) as tf.Tensor2D };
  });
}

/** The decoder rows of one generation, from encoding the input to dispose(). */
export class DecoderSession {
  private hidden: tf.Tensor3D; // encoder states per decoder row
  private mask: tf.Tensor2D; // encoder attention mask per decoder row
  private cache?: DecoderCache;
  /** Decoder tokens per row, start token first; the last one is the next decoder input. */
  private history: number[][];
  /** Which encoder row each decoder row reads (rows sharing it can share cross-attention tensors). */
  private source: number[];
  /** The model's vocabulary size: the length of each row of logits. */
  readonly vocab: number;

  /** Encode `input` and start `copies` decoder rows per input row (beams), each at `startToken`. */
  constructor(
    private readonly model: T5Model,
    input: PaddedInput,
    copies: number,
    startToken: number,
    private readonly useCache: boolean,
  ) {
    const { hidden, mask } = encodeInputs(model, input, copies);
    this.hidden = hidden;
    this.mask = mask;
    this.source = Array.from({ length: input.ids.length * copies }, (_, r) => Math.floor(r / copies));
    this.history = this.source.map(() => [startToken]);
    this.vocab = model.config.vocab_size;
  }

  /** The number of decoder rows now. */
  get rows(): number {
    return this.history.length;
  }

  /**
   * Logits [rows * vocab] of the position after each row's history, and per row their log-sum-exp (log-probs are
   * logits - logZ): computed on the backend, because exp over the vocabulary in JavaScript costs more than a small
   * model's decoder step.
   */
  nextLogits(): { logits: Float32Array; logZ: Float32Array } {
    const rows = this.rows;
    const lastRow = (logits: tf.Tensor3D) => {
      const length = logits.shape[1];
      const last = length === 1 ? logits : logits.slice([0, length - 1, 0], [rows, 1, this.vocab]); // wasm's slice copies
      return last.reshape([rows, this.vocab]);
    };
    let last: tf.Tensor;
    if (this.useCache) {
      const old = this.cache;
      const step = tidyObject(() => {
        const ids = tf.tensor2d(this.history.map((h) => [h[h.length - 1]]), [rows, 1], "int32");
        const { logits, cache } = decode(this.model, ids, this.hidden, this.mask, old);
        return { cache, last: lastRow(logits) };
      });
      if (old) releaseCache(old, step.cache);
      this.cache = step.cache;
      last = step.last;
    } else {
      last = tf.tidy(() => {
        const ids = tf.tensor2d(this.history, undefined, "int32");
        return lastRow(decode(this.model, ids, this.hidden, this.mask).logits);
      });
    }
    const logZ = tf.tidy(() => tf.logSumExp(last, 1));
    try {
      // read-only use (processors copy), and the tensors are gone after this: no copy needed
      return { logits: last.dataSync() as Float32Array, logZ: logZ.dataSync() as Float32Array };
    } finally {
      last.dispose();
      logZ.dispose();
    }
  }

  /**
   * Continue: new row i extends current row parents[i] (default: row i) with tokens[i]. Rows may be dropped
   * (finished) or repeated and reordered (beam search).
   */
  advance(tokens: number[], parents?: number[]): void {
    if (parents && !(parents.length === this.rows && parents.every((p, i) => p === i))) this.select(parents);
    if (tokens.length !== this.rows) throw new Error(`internal: ${tokens.length} tokens for ${this.rows} decoder rows.`);
    this.history.forEach((h, i) => h.push(tokens[i]));
  }

  private select(parents: number[]): void {
    const newSource = parents.map((p) => this.source[p]);
    const sameSources = newSource.length === this.source.length && newSource.every((s, i) => s === this.source[i]);
    this.history = parents.map((p) => [...this.history[p]]);
    this.source = newSource;
    const old = { hidden: this.hidden, mask: this.mask, cache: this.cache };
    const next = tidyObject(() => {
      const rows = tf.tensor1d(parents, "int32");
      const pick = <T extends tf.Tensor>(t: T) => gatherRows(t, rows) as T; // whole rows: no per-number copy on wasm
      // Rows that keep their encoder row keep its cross-attention keys/values, mask and states: no copy.
      const cross = <T extends tf.Tensor>(t: T) => (sameSources ? t : pick(t));
      const cache: DecoderCache | undefined = old.cache && {
        length: old.cache.length,
        layers: old.cache.layers.map((l) => ({
          selfKey: pick(l.selfKey),
          selfValue: pick(l.selfValue),
          crossKey: cross(l.crossKey),
          crossValue: cross(l.crossValue),
        })),
      };
      return { hidden: cross(old.hidden), mask: cross(old.mask), cache };
    });
    if (old.cache && next.cache) releaseCache(old.cache, next.cache);
    if (next.hidden !== old.hidden) old.hidden.dispose();
    if (next.mask !== old.mask) old.mask.dispose();
    this.hidden = next.hidden;
    this.mask = next.mask;
    this.cache = next.cache;
  }

  /** Dispose every tensor the session holds. */
  dispose(): void {
    if (this.cache) releaseCache(this.cache);
    this.cache = undefined;
    this.hidden.dispose();
    this.mask.dispose();
  }
}
