import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { collate } from "../src/data/collate";
import {
  type LabelEncoder,
  rankClassification,
  sequenceLogLikelihoods,
  teacherForcedAccuracy,
  teacherForcedScoresFromLogits,
} from "../src/eval/likelihood";
import { seq2seqLoss } from "../src/model/loss";
import { ParamMap, disposeParams, initParams } from "../src/model/params";
import { T5Model, forward } from "../src/model/t5";
import { TEST_BACKENDS, tinyConfig, useBackend } from "./helpers";

const close = (actual: number, expected: number, label = "", tolerance = 1e-4) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${label}: got ${actual}, expected ${expected}`);

/** A character tokenizer for the 40-id tiny model: a-z -> 3..28, space -> 29, anything else -> 30, then </s> (1). */
const charTokenizer: LabelEncoder = {
  eosTokenId: 1,
  encode(text: string): number[] {
    const ids = [...text.toLowerCase()].map((ch) => (ch >= "a" && ch <= "z" ? ch.charCodeAt(0) - 94 : ch === " " ? 29 : 30));
    return [...ids, 1];
  },
};

/** Runs fn and checks that it leaves the number of live tensors as it found it. */
function noLeak<T>(fn: () => T, label: string): T {
  const before = tf.memory().numTensors;
  const out = fn();
  assert.equal(tf.memory().numTensors, before, `${label} leaked tensors`);
  return out;
}

/** -(mean cross-entropy) x tokens of one (input, target) pair through forward() and seq2seqLoss, unbatched. */
function referenceLogLikelihood(model: T5Model, input: number[], target: number[]): number {
  const batch = collate([{ inputIds: input, labels: target }]);
  return tf.tidy(() => {
    const logits = forward(
      model,
      tf.tensor2d(batch.inputIds, undefined, "int32"),
      tf.tensor2d(batch.attentionMask, undefined, "int32"),
      tf.tensor2d(batch.decoderInputIds, undefined, "int32"),
    );
    return -seq2seqLoss(logits, tf.tensor2d(batch.labels, undefined, "int32")).dataSync()[0] * target.length;
  });
}

describe("teacher-forced scores from hand-made logits", () => {
  before(() => useBackend("cpu"));

  test("token accuracy (first index on ties) and mean log-likelihood", () => {
    const logits = tf.tensor3d([
      [[0, 2, 0, 0], [1, 0, 0, 0], [5, 0, 0, 0]],
      [[0, 0, 0, 3], [0, 0, 0, 0], [0, 0, 0, 0]],
    ]);
    const labels = [[1, 2, -100], [3, 0, -100]];
    const scores = noLeak(() => teacherForcedScoresFromLogits(logits, labels), "scores");
    // right: row 0 t0 (argmax 1), row 1 t0 (argmax 3), row 1 t1 (tie -> 0); wrong: row 0 t1 (argmax 0, label 2)
    assert.equal(scores.tokens, 4);
    assert.equal(scores.correct, 3);
    assert.equal(scores.accuracy, 0.75);
    const expected = (2 - Math.log(Math.exp(2) + 3) + (0 - Math.log(Math.E + 3)) + (3 - Math.log(Math.exp(3) + 3)) - Math.log(4)) / 4;
    close(scores.meanLogLikelihood, expected, "mean log-likelihood", 1e-6);
    assert.throws(() => teacherForcedScoresFromLogits(logits, [[-100, -100, -100], [-100, -100, -100]]), /no target tokens/);
    assert.throws(() => teacherForcedScoresFromLogits(logits, [[1, 2]]), /do not match/);
    logits.dispose();
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`likelihood scoring on ${backend}`, () => {
    const config = tinyConfig();
    let params: ParamMap;
    let model: T5Model;
    before(async () => {
      await useBackend(backend);
      params = initParams(config, 7);
      model = { config, params };
    });
    after(() => disposeParams(params));

    const inputs = [[5, 6, 7, 8, 1], [11, 12, 1], [16, 17, 18, 19, 20, 21, 1], [23, 1]];
    const candidates = [[9, 10, 1], [13, 14, 15, 1], [22, 1], [25, 26, 27, 28, 1]];

    test("sequenceLogLikelihoods = minus the summed cross-entropy of forward() + seq2seqLoss", () => {
      const batched = noLeak(() => sequenceLogLikelihoods(model, inputs, candidates, { batchSize: 3 }), "batched");
      assert.equal(batched.length, 4);
      inputs.forEach((input, i) => close(batched[i], referenceLogLikelihood(model, input, candidates[i]), `pair ${i}`));
      assert.ok(batched.every((v) => v < 0));
    });

    test("batching and padding change nothing: batch sizes 1, 2 and 16 agree", () => {
      const one = sequenceLogLikelihoods(model, inputs, candidates, { batchSize: 1 });
      for (const batchSize of [2, 16]) {
        const other = sequenceLogLikelihoods(model, inputs, candidates, { batchSize });
        other.forEach((v, i) => close(v, one[i], `batch ${batchSize} pair ${i}`, 1e-5));
      }
    });

    test("sequenceLogLikelihoods rejects mismatched or empty rows and bad ids", () => {
      const live = tf.memory().numTensors;
      assert.throws(() => sequenceLogLikelihoods(model, inputs, candidates.slice(1)), /4 inputs but 3 candidates/);
      assert.throws(() => sequenceLogLikelihoods(model, [[]], [[1]]), /input 0 is empty/);
      assert.throws(() => sequenceLogLikelihoods(model, [[2, 1]], [[]]), /candidate 0 is empty/);
      assert.throws(() => sequenceLogLikelihoods(model, [[2, 1]], [[99, 1]]), /outside the vocabulary/);
      assert.throws(() => sequenceLogLikelihoods(model, [[2, 1]], [[3, 1]], { batchSize: 0 }), /batchSize/);
      assert.equal(tf.memory().numTensors, live, "a failed call leaves no tensors behind");
    });

    const texts = ["great product", "it broke after a day", "okay i guess", "", "x"];
    const labelSet = ["positive", "negative", "neutral", "no"];

    test("rank classification: every label scored as sequenceLogLikelihoods does; the argmax wins; gold ranks", () => {
      const gold = ["positive", "Negative", "neutral", "no", "positive"];
      const result = noLeak(() => rankClassification(model, charTokenizer, texts, labelSet, { batchSize: 2, gold }), "rank");
      assert.equal(result.logLikelihoods.length, texts.length);
      texts.forEach((text, i) => {
        const expected = sequenceLogLikelihoods(
          model,
          labelSet.map(() => charTokenizer.encode(text)),
          labelSet.map((l) => charTokenizer.encode(l)),
          { batchSize: 1 },
        );
        result.logLikelihoods[i].forEach((v, l) => close(v, expected[l], `input ${i} label ${l}`, 1e-5));
        const row = result.logLikelihoods[i];
        assert.equal(result.predictions[i], labelSet[row.indexOf(Math.max(...row))]);
        const goldScore = row[labelSet.indexOf(gold[i].toLowerCase())];
        assert.equal(result.goldRanks![i], 1 + row.filter((v) => v > goldScore).length);
      });
      assert.ok(result.goldRanks!.every((r) => r >= 1 && r <= labelSet.length));
    });

    test("rank classification: batch sizes agree; length normalization divides by label tokens", () => {
      const a = rankClassification(model, charTokenizer, texts, labelSet, { batchSize: 1 });
      const b = rankClassification(model, charTokenizer, texts, labelSet, { batchSize: 8 });
      a.logLikelihoods.forEach((row, i) => row.forEach((v, l) => close(b.logLikelihoods[i][l], v, `input ${i} label ${l}`, 1e-5)));
      assert.equal(a.goldRanks, undefined);
      const normalized = rankClassification(model, charTokenizer, texts, labelSet, { lengthNormalize: true });
      normalized.logLikelihoods.forEach((row, i) =>
        row.forEach((v, l) => close(v, a.logLikelihoods[i][l] / charTokenizer.encode(labelSet[l]).length, `normalized ${i} ${l}`, 1e-5)),
      );
    });

    test("rank classification: truncation keeps </s>; argument errors", () => {
      const long = "abcdefghij";
      const cut = rankClassification(model, charTokenizer, [long], labelSet, { maxInputTokens: 4 });
      const expected = sequenceLogLikelihoods(model, labelSet.map(() => [3, 4, 5, 1]), labelSet.map((l) => charTokenizer.encode(l)));
      cut.logLikelihoods[0].forEach((v, l) => close(v, expected[l], `truncated label ${l}`, 1e-5));
      assert.throws(() => rankClassification(model, charTokenizer, texts, []), /label set is empty/);
      assert.throws(() => rankClassification(model, charTokenizer, texts, ["yes", "Yes "]), /"Yes " appears twice/);
      assert.throws(() => rankClassification(model, charTokenizer, texts, labelSet, { gold: ["positive"] }), /5 inputs but 1 gold/);
      assert.throws(
        () => rankClassification(model, charTokenizer, ["a"], labelSet, { gold: ["maybe"] }),
        /gold label "maybe" of input 0 is not in the label set/,
      );
    });

    test("teacherForcedAccuracy on a batch = scores from forward()'s logits; mean log-likelihood = -loss", () => {
      const batch = collate(inputs.map((inputIds, i) => ({ inputIds, labels: candidates[i] })));
      const scores = noLeak(() => teacherForcedAccuracy(model, batch), "teacher forcing");
      assert.equal(scores.tokens, candidates.flat().length);
      const { loss, predicted } = tf.tidy(() => {
        const logits = forward(
          model,
          tf.tensor2d(batch.inputIds, undefined, "int32"),
          tf.tensor2d(batch.attentionMask, undefined, "int32"),
          tf.tensor2d(batch.decoderInputIds, undefined, "int32"),
        );
        return {
          loss: seq2seqLoss(logits, tf.tensor2d(batch.labels, undefined, "int32")).dataSync()[0],
          predicted: tf.argMax(logits, -1).arraySync() as number[][],
        };
      });
      let correct = 0;
      batch.labels.forEach((row, b) => row.forEach((id, t) => (correct += id !== -100 && predicted[b][t] === id ? 1 : 0)));
      assert.equal(scores.correct, correct);
      close(scores.accuracy, correct / scores.tokens, "accuracy", 1e-12);
      close(scores.meanLogLikelihood, -loss, "mean log-likelihood", 1e-5);
    });
  });
}
