import { before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../src/io/checkpoint";
import {
  GenerationOptions,
  applyRepetitionPenalty,
  applyTemperature,
  argmax,
  banRepeatedNgrams,
  bannedNgramTokens,
  generate,
  generateWithScores,
  generationOptionsFromConfig,
  logSoftmax,

  processScores,
  resolveGenerationOptions,
  sampleToken,
  suppressEosBeforeMin,
  topKFilter,
  topPFilter,
  warpForSampling,
} from "../src/model/generate";
import { initParams } from "../src/model/params";
import { T5Model, forward } from "../src/model/t5";
import { TEST_BACKENDS, T5_FIXTURES, referenceCases, tinyConfig, useBackend } from "./helpers";
import { mulberry32 } from "../src/random";
import { generationFlagOptions } from "../src/cli/generation-flags";

const f32 = (values: number[]) => Float32Array.from(values);
const close = (a: number, b: number, tolerance = 1e-5) => Math.abs(a - b) <= tolerance;

/** The tokens before and including the first `eos` (the whole row if it never occurs). */
function untilEos(tokens: number[], eos: number): number[] {
  const at = tokens.indexOf(eos);
  return at < 0 ? tokens : tokens.slice(0, at + 1);
}

/** Where the first n-gram of `tokens` that occurred before ends (the index of its last token), or -1 if none repeats. */
function firstRepeatedNgramEnd(tokens: number[], n: number): number {
  const seen = new Set<string>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const ngram = tokens.slice(i, i + n).join(",");
    if (seen.has(ngram)) return i + n - 1;
    seen.add(ngram);
  }
  return -1;
}

/** Rows of a padded batch without their padding. */
function unpad(ids: number[][], mask: number[][]): number[][] {
  return ids.map((row, b) => row.filter((_, t) => mask[b][t] === 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Pure pieces

describe("logit processors (pure functions on one row)", () => {
  test("repetition penalty: logit < 0 ? logit * p : logit / p, once per distinct previous token", () => {
    const out = applyRepetitionPenalty(f32([2, -2, 0.5, -0.5, 3]), [0, 1, 3, 3, 0], 2);
    assert.deepEqual([...out], [1, -4, 0.5, -1, 3]);
  });
  test("repetition penalty < 1 favours repeats; the input row is not modified", () => {
    const row = f32([2, -2]);
    assert.deepEqual([...applyRepetitionPenalty(row, [0, 1], 0.5)], [4, -1]);
    assert.deepEqual([...row], [2, -2]);
  });
  test("min new tokens: every EOS id is -Infinity before the minimum, untouched after", () => {
    const row = f32([1, 2, 3, 4]);
    assert.deepEqual([...suppressEosBeforeMin(row, 1, 2, [1, 3])], [1, -Infinity, 3, -Infinity]);
    assert.deepEqual([...suppressEosBeforeMin(row, 2, 2, [1, 3])], [1, 2, 3, 4]);
  });
  test("processScores: repetition penalty on the decoder tokens, then EOS suppression", () => {
    const o = resolveGenerationOptions({ vocab_size: 4, eos_token_id: 1, pad_token_id: 0, decoder_start_token_id: 0 }, { repetitionPenalty: 2, minNewTokens: 1 });
    assert.deepEqual([...processScores(f32([4, 4, 4, -4]), [0, 3], 0, o)], [2, -Infinity, 4, -8]);
    assert.deepEqual([...processScores(f32([4, 4, 4, -4]), [0, 3], 1, o)], [2, 4, 4, -8]);
  });
  test("banned n-gram tokens: the tokens after earlier occurrences of the last n - 1 tokens", () => {
    // n = 1: every token seen, start token included
    assert.deepEqual(bannedNgramTokens([0, 5, 3, 5], 1), [0, 3, 5]);
    // n = 2: after ..., 5 the bigram (5, 3) exists; (0, 5) starts at the decoder start token and counts too
    assert.deepEqual(bannedNgramTokens([0, 5, 3, 5], 2), [3]);
    assert.deepEqual(bannedNgramTokens([0, 5, 0], 2), [5]);
    assert.deepEqual(bannedNgramTokens([2, 2], 2), [2]);
    // n = 3: every continuation of the last bigram, each once (ascending), however often its trigram occurred
    assert.deepEqual(bannedNgramTokens([4, 7, 9, 4, 7], 3), [9]);
    assert.deepEqual(bannedNgramTokens([4, 7, 9, 4, 7, 2, 4, 7], 3), [2, 9]);
    assert.deepEqual(bannedNgramTokens([4, 7, 9, 4, 7, 9, 4, 7], 3), [9]);
    assert.deepEqual(bannedNgramTokens([4, 7, 9, 7, 4], 3), []); // (7, 4) never came before
    assert.deepEqual(bannedNgramTokens([2, 2, 2], 3), [2]);
    // shorter than n (or n - 1, Hugging Face's cur_len + 1 == ngram_size: no complete n-gram yet): nothing
    assert.deepEqual(bannedNgramTokens([], 1), []);
    assert.deepEqual(bannedNgramTokens([0], 2), []);
    assert.deepEqual(bannedNgramTokens([0, 5], 3), []);
    assert.deepEqual(bannedNgramTokens([1, 2, 3], 3), []);
    // 0 is off
    assert.deepEqual(bannedNgramTokens([3, 3, 3], 0), []);
  });
  test("banRepeatedNgrams: the banned tokens get -Infinity; the input row is not modified", () => {
    const row = f32([1, 2, 3, 4]);
    assert.deepEqual([...banRepeatedNgrams(row, [0, 3, 2, 0, 3], 3)], [1, 2, -Infinity, 4]);
    assert.deepEqual([...banRepeatedNgrams(row, [0, 3, 2, 0, 3], 0)], [1, 2, 3, 4]);
    assert.deepEqual([...row], [1, 2, 3, 4]);
  });
  test("processScores: repetition penalty, then no repeated n-grams, then EOS suppression", () => {
    const config = { vocab_size: 4, eos_token_id: 1, pad_token_id: 0, decoder_start_token_id: 0 };
    const o = resolveGenerationOptions(config, { repetitionPenalty: 2, noRepeatNgramSize: 2, minNewTokens: 3 });
    const row = f32([4, 4, 4, -4]);
    // decoder sequence 0, 3, 0: penalty on 0 and 3, the bigram (0, 3) bans 3, EOS 1 suppressed (2 < 3 generated)
    assert.deepEqual([...processScores(row, [0, 3, 0], 2, o)], [2, -Infinity, 4, -Infinity]);
    assert.deepEqual([...processScores(row, [0, 3, 0], 3, o)], [2, 4, 4, -Infinity]);
    assert.deepEqual([...processScores(row, [0, 3], 1, o)], [2, -Infinity, 4, -8]); // (3, ?) not seen yet
    assert.deepEqual([...row], [4, 4, 4, -4]); // greedy scores tokens on the unprocessed row
  });
  test("temperature divides the logits", () => {
    assert.deepEqual([...applyTemperature(f32([1, -2, 4]), 2)], [0.5, -1, 2]);
    assert.throws(() => applyTemperature(f32([1]), 0), /temperature/);
  });
  test("top-k keeps the k largest and ties with the k-th; 0 or k >= vocab is off", () => {
    assert.deepEqual([...topKFilter(f32([1, 5, 3, 5, 2]), 2)], [-Infinity, 5, -Infinity, 5, -Infinity]);
    assert.deepEqual([...topKFilter(f32([1, 5, 3, 3, 2]), 2)], [-Infinity, 5, 3, 3, -Infinity]);
    assert.deepEqual([...topKFilter(f32([1, 2]), 0)], [1, 2]);
    assert.deepEqual([...topKFilter(f32([1, 2]), 5)], [1, 2]);
  });
  test("top-p drops the least likely tokens whose cumulative probability is <= 1 - p", () => {
    const row = f32([0.5, 0.3, 0.15, 0.05].map(Math.log));
    const kept = (p: number) => [...topPFilter(row, p)].map((x, v) => (x > -Infinity ? v : -1)).filter((v) => v >= 0);
    assert.deepEqual(kept(0.75), [0, 1]);
    assert.deepEqual(kept(0.9), [0, 1, 2]);
    assert.deepEqual(kept(1e-6), [0]); // the most likely token always stays
    assert.deepEqual(kept(1), [0, 1, 2, 3]);
    // tokens already filtered (-Infinity, e.g. by top-k) stay filtered
    assert.deepEqual([...topPFilter(f32([0, -Infinity, 0]), 0.9)], [0, -Infinity, 0]);
  });
  test("warpers in Hugging Face's order: temperature, then top-k, then top-p", () => {
    const row = f32([4, 2, 0, -2]);
    const warped = warpForSampling(row, { temperature: 2, topK: 3, topP: 1 });
    assert.deepEqual([...warped], [2, 1, 0, -Infinity]);
  });
  test("log-softmax, argmax (first on ties), sampling by inverse CDF", () => {
    const lp = logSoftmax(f32([0, Math.log(3)]));
    assert.ok(close(lp[0], Math.log(0.25)) && close(lp[1], Math.log(0.75)));
    assert.equal(argmax(f32([1, 3, 3, 2])), 1);
    const row = f32([Math.log(0.25), Math.log(0.75), -Infinity]);
    assert.equal(sampleToken(row, 0), 0);
    assert.equal(sampleToken(row, 0.2499), 0);
    assert.equal(sampleToken(row, 0.2501), 1);
    assert.equal(sampleToken(row, 0.99999), 1); // never the -Infinity token
  });
  test("mulberry32: deterministic per seed, uniform in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(draws.slice(0, 5), Array.from({ length: 5 }, () => b()));
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
    assert.notEqual(mulberry32(1)(), mulberry32(2)());
  });
});

describe("resolveGenerationOptions", () => {
  const config = { vocab_size: 100, eos_token_id: 1, pad_token_id: 0, decoder_start_token_id: 0 };
  test("defaults: Hugging Face's, token ids from the model config", () => {
    assert.deepEqual(resolveGenerationOptions(config), {
      maxNewTokens: 20,
      minNewTokens: 0,
      numBeams: 1,
      lengthPenalty: 1,
      earlyStopping: false,
      doSample: false,
      temperature: 1,
      topK: 50,
      topP: 1,
      seed: 0,
      repetitionPenalty: 1,
      noRepeatNgramSize: 0,
      stopAtEos: true,
      useCache: true,
      eosTokenIds: [1],
      padTokenId: 0,
      decoderStartTokenId: 0,
    });
  });
  test("given options win; undefined ones keep the default", () => {
    const o = resolveGenerationOptions(config, { maxNewTokens: 5, eosTokenId: [1, 7], padTokenId: 3, numBeams: undefined });
    assert.equal(o.maxNewTokens, 5);
    assert.deepEqual(o.eosTokenIds, [1, 7]);
    assert.equal(o.padTokenId, 3);
    assert.equal(o.numBeams, 1);
  });
});

describe("generationOptionsFromConfig (Hugging Face generation_config.json)", () => {
  test("maps every supported field", () => {
    const options = generationOptionsFromConfig({
      max_new_tokens: 64,
      min_new_tokens: 3,
      num_beams: 4,
      do_sample: true,
      temperature: 0.7,
      top_k: 20,
      top_p: 0.9,
      repetition_penalty: 1.2,
      no_repeat_ngram_size: 3,
      length_penalty: 0.6,
      early_stopping: true,
      eos_token_id: [1, 2],
      decoder_start_token_id: 0,
      pad_token_id: 0,
      transformers_version: "4.40.0",
      _from_model_config: true,
    });
    assert.deepEqual(options, {
      maxNewTokens: 64,
      minNewTokens: 3,
      numBeams: 4,
      doSample: true,
      temperature: 0.7,
      topK: 20,
      topP: 0.9,
      repetitionPenalty: 1.2,
      noRepeatNgramSize: 3,
      lengthPenalty: 0.6,
      earlyStopping: true,
      eosTokenId: [1, 2],
      decoderStartTokenId: 0,
      padTokenId: 0,
    } satisfies GenerationOptions);
  });
  test("max_length / min_length count the decoder start token; the *_new_tokens fields win", () => {
    assert.deepEqual(generationOptionsFromConfig({ max_length: 20, min_length: 5 }), { maxNewTokens: 19, minNewTokens: 4 });
    assert.deepEqual(generationOptionsFromConfig({ max_length: 20, max_new_tokens: 7, min_length: 5, min_new_tokens: 1 }), {
      maxNewTokens: 7,
      minNewTokens: 1,
    });
    assert.deepEqual(generationOptionsFromConfig({ min_length: 0 }), { minNewTokens: 0 });
  });
  test("absent and null fields leave the defaults; a single eos id stays a number; early_stopping 'never'", () => {
    assert.deepEqual(generationOptionsFromConfig({}), {});
    assert.deepEqual(generationOptionsFromConfig({ top_k: null, eos_token_id: 1, early_stopping: "never" }), {
      eosTokenId: 1,
      earlyStopping: "never",
    });
  });
  test("wrong types are errors naming the field", () => {
    assert.throws(() => generationOptionsFromConfig({ num_beams: "4" }), /num_beams/);
    assert.throws(() => generationOptionsFromConfig({ max_new_tokens: 2.5 }), /max_new_tokens/);
    assert.throws(() => generationOptionsFromConfig({ do_sample: 1 }), /do_sample/);
    assert.throws(() => generationOptionsFromConfig({ eos_token_id: [1, "2"] }), /eos_token_id/);
    assert.throws(() => generationOptionsFromConfig({ early_stopping: "sometimes" }), /early_stopping/);
    assert.throws(() => generationOptionsFromConfig({ no_repeat_ngram_size: 2.5 }), /no_repeat_ngram_size/);
  });
  test("no_repeat_ngram_size: read, 0 kept (off); a negative one is refused when resolving, naming the option", () => {
    assert.deepEqual(generationOptionsFromConfig({ no_repeat_ngram_size: 0 }), { noRepeatNgramSize: 0 });
    const config = { vocab_size: 100, eos_token_id: 1, pad_token_id: 0, decoder_start_token_id: 0 };
    assert.equal(resolveGenerationOptions(config, generationOptionsFromConfig({ no_repeat_ngram_size: 3 })).noRepeatNgramSize, 3);
    const negative = generationOptionsFromConfig({ no_repeat_ngram_size: -1 });
    assert.throws(() => resolveGenerationOptions(config, negative), /noRepeatNgramSize must be an integer >= 0 \(0 = off\), got -1/);
  });
  test("--no-repeat-ngram-size: an integer >= 0, checked by flag name", () => {
    assert.deepEqual(generationFlagOptions({ "no-repeat-ngram-size": "3" }), { noRepeatNgramSize: 3 });
    assert.deepEqual(generationFlagOptions({ "no-repeat-ngram-size": "0" }), { noRepeatNgramSize: 0 });
    assert.deepEqual(generationFlagOptions({}), {});
    for (const bad of ["-1", "1.5", "two"]) assert.throws(() => generationFlagOptions({ "no-repeat-ngram-size": bad }), /--no-repeat-ngram-size/, bad);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generation on the backends

function randomModel(seed: number, overrides = {}): T5Model {
  const config = tinyConfig({ vocab_size: 40, ...overrides });
  return { config, params: initParams(config, seed) };
}

/** Random token rows of the given lengths, avoiding pad 0 and EOS 1. */
function randomRows(lengths: number[], vocab: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return lengths.map((n) => Array.from({ length: n }, () => 2 + Math.floor(random() * (vocab - 2))));
}

/** tf.memory().numTensors must not grow across fn. */
function assertNoLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const result = fn();
  assert.equal(tf.memory().numTensors, before, "tensor count changed across generate");
  return result;
}

for (const backend of TEST_BACKENDS) {
  describe(`generate on ${backend}`, () => {
    const fixtures: Record<string, T5Model> = {};
    let random: T5Model;
    before(async () => {
      await useBackend(backend);
      for (const name of ["tiny-flan", "tiny-t5"]) fixtures[name] = loadModel(path.join(T5_FIXTURES, name));
      random = randomModel(3);
    });

    for (const name of ["tiny-flan", "tiny-t5"]) {
      test(`${name}: greedy reproduces the reference greedy_10, with and without cache`, () => {
        for (const c of referenceCases(name)) {
          for (const useCache of [true, false]) {
            const out = assertNoLeak(() =>
              generate(fixtures[name], { inputIds: c.input_ids, attentionMask: c.attention_mask }, { maxNewTokens: 10, stopAtEos: false, useCache }),
            );
            assert.deepEqual(out, c.greedy_10, `${c.case}, useCache ${useCache}`);
          }
        }
      });
    }

    test("stopping at EOS: rows stop independently, EOS included, batch == each row alone", () => {
      const model = fixtures["tiny-flan"];
      const [c] = referenceCases("tiny-flan"); // the padded batch of two rows
      const eos = 6; // a token both greedy rows reach, at different steps
      const batch = assertNoLeak(() => generate(model, { inputIds: c.input_ids, attentionMask: c.attention_mask }, { maxNewTokens: 10, eosTokenId: eos }));
      assert.deepEqual(batch, c.greedy_10.map((row) => untilEos(row, eos)));
      assert.notEqual(batch[0].length, batch[1].length);
      const rows = unpad(c.input_ids, c.attention_mask);
      rows.forEach((row, b) => assert.deepEqual(generate(model, { inputIds: [row] }, { maxNewTokens: 10, eosTokenId: eos }), [batch[b]]));
      // ragged rows without a mask are padded here
      assert.deepEqual(generate(model, { inputIds: rows }, { maxNewTokens: 10, eosTokenId: eos }), batch);
      // an EOS list stops on any of them
      assert.deepEqual(generate(model, { inputIds: rows }, { maxNewTokens: 10, eosTokenId: [99 % 96, eos] }), batch);
    });

    test("maxNewTokens bounds the length; stopAtEos false always generates maxNewTokens", () => {
      const model = fixtures["tiny-flan"];
      const [c] = referenceCases("tiny-flan");
      const input = { inputIds: c.input_ids, attentionMask: c.attention_mask };
      assert.deepEqual(generate(model, input, { maxNewTokens: 4 }), c.greedy_10.map((r) => r.slice(0, 4)));
      assert.deepEqual(generate(model, input, { maxNewTokens: 10, eosTokenId: 6, stopAtEos: false }), c.greedy_10);
    });

    test("random model: batch of ragged inputs == each alone, for greedy and beam search", () => {
      const rows = randomRows([5, 11, 2, 8], random.config.vocab_size, 7);
      for (const options of [{ maxNewTokens: 8 }, { maxNewTokens: 8, numBeams: 3 }, { maxNewTokens: 8, numBeams: 3, eosTokenId: 5 }] as GenerationOptions[]) {
        const batch = assertNoLeak(() => generateWithScores(random, { inputIds: rows }, options));
        rows.forEach((row, b) => {
          const alone = generateWithScores(random, { inputIds: [row] }, options);
          assert.deepEqual(alone.sequences[0], batch.sequences[b], `row ${b}, ${JSON.stringify(options)}`);
          assert.ok(close(alone.scores[0], batch.scores[b], 1e-4));
        });
      }
    });

    test("cache == no cache: greedy, beam search (with EOS and length penalty), sampling, repetition penalty", () => {
      const rows = randomRows([6, 3, 9], random.config.vocab_size, 11);
      const cases: GenerationOptions[] = [
        { maxNewTokens: 12, stopAtEos: false },
        { maxNewTokens: 12, numBeams: 4, stopAtEos: false },
        { maxNewTokens: 12, numBeams: 3, eosTokenId: [5, 9], lengthPenalty: 0.6 },
        { maxNewTokens: 12, numBeams: 3, eosTokenId: 5, earlyStopping: true },
        { maxNewTokens: 12, numBeams: 2, eosTokenId: 5, earlyStopping: "never", lengthPenalty: 2 },
        { maxNewTokens: 12, doSample: true, seed: 5, temperature: 1.3 },
        { maxNewTokens: 12, doSample: true, seed: 6, topK: 10, topP: 0.9, eosTokenId: 5 },
        { maxNewTokens: 12, repetitionPenalty: 1.5, minNewTokens: 4, eosTokenId: 5 },
        { maxNewTokens: 12, numBeams: 3, noRepeatNgramSize: 2, eosTokenId: 5 },
      ];
      for (const options of cases) {
        const cached = assertNoLeak(() => generateWithScores(random, { inputIds: rows }, options));
        const uncached = assertNoLeak(() => generateWithScores(random, { inputIds: rows }, { ...options, useCache: false }));
        assert.deepEqual(uncached.sequences, cached.sequences, JSON.stringify(options));
        cached.scores.forEach((s, b) => assert.ok(close(s, uncached.scores[b], 1e-4), `${JSON.stringify(options)}: ${s} vs ${uncached.scores[b]}`));
      }
    });

    test("beam search: numBeams 1 is greedy; more beams score at least greedy's log-prob", () => {
      const model = fixtures["tiny-flan"];
      for (const c of referenceCases("tiny-flan")) {
        const input = { inputIds: c.input_ids, attentionMask: c.attention_mask };
        assert.deepEqual(generate(model, input, { maxNewTokens: 10, stopAtEos: false, numBeams: 1 }), c.greedy_10);
        const greedy = generateWithScores(model, input, { maxNewTokens: 6, stopAtEos: false });
        // lengthPenalty 0: the beam score is the plain sum of log-probs, comparable with greedy's
        const beam = generateWithScores(model, input, { maxNewTokens: 6, stopAtEos: false, numBeams: 4, lengthPenalty: 0 });
        beam.scores.forEach((s, b) => assert.ok(s >= greedy.scores[b] - 1e-4, `row ${b}: beam ${s} < greedy ${greedy.scores[b]}`));
        beam.sequences.forEach((seq) => assert.equal(seq.length, 6));
      }
    });

    for (const lengthPenalty of [0, 1, 2]) {
      test(`beam search finds the best of all sequences of <= 2 tokens (brute force, lengthPenalty ${lengthPenalty})`, () => {
        // numBeams = vocab: every first token stays a beam, so the search is exhaustive for two steps.
        const model = fixtures["tiny-flan"];
        const vocab = model.config.vocab_size;
        const eos = 6;
        const [c] = referenceCases("tiny-flan");
        const row = unpad(c.input_ids, c.attention_mask)[1];
        // log p(first) and log p(second | first) for every first token, by one teacher-forced batch
        const logits = tf.tidy(() => {
          const ids = tf.tensor2d(new Array(vocab).fill(row), undefined, "int32");
          const mask = tf.onesLike(ids);
          const decoderIds = tf.tensor2d(Array.from({ length: vocab }, (_, t) => [0, t]), undefined, "int32");
          return forward(model, ids, mask, decoderIds);
        });
        const values = logits.arraySync() as number[][][];
        logits.dispose();
        const first = logSoftmax(f32(values[0][0]));
        let best = { score: first[eos], tokens: [eos] }; // EOS first: one generated token
        for (let t = 0; t < vocab; t++) {
          if (t === eos) continue;
          const second = logSoftmax(f32(values[t][1]));
          for (let u = 0; u < vocab; u++) {
            const score = (first[t] + second[u]) / 2 ** lengthPenalty;
            if (score > best.score) best = { score, tokens: [t, u] };
          }
        }
        for (const useCache of [true, false]) {
          const beam = assertNoLeak(() =>
            generateWithScores(model, { inputIds: [row] }, { maxNewTokens: 2, numBeams: vocab, eosTokenId: eos, lengthPenalty, useCache }),
          );
          assert.deepEqual(beam.sequences[0], best.tokens);
          assert.ok(close(beam.scores[0], best.score, 1e-4), `${beam.scores[0]} vs ${best.score}`);
        }
        if (lengthPenalty === 0) {
          // Hugging Face's rule: an EOS ranked outside the top numBeams candidates closes no hypothesis. Here EOS
          // is the best sequence, but only the 3rd or 4th most likely first token.
          assert.deepEqual(best.tokens, [eos]);
          const rank = [...first].filter((x) => x > first[eos]).length;
          assert.ok(rank >= 2 && rank < 4, `EOS rank ${rank}`);
          const options = { maxNewTokens: 2, eosTokenId: eos, lengthPenalty };
          assert.notDeepEqual(generate(model, { inputIds: [row] }, { ...options, numBeams: 2 }), [[eos]]);
          assert.deepEqual(generate(model, { inputIds: [row] }, { ...options, numBeams: 4 }), [[eos]]);
        }
      });
    }

    test("beam search with EOS: sequences end with EOS or have maxNewTokens tokens, none before minNewTokens", () => {
      const rows = randomRows([4, 7, 10], random.config.vocab_size, 21);
      for (const minNewTokens of [0, 5]) {
        const out = generate(random, { inputIds: rows }, { maxNewTokens: 9, numBeams: 4, eosTokenId: [5, 9], minNewTokens });
        for (const seq of out) {
          const ends = [5, 9].includes(seq[seq.length - 1]);
          assert.ok(ends || seq.length === 9, JSON.stringify(seq));
          assert.ok(seq.slice(0, -1).every((t) => t !== 5 && t !== 9), JSON.stringify(seq));
          if (ends) assert.ok(seq.length > minNewTokens, JSON.stringify(seq));
        }
      }
    });

    test("sampling: the same seed gives the same tokens; seeds differ; topK 1 and tiny topP are greedy", () => {
      const rows = randomRows([6, 9], random.config.vocab_size, 31);
      const input = { inputIds: rows };
      const sample = (seed: number, extra: GenerationOptions = {}) =>
        generate(random, input, { maxNewTokens: 12, stopAtEos: false, doSample: true, seed, ...extra });
      assert.deepEqual(sample(1), sample(1));
      const others = [2, 3, 4, 5].map((seed) => JSON.stringify(sample(seed)));
      assert.ok(others.some((o) => o !== JSON.stringify(sample(1))), "different seeds gave identical samples");
      const greedy = generate(random, input, { maxNewTokens: 12, stopAtEos: false });
      assert.notDeepEqual(sample(1, { topK: 0 }), greedy);
      assert.deepEqual(sample(1, { topK: 1 }), greedy);
      assert.deepEqual(sample(9, { topK: 0, topP: 1e-6 }), greedy);
      assert.deepEqual(sample(9, { temperature: 1e-3 }), greedy);
    });

    test("minNewTokens: EOS cannot come before it", () => {
      const model = fixtures["tiny-flan"];
      const [c] = referenceCases("tiny-flan");
      const row = unpad(c.input_ids, c.attention_mask)[0]; // greedy: 65, 65, 6, ...
      assert.deepEqual(generate(model, { inputIds: [row] }, { maxNewTokens: 10, eosTokenId: 65 }), [[65]]);
      const [out] = generate(model, { inputIds: [row] }, { maxNewTokens: 10, eosTokenId: 65, minNewTokens: 3 });
      assert.ok(out.slice(0, 3).every((t) => t !== 65), JSON.stringify(out));
      assert.ok(out.length >= 4, JSON.stringify(out));
      // a minimum beyond maxNewTokens simply never allows EOS
      const [long] = generate(model, { inputIds: [row] }, { maxNewTokens: 5, eosTokenId: 65, minNewTokens: 50 });
      assert.equal(long.length, 5);
      assert.ok(!long.includes(65));
    });

    test("repetition penalty changes greedy output away from repeats", () => {
      const model = fixtures["tiny-flan"];
      const [c] = referenceCases("tiny-flan");
      const input = { inputIds: c.input_ids, attentionMask: c.attention_mask };
      const penalized = generate(model, input, { maxNewTokens: 10, stopAtEos: false, repetitionPenalty: 3 });
      assert.notDeepEqual(penalized, c.greedy_10);
      const distinct = (rows: number[][]) => rows.map((r) => new Set(r).size);
      distinct(penalized).forEach((n, b) => assert.ok(n >= distinct(c.greedy_10)[b], `row ${b}`));
    });

    test("noRepeatNgramSize: no n-gram of start token + output twice, greedy, beam and sampling; without it they repeat", () => {
      const [c] = referenceCases("tiny-flan");
      const cases: [T5Model, { inputIds: number[][]; attentionMask?: number[][] }][] = [
        [fixtures["tiny-flan"], { inputIds: c.input_ids, attentionMask: c.attention_mask }],
        [random, { inputIds: randomRows([6, 9, 4], random.config.vocab_size, 31) }],
      ];
      const searches: GenerationOptions[] = [{}, { numBeams: 3 }, { doSample: true, seed: 4 }];
      for (const [model, input] of cases) {
        const start = model.config.decoder_start_token_id;
        for (const search of searches) {
          const options: GenerationOptions = { maxNewTokens: 16, stopAtEos: false, ...search };
          const plain = generate(model, input, options);
          if (!search.doSample) assert.ok(plain.some((seq) => firstRepeatedNgramEnd([start, ...seq], 2) >= 0), `${JSON.stringify(search)} never repeats`);
          for (const n of [1, 2, 3]) {
            const out = assertNoLeak(() => generate(model, input, { ...options, noRepeatNgramSize: n }));
            out.forEach((seq, b) => {
              assert.equal(seq.length, 16);
              assert.equal(firstRepeatedNgramEnd([start, ...seq], n), -1, `n ${n}, ${JSON.stringify(search)}, row ${b}: ${seq}`);
              if (search.numBeams || search.doSample) return;
              // greedy: the same tokens as without the option up to the first one that repeats an n-gram, then another
              const end = firstRepeatedNgramEnd([start, ...plain[b]], n) - 1; // index in the generated tokens
              if (end < 0) return assert.deepEqual(seq, plain[b], `n ${n}, row ${b}`);
              assert.deepEqual(seq.slice(0, end), plain[b].slice(0, end), `n ${n}, row ${b}`);
              assert.notEqual(seq[end], plain[b][end], `n ${n}, row ${b}`);
            });
          }
        }
      }
    });

    test("no tensor growth across greedy, beam, sampling and finished-row compaction", () => {
      const model = fixtures["tiny-t5"];
      const [c] = referenceCases("tiny-t5");
      const input = { inputIds: c.input_ids, attentionMask: c.attention_mask };
      for (const options of [
        { maxNewTokens: 6 },
        { maxNewTokens: 6, eosTokenId: 10 }, // row 0 stops after 3 tokens, row 1 goes on
        { maxNewTokens: 6, numBeams: 3, eosTokenId: 10 },
        { maxNewTokens: 6, doSample: true, seed: 1, eosTokenId: 13 },
      ] as GenerationOptions[]) {
        for (const useCache of [true, false]) assertNoLeak(() => generate(model, input, { ...options, useCache }));
      }
    });

    test("errors: options out of range, bad ids, empty input, mask mismatch", () => {
      const model = fixtures["tiny-flan"];
      const input = { inputIds: [[5, 6, 1]] };
      const before = tf.memory().numTensors;
      const bad: [GenerationOptions, RegExp][] = [
        [{ maxNewTokens: 0 }, /maxNewTokens/],
        [{ maxNewTokens: 2.5 }, /maxNewTokens/],
        [{ numBeams: 0 }, /numBeams/],
        [{ minNewTokens: -1 }, /minNewTokens/],
        [{ topP: 0 }, /topP/],
        [{ topP: 1.5 }, /topP/],
        [{ topK: -1 }, /topK/],
        [{ doSample: true, temperature: 0 }, /temperature/],
        [{ doSample: true, temperature: -1 }, /temperature/],
        [{ repetitionPenalty: 0 }, /repetitionPenalty/],
        [{ noRepeatNgramSize: -1 }, /noRepeatNgramSize/],
        [{ noRepeatNgramSize: 1.5 }, /noRepeatNgramSize/],
        [{ doSample: true, numBeams: 2 }, /beam sampling/],
        [{ eosTokenId: 96 }, /eosTokenId.*\[0, 96\)/],
        [{ eosTokenId: [1, -1] }, /eosTokenId\[1\]/],
        [{ padTokenId: 1000 }, /padTokenId/],
        [{ decoderStartTokenId: -1 }, /decoderStartTokenId/],
        [{ earlyStopping: "sometimes" as unknown as boolean }, /earlyStopping/],
      ];
      for (const [options, message] of bad) assert.throws(() => generate(model, input, options), message, JSON.stringify(options));
      // temperature is only checked when sampling (Hugging Face ignores it for greedy)
      assert.doesNotThrow(() => generate(model, input, { maxNewTokens: 1, temperature: 0 }));
      assert.throws(() => generate(model, { inputIds: [[5, 96]] }), /inputIds\[0\]\[1\] = 96.*\[0, 96\)/);
      assert.throws(() => generate(model, { inputIds: [[-1]] }), /inputIds\[0\]\[0\]/);
      assert.throws(() => generate(model, { inputIds: [[2.5]] }), /inputIds\[0\]\[0\]/);
      assert.throws(() => generate(model, { inputIds: [] }), /empty/);
      assert.throws(() => generate(model, { inputIds: [[3], []] }), /inputIds\[1\] is empty/);
      assert.throws(() => generate(model, { inputIds: [[3, 4]], attentionMask: [[1]] }), /same shape/);
      assert.throws(() => generate(model, { inputIds: [[3, 4]], attentionMask: [[0, 0]] }), /all zeros/);
      assert.throws(() => generate(model, { inputIds: [[3, 4]], attentionMask: [[1, 2]] }), /only 0 and 1/);
      assert.throws(() => generate(model, { inputIds: [[3, 4], [5]], attentionMask: [[1, 1], [1]] }), /padded to one length/);
      assert.equal(tf.memory().numTensors, before);
    });
  });
}
