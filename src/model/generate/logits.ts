// Choosing tokens from one row of logits (or log-probs): Hugging Face's logit processors and sampling warpers, and
// the softmax helpers they need. Small pure functions; each returns a new array and leaves its input alone.
import type { ResolvedGenerationOptions } from "./options";

/**
 * Hugging Face's RepetitionPenaltyLogitsProcessor: every distinct token in `previous` gets
 * logit < 0 ? logit * penalty : logit / penalty.
 */
export function applyRepetitionPenalty(logits: Float32Array, previous: Iterable<number>, penalty: number): Float32Array {
  const out = Float32Array.from(logits);
  if (penalty === 1) return out;
  for (const token of new Set(previous)) {
    const value = logits[token];
    out[token] = value < 0 ? value * penalty : value / penalty;
  }
  return out;
}

/**
 * The tokens that would complete, as the next token, an n-gram already in `sequence` (distinct, ascending): the last
 * tokens of the earlier n-grams that start with the sequence's last n - 1 tokens. Hugging Face's
 * NoRepeatNGramLogitsProcessor; its test `cur_len + 1 < ngram_size` also lets a sequence of n - 1 tokens through,
 * which holds no n-gram yet, so a ban needs at least n tokens. n = 1 bans every token seen; n <= 0 is off.
 */
export function bannedNgramTokens(sequence: readonly number[], n: number): number[] {
  const length = sequence.length;
  if (n < 1 || length < n) return [];
  const prefix = length - n + 1; // where the last n - 1 tokens start
  const banned = new Set<number>();
  // every n-gram sequence[i .. i + n - 1] that lies wholly in the sequence (the one at `prefix` is not complete)
  for (let i = 0; i + n <= length; i++) {
    let k = 0;
    while (k < n - 1 && sequence[i + k] === sequence[prefix + k]) k++;
    if (k === n - 1) banned.add(sequence[i + n - 1]);
  }
  return [...banned].sort((a, b) => a - b);
}

/** Every token of bannedNgramTokens(sequence, n) gets -Infinity (NoRepeatNGramLogitsProcessor). */
export function banRepeatedNgrams(logits: Float32Array, sequence: readonly number[], n: number): Float32Array {
  const out = Float32Array.from(logits);
  for (const token of bannedNgramTokens(sequence, n)) out[token] = -Infinity;
  return out;
}

/** EOS gets -Infinity while fewer than minNewTokens tokens were generated (MinNewTokensLengthLogitsProcessor). */
export function suppressEosBeforeMin(logits: Float32Array, generated: number, minNewTokens: number, eosTokenIds: number[]): Float32Array {
  const out = Float32Array.from(logits);
  if (generated < minNewTokens) for (const id of eosTokenIds) out[id] = -Infinity;
  return out;
}

/** Hugging Face's TemperatureLogitsWarper: logits / temperature. */
export function applyTemperature(logits: Float32Array, temperature: number): Float32Array {
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}.`);
  return logits.map((x) => x / temperature);
}

/** An entry of topEntries: its score and its index row * row length + column. */
export interface Entry {
  score: number;
  index: number;
}

/**
 * The k largest values rows[j][v] + offsets[j] of equally long rows, best first; equal scores by lower index
 * j * length + v. One pass with a min-heap of size k (the worst kept entry on top).
 */
export function topEntries(rows: Float32Array[], offsets: number[], k: number): Entry[] {
  const length = rows[0].length;
  const heapScore = new Float64Array(k);
  const heapIndex = new Int32Array(k);
  let size = 0;
  const worse = (i: number, j: number) => heapScore[i] < heapScore[j] || (heapScore[i] === heapScore[j] && heapIndex[i] > heapIndex[j]);
  const swap = (i: number, j: number) => {
    [heapScore[i], heapScore[j]] = [heapScore[j], heapScore[i]];
    [heapIndex[i], heapIndex[j]] = [heapIndex[j], heapIndex[i]];
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  rows.forEach((row, j) => {
    const offset = offsets[j];
    for (let v = 0; v < length; v++) {
      const score = row[v] + offset;
      const index = j * length + v;
      if (size < k) {
        let i = size++;
        heapScore[i] = score;
        heapIndex[i] = index;
        while (i > 0 && worse(i, (i - 1) >> 1)) {
          swap(i, (i - 1) >> 1);
          i = (i - 1) >> 1;
        }
      } else if (score > heapScore[0]) {
        // equal scores keep the earlier (lower) index already in the heap
        heapScore[0] = score;
        heapIndex[0] = index;
        siftDown(0);
      }
    }
  });
  const out: Entry[] = [];
  for (let i = 0; i < size; i++) out.push({ score: heapScore[i], index: heapIndex[i] });
  return out.sort((a, b) => b.score - a.score || a.index - b.index);
}

/** Hugging Face's TopKLogitsWarper: logits below the k-th largest become -Infinity (ties are kept). 0 = off. */
export function topKFilter(logits: Float32Array, k: number): Float32Array {
  const out = Float32Array.from(logits);
  if (k <= 0 || k >= logits.length) return out;
  const threshold = topEntries([logits], [0], k)[k - 1].score;
  for (let v = 0; v < out.length; v++) if (out[v] < threshold) out[v] = -Infinity;
  return out;
}

/**
 * Hugging Face's TopPLogitsWarper: sort ascending, drop the tokens whose cumulative probability (from the least
 * likely) is <= 1 - topP; the most likely token always stays.
 */
export function topPFilter(logits: Float32Array, topP: number): Float32Array {
  const out = Float32Array.from(logits);
  if (topP >= 1) return out;
  const probs = softmax(logits);
  const finite: number[] = [];
  for (let v = 0; v < logits.length; v++) if (logits[v] > -Infinity) finite.push(v);
  finite.sort((a, b) => logits[a] - logits[b] || b - a);
  let cumulative = 0;
  for (let i = 0; i < finite.length - 1; i++) {
    cumulative += probs[finite[i]];
    if (cumulative > 1 - topP) break;
    out[finite[i]] = -Infinity;
  }
  for (let v = 0; v < logits.length; v++) if (!(logits[v] > -Infinity)) out[v] = -Infinity;
  return out;
}

function maxOf(values: Float32Array): number {
  let max = -Infinity;
  for (let v = 0; v < values.length; v++) if (values[v] > max) max = values[v];
  return max;
}

/** Probabilities exp(logits) / sum(exp(logits)), computed in float64 after subtracting the maximum. */
export function softmax(logits: Float32Array): Float64Array {
  const max = maxOf(logits);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += out[v] = Math.exp(logits[v] - max);
  for (let v = 0; v < logits.length; v++) out[v] /= sum;
  return out;
}

/** log(sum(exp(logits))), computed after subtracting the maximum. */
export function logSumExp(logits: Float32Array): number {
  const max = maxOf(logits);
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += Math.exp(logits[v] - max);
  return max + Math.log(sum);
}

/** values + by, elementwise. */
export function shift(values: Float32Array, by: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let v = 0; v < values.length; v++) out[v] = values[v] + by;
  return out;
}

/** Log-probabilities: logits - logSumExp(logits). */
export function logSoftmax(logits: Float32Array): Float32Array {
  return shift(logits, -logSumExp(logits));
}

/** Index of the largest value (the first one on ties, as torch.argmax). */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
  return best;
}

/** A token drawn from softmax(logits) with a uniform number u in [0, 1) (inverse of the cumulative distribution). */
export function sampleToken(logits: Float32Array, u: number): number {
  const probs = softmax(logits);
  let cumulative = 0;
  let last = 0;
  for (let v = 0; v < probs.length; v++) {
    if (probs[v] === 0) continue;
    cumulative += probs[v];
    last = v;
    if (u < cumulative) return v;
  }
  return last; // u within rounding of 1
}

/**
 * Processors every search applies, in Hugging Face's order: repetition penalty, no repeated n-grams, then min-length
 * EOS suppression. `decoderTokens` is the whole decoder sequence, start token included (Hugging Face's input_ids).
 */
export function processScores(row: Float32Array, decoderTokens: number[], generated: number, o: ResolvedGenerationOptions): Float32Array {
  let out = o.repetitionPenalty === 1 ? row : applyRepetitionPenalty(row, decoderTokens, o.repetitionPenalty);
  if (o.noRepeatNgramSize > 0) out = banRepeatedNgrams(out, decoderTokens, o.noRepeatNgramSize);
  return generated < o.minNewTokens ? suppressEosBeforeMin(out, generated, o.minNewTokens, o.eosTokenIds) : out;
}

/** The sampling warpers, in Hugging Face's order: temperature, top-k, top-p. */
export function warpForSampling(row: Float32Array, o: Pick<ResolvedGenerationOptions, "temperature" | "topK" | "topP">): Float32Array {
  let out = o.temperature === 1 ? row : applyTemperature(row, o.temperature);
  if (o.topK > 0) out = topKFilter(out, o.topK);
  if (o.topP < 1) out = topPFilter(out, o.topP);
  return out;
}
