import * as assert from "node:assert/strict";
import { test } from "node:test";
import { restoreSpans, spanCorruptionLengths } from "../src/data/span-corruption";
import { SpanCorruptionBatches, concatenatedChunks } from "../src/train/span-corruption-batches";

const SENTINELS = { vocabSize: 200, extraIds: 20 };
const INPUTS = 24;
const RAW = spanCorruptionLengths(INPUTS).tokensLength;

function chunks(count: number): number[][] {
  return Array.from({ length: count }, (_, c) => Array.from({ length: RAW }, (_, i) => 2 + ((c * 31 + i * 7) % 170)));
}

test("concatenatedChunks joins documents without their EOS and cuts fixed lengths", () => {
  assert.deepEqual(concatenatedChunks([[5, 6, 1], [7, 1], [8, 9, 10, 1]], 2), [[5, 6], [7, 8], [9, 10]]);
  assert.deepEqual(concatenatedChunks([[5, 6, 7, 1]], 2), [[5, 6]], "the remainder is left out");
  assert.throws(() => concatenatedChunks([[5]], 0), /chunk length must be a positive integer/);
});

test("span-corruption batches: fixed lengths, lossless, deterministic, resumable, new masks each epoch", () => {
  const data = chunks(5);
  const source = new SpanCorruptionBatches(data, 3, { ...SENTINELS, inputsLength: INPUTS });
  const batch = source.next(4);
  assert.equal(batch.inputIds.length, 4);
  const { inputsLength, targetsLength } = spanCorruptionLengths(INPUTS);
  for (let row = 0; row < 4; row++) {
    assert.equal(batch.inputIds[row].length, inputsLength);
    assert.equal(batch.labels[row].length, targetsLength);
    const restored = restoreSpans({ inputIds: batch.inputIds[row], labels: batch.labels[row] }, SENTINELS);
    assert.ok(data.some((chunk) => JSON.stringify(chunk) === JSON.stringify(restored)), "inputs and targets give a chunk back");
  }
  const saved = source.state();
  const following = [source.next(3), source.next(3)];
  const resumed = new SpanCorruptionBatches(data, 3, { ...SENTINELS, inputsLength: INPUTS });
  resumed.restore(saved);
  assert.deepEqual([resumed.next(3), resumed.next(3)], following, "a restored source continues with the same batches");
  const again = new SpanCorruptionBatches(data, 3, { ...SENTINELS, inputsLength: INPUTS });
  assert.deepEqual(again.next(4), batch, "same seed, same stream");
  const epochs = new SpanCorruptionBatches(data, 3, { ...SENTINELS, inputsLength: INPUTS });
  const first = epochs.next(5);
  const second = epochs.next(5);
  assert.notDeepEqual(first.inputIds, second.inputIds, "the next epoch masks differently");
  assert.throws(() => new SpanCorruptionBatches([[1, 2]], 0, { ...SENTINELS, inputsLength: INPUTS }), /chunk 0 has 2 ids/);
});
