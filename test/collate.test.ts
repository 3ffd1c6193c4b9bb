import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import {
  batchIndices,
  collate,
  makeBatches,
  paddingReport,
  TokenEncoder,
  tokenizeDraws,
  tokenizeExamples,
  truncateIds,
} from "../src/data/collate";
import { loadTokenizer } from "../src/io/tokenizer";
import { Random } from "../src/random";

/** One id per word (3 + word length), then </s> = 1: lengths are easy to count by hand. */
const words: TokenEncoder = {
  eosTokenId: 1,
  padTokenId: 0,
  encode: (text) => [...text.split(/\s+/).filter((w) => w !== "").map((w) => 3 + w.length), 1],
};

const example = (input: string, target: string, i = 0) => ({ input, target, recordId: `r${i}`, templateId: "t" });

test("truncateIds keeps the final </s> and leaves short sequences alone", () => {
  assert.deepEqual(truncateIds([5, 6, 7, 8, 1], 3, 1), [5, 6, 1]);
  assert.deepEqual(truncateIds([5, 6, 1], 3, 1), [5, 6, 1]);
  assert.deepEqual(truncateIds([5, 6, 7, 1], 1, 1), [1]);
  assert.throws(() => truncateIds([5, 1], 0, 1), /integer >= 1/);
});

test("tokenizeExamples cuts to the budgets and counts what it cut", () => {
  const { examples, report } = tokenizeExamples(
    [example("a bb ccc dddd", "x y", 0), example("a", "one two three four", 1), example("a b c d e f", "x y z w v", 2)],
    words,
    { maxInputTokens: 4, maxTargetTokens: 3 },
  );
  assert.deepEqual(examples[0].inputIds, [4, 5, 6, 1]); // 5 ids -> 4
  assert.deepEqual(examples[0].labels, [4, 4, 1]);
  assert.deepEqual(examples[1].inputIds, [4, 1]);
  assert.deepEqual(examples[1].labels, [6, 6, 1]);
  assert.deepEqual(examples.map((e) => [e.inputTruncated, e.targetTruncated]), [[true, false], [false, true], [true, true]]);
  assert.deepEqual(report, { examples: 3, truncatedInputs: 2, truncatedTargets: 2, inputTokensDropped: 1 + 3, targetTokensDropped: 2 + 3 });
  assert.equal(examples[2].recordId, "r2");
  for (const e of examples) {
    assert.equal(e.inputIds[e.inputIds.length - 1], 1);
    assert.equal(e.labels[e.labels.length - 1], 1);
  }
});

test("tokenizeDraws uses each draw's task budgets unless overridden", () => {
  const draws = [
    { task: { maxInputTokens: 2, maxTargetTokens: 8 }, example: example("a b c", "x", 0) },
    { task: { maxInputTokens: 8, maxTargetTokens: 2 }, example: example("a b c", "x y z", 1) },
  ];
  const own = tokenizeDraws(draws, words);
  assert.deepEqual(own.examples.map((e) => [e.inputIds.length, e.labels.length]), [[2, 2], [4, 2]]);
  assert.equal(own.report.truncatedInputs, 1);
  assert.equal(own.report.truncatedTargets, 1);
  const wide = tokenizeDraws(draws, words, { maxInputTokens: 100 });
  assert.deepEqual(wide.examples.map((e) => e.inputIds.length), [4, 4]);
  assert.equal(wide.report.truncatedTargets, 1);
});

test("batches pad to their own longest row with 0, labels with -100; collate() is unchanged", () => {
  const { examples } = tokenizeExamples([example("a b c d e", "x"), example("a", "x y z")], words, { maxInputTokens: 99, maxTargetTokens: 99 });
  const [batch] = makeBatches(examples, { batchSize: 2 });
  assert.deepEqual(batch.inputIds, [[4, 4, 4, 4, 4, 1], [4, 1, 0, 0, 0, 0]]);
  assert.deepEqual(batch.attentionMask, [[1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0]]);
  assert.deepEqual(batch.labels, [[4, 1, -100, -100], [4, 4, 4, 1]]);
  assert.deepEqual(batch.decoderInputIds, [[0, 4, 1, 0], [0, 4, 4, 4]]);
  assert.deepEqual(batch, collate(examples));
});

test("batchIndices: order kept without a seed, seeded shuffles, dropLast", () => {
  const lengths = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(batchIndices(lengths, { batchSize: 4 }), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(batchIndices(lengths, { batchSize: 4, dropLast: true }), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  const a = batchIndices(lengths, { batchSize: 3, seed: 1 });
  assert.deepEqual(a, batchIndices(lengths, { batchSize: 3, seed: 1 }));
  assert.notDeepEqual(a, batchIndices(lengths, { batchSize: 3, seed: 2 }));
  assert.deepEqual(a.flat().sort((x, y) => x - y), lengths);
  assert.throws(() => batchIndices(lengths, { batchSize: 0 }), /batchSize must be an integer >= 1/);
  assert.throws(() => batchIndices(lengths, { batchSize: 2, bucketing: true }), /bucketing needs a seed/);
});

test("length bucketing: every example once, similar lengths together, deterministic, far less padding", () => {
  const random = new Random(9);
  const lengths = Array.from({ length: 1000 }, () => random.int(5, 200));
  const plain = batchIndices(lengths, { batchSize: 16, seed: 4 });
  const bucketed = batchIndices(lengths, { batchSize: 16, seed: 4, bucketing: true, bucketWindow: 20 });
  assert.deepEqual(bucketed, batchIndices(lengths, { batchSize: 16, seed: 4, bucketing: true, bucketWindow: 20 }));
  assert.notDeepEqual(bucketed, batchIndices(lengths, { batchSize: 16, seed: 5, bucketing: true, bucketWindow: 20 }));
  assert.deepEqual(bucketed.flat().sort((x, y) => x - y), lengths.map((_, i) => i));
  const spread = (batches: number[][]) => batches.reduce((s, b) => s + Math.max(...b.map((i) => lengths[i])) - Math.min(...b.map((i) => lengths[i])), 0) / batches.length;
  assert.ok(spread(bucketed) < spread(plain) / 5, `length spread per batch: bucketed ${spread(bucketed)}, plain ${spread(plain)}`);
  // the batch order is shuffled, not sorted by length
  const firstLengths = bucketed.map((b) => lengths[b[0]]);
  assert.notDeepEqual(firstLengths, [...firstLengths].sort((x, y) => x - y));
  const examples = lengths.map((n) => ({ inputIds: new Array<number>(n).fill(5), labels: [5, 1] }));
  assert.ok(paddingReport(examples, bucketed).paddingShare < paddingReport(examples, plain).paddingShare / 3);
});

test("with the quickstart tokenizer: budgets keep </s>, counts match a direct encode", async () => {
  const tokenizer = await loadTokenizer(path.join(__dirname, "..", "models", "quickstart-tokenizer"));
  const texts = [example("Summarize: Customer: my order 12345 came broken. Agent: I will send a new one.", "The agent replaces a broken order."), example("Rate: great", "5")];
  const { examples, report } = tokenizeExamples(texts, tokenizer, { maxInputTokens: 8, maxTargetTokens: 4 });
  assert.equal(examples[0].inputIds.length, 8);
  assert.deepEqual(examples[0].inputIds.slice(0, 7), tokenizer.encode(texts[0].input).slice(0, 7));
  assert.equal(examples[0].inputIds[7], tokenizer.eosTokenId);
  assert.deepEqual(examples[1].inputIds, tokenizer.encode("Rate: great"));
  assert.equal(report.truncatedInputs, 1);
  assert.equal(report.truncatedTargets, 1);
  assert.equal(report.inputTokensDropped, tokenizer.encode(texts[0].input).length - 8);
});
