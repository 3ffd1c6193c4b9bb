import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../src/random";
import {
  corruptedInputs,
  corruptedLengths,
  fixedLengthChunks,
  joinDocuments,
  noiseCounts,
  randomSegmentation,
  randomSpansNoiseMask,
  restoreSpans,
  roundHalfToEven,
  sentinelId,
  sentinelIndex,
  spanCorrupt,
  spanCorruptionExamples,
  spanCorruptionLengths,
  spanTargets,
  type Sentinels,
} from "../src/data/span-corruption";

// A vocabulary of 100 ids whose last 10 are sentinels: <extra_id_0> = 99, <extra_id_1> = 98, ...
const VOCAB: Sentinels = { vocabSize: 100, extraIds: 10 };
const OPTIONS = { ...VOCAB };
const [S0, S1, S2] = [99, 98, 97];
const EOS = 1;

/** `length` ids from 3 up (no pad, EOS or unk, no sentinel). */
const ids = (length: number, from = 3): number[] => Array.from({ length }, (_, i) => from + (i % 80));

/** Runs of noise tokens: their lengths in order. */
function noiseRuns(mask: readonly boolean[]): number[] {
  const runs: number[] = [];
  mask.forEach((noise, i) => {
    if (!noise) return;
    if (i === 0 || !mask[i - 1]) runs.push(0);
    runs[runs.length - 1]++;
  });
  return runs;
}

describe("hand-checked cases", () => {
  test("the paper's example: noise spans become sentinels in the inputs, and lead their span in the targets", () => {
    // "Thank you for inviting me to your party last week ." with "for inviting" and "last" as noise.
    const tokens = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    const noise = [false, false, true, true, false, false, false, false, true, false, false];
    assert.deepEqual(corruptedInputs(tokens, noise, VOCAB), [10, 11, S0, 14, 15, 16, 17, S1, 19, 20]);
    // The text ends with non-noise ("week ."), so the targets end with a third sentinel, as in the paper's figure.
    assert.deepEqual(spanTargets(tokens, noise, VOCAB), [S0, 12, 13, S1, 18, S2]);
  });

  test("T5's rounding: halves go to the even neighbor", () => {
    assert.deepEqual([0.5, 1.5, 2.5, 4.5, 4.4, 4.6, 7].map(roundHalfToEven), [0, 2, 2, 4, 4, 5, 7]);
    assert.deepEqual(noiseCounts(10), { noiseTokens: 2, nonNoiseTokens: 8, spans: 1 }); // round(1.5) = 2
    assert.deepEqual(noiseCounts(30), { noiseTokens: 4, nonNoiseTokens: 26, spans: 1 }); // round(4.5) = 4
    assert.deepEqual(noiseCounts(100), { noiseTokens: 15, nonNoiseTokens: 85, spans: 5 });
    assert.deepEqual(noiseCounts(568), { noiseTokens: 85, nonNoiseTokens: 483, spans: 28 });
  });

  test("one span: the mask is fixed (non-noise first, noise at the end), whatever the seed", () => {
    const tokens = ids(20); // 3 noise tokens, 1 span
    for (const seed of [1, 2, 3]) {
      const example = spanCorrupt(tokens, new Random(seed), OPTIONS);
      assert.deepEqual(example.inputIds, [...tokens.slice(0, 17), S0, EOS]);
      assert.deepEqual(example.labels, [S0, ...tokens.slice(17), EOS]);
    }
  });

  test("density 0.5 with span length 1 alternates token by token", () => {
    const mask = randomSpansNoiseMask(10, new Random(5), { noiseDensity: 0.5, meanNoiseSpanLength: 1 });
    assert.deepEqual(mask, [false, true, false, true, false, true, false, true, false, true]);
    const example = spanCorrupt([10, 11, 12, 13, 14, 15, 16, 17, 18, 19], new Random(5), { ...OPTIONS, noiseDensity: 0.5, meanNoiseSpanLength: 1 });
    assert.deepEqual(example.inputIds, [10, S0, 12, S1, 14, S2, 16, 96, 18, 95, EOS]);
    assert.deepEqual(example.labels, [S0, 11, S1, 13, S2, 15, 96, 17, 95, 19, EOS]);
  });

  test("sentinel ids count down from the last id", () => {
    assert.equal(sentinelId(VOCAB, 0), 99);
    assert.equal(sentinelId(VOCAB, 9), 90);
    assert.equal(sentinelIndex(VOCAB, 97), 2);
    assert.equal(sentinelIndex(VOCAB, 89), -1);
    assert.throws(() => sentinelId(VOCAB, 10), /<extra_id_10> does not exist \(the vocabulary has 10 sentinels\)/);
  });
});

describe("properties over many seeds", () => {
  test("inputs and targets give back the original tokens; masks start with non-noise and end with noise", () => {
    const lengths = new Random(11);
    for (let seed = 0; seed < 400; seed++) {
      const length = lengths.int(1, 300);
      const tokens = Array.from({ length }, () => lengths.int(0, 49));
      const random = new Random(seed);
      const example = spanCorrupt(tokens, random, { vocabSize: 100, extraIds: 50 });
      assert.deepEqual(restoreSpans(example, { vocabSize: 100, extraIds: 50 }), tokens, `seed ${seed}, length ${length}`);
      assert.equal(example.inputIds[example.inputIds.length - 1], EOS);
      assert.equal(example.labels[example.labels.length - 1], EOS);
      const mask = randomSpansNoiseMask(length, new Random(seed));
      if (length >= 2) {
        assert.equal(mask[0], false);
        assert.equal(mask[length - 1], true);
        const counts = noiseCounts(length);
        assert.equal(mask.filter(Boolean).length, counts.noiseTokens);
        assert.equal(noiseRuns(mask).length, counts.spans);
      }
    }
  });

  test("about 15% noise in spans of 3 tokens on average, of varied lengths", () => {
    const lengths = new Random(12);
    let tokens = 0;
    let noise = 0;
    const runs: number[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const length = lengths.int(100, 500);
      const mask = randomSpansNoiseMask(length, new Random(seed));
      tokens += length;
      noise += mask.filter(Boolean).length;
      runs.push(...noiseRuns(mask));
    }
    const share = noise / tokens;
    const meanSpan = runs.reduce((a, b) => a + b, 0) / runs.length;
    assert.ok(Math.abs(share - 0.15) < 0.003, `noise share ${share}`);
    assert.ok(Math.abs(meanSpan - 3) < 0.1, `mean span length ${meanSpan}`);
    assert.ok(runs.includes(1) && Math.max(...runs) >= 8, "span lengths vary");
    // A length of 200 is exact: 30 noise tokens in 10 spans.
    const exact = randomSpansNoiseMask(200, new Random(3));
    assert.equal(exact.filter(Boolean).length, 30);
    assert.equal(noiseRuns(exact).length, 10);
  });

  test("sentinels appear in order, <extra_id_0> first, the same ones in inputs and targets", () => {
    const example = spanCorrupt(ids(200), new Random(4), OPTIONS);
    const sentinels = (row: number[]) => row.filter((id) => id >= 90);
    assert.deepEqual(sentinels(example.inputIds), [99, 98, 97, 96, 95, 94, 93, 92, 91, 90]);
    assert.deepEqual(sentinels(example.labels), sentinels(example.inputIds));
    assert.equal(example.inputIds.length, 170 + 10 + 1);
    assert.equal(example.labels.length, 30 + 10 + 1);
  });

  test("the same seed gives the same example; other seeds give other masks", () => {
    const tokens = ids(200);
    const a = spanCorrupt(tokens, new Random(42), OPTIONS);
    assert.deepEqual(spanCorrupt(tokens, new Random(42), OPTIONS), a);
    const masks = new Set(Array.from({ length: 20 }, (_, seed) => randomSpansNoiseMask(200, new Random(seed)).map(Number).join("")));
    assert.equal(masks.size, 20);
  });

  test("a random segmentation makes every split equally likely", () => {
    const random = new Random(9);
    const firsts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) {
      const parts = randomSegmentation(random, 5, 2);
      assert.equal(parts[0] + parts[1], 5);
      firsts[parts[0] - 1]++;
    }
    for (const n of firsts) assert.ok(Math.abs(n / 8000 - 0.25) < 0.02, `first-part frequencies ${firsts}`);
    assert.deepEqual(randomSegmentation(random, 4, 4), [1, 1, 1, 1]);
    assert.deepEqual(randomSegmentation(random, 7, 1), [7]);
  });
});

describe("lengths (T5's random_spans_helper)", () => {
  test("T5's standard 512 -> 568 raw tokens, targets 114; and other lengths", () => {
    assert.deepEqual(spanCorruptionLengths(512), { tokensLength: 568, inputsLength: 512, targetsLength: 114 });
    assert.deepEqual(spanCorruptionLengths(256), { tokensLength: 284, inputsLength: 256, targetsLength: 58 });
    assert.deepEqual(spanCorruptionLengths(128), { tokensLength: 141, inputsLength: 128, targetsLength: 29 });
    assert.deepEqual(spanCorruptionLengths(64), { tokensLength: 70, inputsLength: 64, targetsLength: 14 });
    // T5's density-0.5 tweak: one token less, so that targets are not longer than inputs.
    assert.deepEqual(spanCorruptionLengths(128, { noiseDensity: 0.5 }), { tokensLength: 190, inputsLength: 128, targetsLength: 128 });
    // Short lengths: T5's helper would count 0 spans for 8 tokens; ours counts as the mask does (at least 1).
    assert.deepEqual(spanCorruptionLengths(8), { tokensLength: 7, inputsLength: 8, targetsLength: 3 });
    assert.deepEqual(spanCorruptionLengths(3), { tokensLength: 2, inputsLength: 3, targetsLength: 3 });
  });

  test("the helper's length is the largest that fits, and examples come out at exactly its lengths", () => {
    for (let inputsLength = 3; inputsLength <= 300; inputsLength++) {
      const { tokensLength, inputsLength: got } = spanCorruptionLengths(inputsLength);
      assert.ok(got <= inputsLength && got >= inputsLength - 1, `inputs ${got} for ${inputsLength}`);
      assert.ok(corruptedLengths(tokensLength + 1).inputsLength > inputsLength, `${tokensLength + 1} tokens would fit ${inputsLength}`);
    }
    const random = new Random(21);
    const stream = Array.from({ length: 5000 }, () => random.int(0, 69));
    for (const inputsLength of [3, 16, 32, 100]) {
      const batch = spanCorruptionExamples(stream, new Random(inputsLength), { ...OPTIONS, extraIds: 30, inputsLength });
      assert.equal(batch.examples.length, Math.floor(5000 / batch.tokensLength));
      assert.equal(batch.droppedTokens, 5000 % batch.tokensLength);
      for (const example of batch.examples) {
        assert.equal(example.inputIds.length, batch.inputsLength);
        assert.equal(example.labels.length, batch.targetsLength);
      }
      const restored = batch.examples.flatMap((e) => restoreSpans(e, { vocabSize: 100, extraIds: 30 }));
      assert.deepEqual(restored, stream.slice(0, 5000 - batch.droppedTokens));
    }
  });

  test("documents join with one EOS each; chunks have exactly the asked length", () => {
    assert.deepEqual(joinDocuments([[5, 6, EOS], [7], [8, 9, EOS]]), [5, 6, EOS, 7, EOS, 8, 9, EOS]);
    assert.deepEqual(joinDocuments([]), []);
    assert.deepEqual(fixedLengthChunks([1, 2, 3, 4, 5, 6, 7], 3), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(fixedLengthChunks([1, 2], 3), []);
  });
});

describe("edge cases and invalid arguments", () => {
  test("lengths 1 to 3", () => {
    // T5 counts a 1-token sequence as 2 tokens (1 noise) and drops the second: no noise is left.
    assert.deepEqual(randomSpansNoiseMask(1, new Random(1)), [false]);
    const one = spanCorrupt([7], new Random(1), OPTIONS);
    assert.deepEqual(one, { inputIds: [7, EOS], labels: [S0, EOS] });
    assert.deepEqual(restoreSpans(one, VOCAB), [7]);
    assert.deepEqual(spanCorrupt([7, 8], new Random(1), OPTIONS), { inputIds: [7, S0, EOS], labels: [S0, 8, EOS] });
    assert.deepEqual(spanCorrupt([7, 8, 9], new Random(1), OPTIONS), { inputIds: [7, 8, S0, EOS], labels: [S0, 9, EOS] });
  });

  test("density extremes", () => {
    // 0: no noise at all (newer T5 versions); the targets are a lone sentinel.
    assert.deepEqual(spanCorrupt([7, 8, 9], new Random(1), { ...OPTIONS, noiseDensity: 0 }), { inputIds: [7, 8, 9, EOS], labels: [S0, EOS] });
    // 1: all but one token; spans are capped at the one non-noise token (T5 would fail here).
    const mask = randomSpansNoiseMask(12, new Random(2), { noiseDensity: 1 });
    assert.deepEqual(mask, [false, ...new Array(11).fill(true)]);
    const tokens = ids(12);
    assert.deepEqual(restoreSpans(spanCorrupt(tokens, new Random(2), { ...OPTIONS, noiseDensity: 1 }), VOCAB), tokens);
    // A huge mean span length: one span.
    assert.equal(noiseRuns(randomSpansNoiseMask(300, new Random(3), { meanNoiseSpanLength: 1000 })).length, 1);
  });

  test("clear errors for invalid arguments", () => {
    const random = new Random(1);
    assert.throws(() => spanCorrupt([], random, OPTIONS), /the number of tokens must be an integer >= 1, got 0/);
    assert.throws(() => spanCorrupt([3], random, { ...OPTIONS, noiseDensity: -0.1 }), /noiseDensity must be a number in \[0, 1\], got -0.1/);
    assert.throws(() => spanCorrupt([3], random, { ...OPTIONS, noiseDensity: 1.5 }), /noiseDensity must be a number in \[0, 1\], got 1.5/);
    assert.throws(() => spanCorrupt([3], random, { ...OPTIONS, noiseDensity: NaN }), /noiseDensity/);
    assert.throws(() => spanCorrupt([3], random, { ...OPTIONS, meanNoiseSpanLength: 0.5 }), /meanNoiseSpanLength must be a number >= 1, got 0.5/);
    assert.throws(() => spanCorrupt([3, 95], random, OPTIONS), /token 1 is 95; ids must be integers in \[0, 89\] \(ids from 90 on are the 10 sentinels\)/);
    assert.throws(() => spanCorrupt([3, 2.5], random, OPTIONS), /token 1 is 2.5/);
    assert.throws(() => spanCorrupt([3], random, { vocabSize: 1, extraIds: 1 }), /vocabSize must be an integer >= 2, got 1/);
    assert.throws(() => spanCorrupt([3], random, { vocabSize: 100, extraIds: 0 }), /extraIds must be an integer in \[1, vocabSize - 1\]/);
    assert.throws(() => spanCorrupt([3], random, { vocabSize: 100, extraIds: 100 }), /extraIds must be an integer in \[1, vocabSize - 1\] = \[1, 99\], got 100/);
    assert.throws(() => spanCorrupt(ids(200), random, { vocabSize: 100, extraIds: 3 }), /200 tokens give 10 noise spans, which need 10 sentinels; the vocabulary has 3/);
    assert.throws(() => spanCorruptionLengths(2), /inputsLength must be an integer >= 3/);
    assert.throws(() => spanCorruptionLengths(64, { noiseDensity: 0 }), /needs noiseDensity > 0/);
    assert.throws(() => randomSegmentation(random, 3, 4), /cannot split 3 items into 4 non-empty segments/);
    assert.throws(() => randomSpansNoiseMask(0, random), /length must be an integer >= 1, got 0/);
    assert.throws(() => fixedLengthChunks([1, 2], 0), /chunk length must be an integer >= 1/);
    assert.throws(() => restoreSpans({ inputIds: [3, S1, EOS], labels: [S0, 4, EOS] }, VOCAB), /inputs hold <extra_id_1> but the targets do not/);
  });
});
