import * as assert from "node:assert/strict";
import { test } from "node:test";
import { randomSpansNoiseMask, sentinelIndex, spanCorrupt, spanCorruptionLengths } from "../src/data/span-corruption";
import { DEFAULT_INFILLING_NOISE_DENSITY, textInfilling } from "../src/data/text-infilling";
import { Random } from "../src/random";
import { SpanCorruptionBatches, isTextInfillingBatch } from "../src/train/span-corruption-batches";

const SENTINELS = { vocabSize: 200, extraIds: 20 };
const tokens = Array.from({ length: 40 }, (_, i) => 2 + ((i * 13) % 170));

test("text infilling: span corruption's inputs at BART's density, the whole sequence as target", () => {
  const example = textInfilling(tokens, new Random(7), SENTINELS);
  assert.deepEqual(example.labels, [...tokens, 1], "the target is every token, then EOS");
  const noise = randomSpansNoiseMask(tokens.length, new Random(7), { noiseDensity: DEFAULT_INFILLING_NOISE_DENSITY });
  const sentinels = example.inputIds.filter((id) => sentinelIndex(SENTINELS, id) >= 0);
  assert.equal(sentinels.length, noise.filter((n, i) => n && (i === 0 || !noise[i - 1])).length, "one sentinel per noise span");
  assert.deepEqual(sentinels, sentinels.map((_, k) => SENTINELS.vocabSize - 1 - k), "<extra_id_0>, <extra_id_1>, ... in order");
  assert.deepEqual(example.inputIds.filter((id) => sentinelIndex(SENTINELS, id) < 0 && id !== 1), tokens.filter((_, i) => !noise[i]), "the kept tokens, in order");
  const sameMask = spanCorrupt(tokens, new Random(7), { ...SENTINELS, noiseDensity: DEFAULT_INFILLING_NOISE_DENSITY });
  assert.deepEqual(example.inputIds, sameMask.inputIds, "the inputs are span corruption's for the same mask");
});

test("text infilling rejects sentinel ids among the tokens and an empty sequence", () => {
  assert.throws(() => textInfilling([5, 199, 6], new Random(1), SENTINELS), /token 1 is 199/);
  assert.throws(() => textInfilling([], new Random(1), SENTINELS), /no tokens/);
});

test("pretraining batches interleave text infilling at its share, deterministically and resumably", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => isTextInfillingBatch(n, 0.5)), [false, true, false, true, false, true]);
  assert.equal([...Array(100).keys()].filter((n) => isTextInfillingBatch(n, 0.25)).length, 25);
  assert.ok([...Array(50).keys()].every((n) => !isTextInfillingBatch(n, 0)));
  const raw = spanCorruptionLengths(24).tokensLength;
  const chunks = Array.from({ length: 6 }, (_, c) => Array.from({ length: raw }, (_, i) => 2 + ((c * 31 + i * 7) % 170)));
  const options = { ...SENTINELS, inputsLength: 24, textInfillingShare: 0.5 };
  const source = new SpanCorruptionBatches(chunks, 3, options);
  const first = source.next(2);
  const second = source.next(2);
  assert.ok(first.labels.every((row) => row.length === spanCorruptionLengths(24).targetsLength), "batch 0: span corruption");
  assert.ok(second.labels.every((row) => row.length === raw + 1 && chunks.some((c) => JSON.stringify([...c, 1]) === JSON.stringify(row))), "batch 1: a whole chunk as target");
  const saved = source.state();
  const following = [source.next(2), source.next(2)];
  const resumed = new SpanCorruptionBatches(chunks, 3, options);
  resumed.restore(saved);
  assert.deepEqual([resumed.next(2), resumed.next(2)], following);
  assert.throws(() => new SpanCorruptionBatches(chunks, 3, { ...options, textInfillingShare: 2 }), /textInfillingShare must be in \[0, 1\]/);
});
