import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { bootstrapIntervals, percentileOfSorted } from "../src/eval/bootstrap";
import { porterStem } from "../src/eval/porter";
import {
  DEFAULT_USE_STEMMER,
  ROUGE_METRICS,
  type RougeMetric,
  type RougeScore,
  corpusRouge,
  rougeScores,
  rougeTokenize,
  splitIntoSentenceLines,
} from "../src/eval/rouge";

const FIXTURES = path.join(__dirname, "fixtures", "rouge-reference");

interface RougeCase {
  reference: string;
  prediction: string;
  stem: boolean;
  expected: Record<RougeMetric, RougeScore>;
}

function rougeCases(): RougeCase[] {
  return fs.readFileSync(path.join(FIXTURES, "rouge_cases.jsonl"), "utf8")
    .split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

function nltkStems(): [string, string][] {
  const lines = fs.readFileSync(path.join(FIXTURES, "porter_nltk.tsv"), "utf8").split("\n").filter((l) => l.trim());
  assert.equal(lines[0], "word\tstem");
  return lines.slice(1).map((line) => line.split("\t") as [string, string]);
}

function assertScore(actual: RougeScore, expected: RougeScore, label: string, tolerance = 1e-12): void {
  for (const k of ["precision", "recall", "fmeasure"] as const) {
    assert.ok(Math.abs(actual[k] - expected[k]) <= tolerance, `${label} ${k}: got ${actual[k]}, expected ${expected[k]}`);
  }
}

const ZERO = { precision: 0, recall: 0, fmeasure: 0 };
const ONE = { precision: 1, recall: 1, fmeasure: 1 };

describe("Porter stemmer (nltk NLTK_EXTENSIONS mode)", () => {
  test("reproduces all 3,084 nltk stems", () => {
    const rows = nltkStems();
    assert.equal(rows.length, 3084);
    const wrong = rows.filter(([word, stem]) => porterStem(word) !== stem)
      .map(([word, stem]) => `${word}: nltk ${stem}, ours ${porterStem(word)}`);
    assert.deepEqual(wrong, []);
  });

  test("nltk's departures from the original algorithm", () => {
    const cases: [string, string][] = [
      ["dies", "die"], ["flies", "fli"], ["died", "die"], ["spied", "spi"], ["skies", "sky"], ["dying", "die"],
      ["succeed", "succeed"], ["news", "news"], ["enjoy", "enjoy"], ["happy", "happi"], ["array", "array"],
      ["abed", "abe"], ["generalli", "gener"], ["geology", "geolog"], ["hopefully", "hope"], ["is", "is"],
      ["running", "run"], ["caresses", "caress"], ["relational", "relat"], ["this", "thi"],
    ];
    for (const [word, stem] of cases) assert.equal(porterStem(word), stem, word);
  });
});

describe("rouge_score reference cases", () => {
  const cases = rougeCases();

  test("fixture holds 306 cases with all four metrics", () => {
    assert.equal(cases.length, 306);
    for (const c of cases) assert.deepEqual(Object.keys(c.expected).sort(), [...ROUGE_METRICS].sort());
  });

  for (const metric of ROUGE_METRICS) {
    test(`${metric}: every case within 1e-6 of rouge_score`, () => {
      const wrong: string[] = [];
      cases.forEach((c, i) => {
        const got = rougeScores(c.prediction, c.reference, { useStemmer: c.stem })[metric];
        for (const k of ["precision", "recall", "fmeasure"] as const) {
          if (!(Math.abs(got[k] - c.expected[metric][k]) <= 1e-6)) {
            wrong.push(`case ${i} ${k}: got ${got[k]}, expected ${c.expected[metric][k]}`);
          }
        }
      });
      assert.deepEqual(wrong, []);
    });
  }

  test("the fixture exercises multi-line texts where rougeLsum differs from rougeL", () => {
    const differing = cases.filter((c) => {
      const s = rougeScores(c.prediction, c.reference, { useStemmer: c.stem });
      return s.rougeL.fmeasure !== s.rougeLsum.fmeasure;
    });
    assert.ok(differing.length >= 5, `${differing.length} cases`);
  });

  test("asking for one metric gives the same value as asking for all", () => {
    for (const c of cases.slice(0, 40)) {
      const all = rougeScores(c.prediction, c.reference, { useStemmer: c.stem });
      for (const metric of ROUGE_METRICS) {
        const one = rougeScores(c.prediction, c.reference, { useStemmer: c.stem, metrics: [metric] });
        assert.deepEqual(Object.keys(one), [metric]);
        assert.deepEqual(one[metric], all[metric]);
      }
    }
  });
});

describe("tokenizer", () => {
  test("lowercases, splits on anything but [a-z0-9], drops empty tokens", () => {
    assert.deepEqual(rougeTokenize("Hello, World!  It's 3.5GHz -- ok?"), ["hello", "world", "it", "s", "3", "5ghz", "ok"]);
    assert.deepEqual(rougeTokenize("  ...  \n\t "), []);
    assert.deepEqual(rougeTokenize("Café naïve"), ["caf", "na", "ve"]);
  });

  test("stems only tokens longer than 3 characters", () => {
    assert.deepEqual(rougeTokenize("This was running dies", true), ["thi", "was", "run", "die"]);
    assert.deepEqual(rougeTokenize("This was running dies", false), ["this", "was", "running", "dies"]);
  });

  test("stemming is off by default, as in rouge_score and Hugging Face evaluate", () => {
    assert.equal(DEFAULT_USE_STEMMER, false);
    assert.deepEqual(rougeScores("the runner runs", "The runners were running").rouge1,
      rougeScores("the runner runs", "The runners were running", { useStemmer: false }).rouge1);
  });
});

describe("ROUGE by hand", () => {
  test("punctuation and case do not matter", () => {
    const s = rougeScores("Hello, world!", "hello world");
    for (const metric of ROUGE_METRICS) assertScore(s[metric], ONE, metric);
  });

  test("numbers are tokens; a decimal point splits them", () => {
    const s = rougeScores("3.5 GHz CPU, the", "The 3.5 GHz CPU");
    assertScore(s.rouge1, ONE, "rouge1");
    assertScore(s.rouge2, { precision: 0.75, recall: 0.75, fmeasure: 0.75 }, "rouge2");
    assertScore(s.rougeL, { precision: 0.8, recall: 0.8, fmeasure: 0.8 }, "rougeL");
  });

  test("an empty (or punctuation-only) prediction or reference scores 0", () => {
    for (const [prediction, reference] of [["", "a cat"], ["a cat", ""], ["", ""], ["!!", "a cat"], ["a cat", " \n "]]) {
      const s = rougeScores(prediction, reference);
      for (const metric of ROUGE_METRICS) assertScore(s[metric], ZERO, `${JSON.stringify([prediction, reference])} ${metric}`);
    }
  });

  test("rouge2 of one-word texts is 0, not NaN", () => {
    const s = rougeScores("cat", "cat");
    assertScore(s.rouge1, ONE, "rouge1");
    assertScore(s.rouge2, ZERO, "rouge2");
  });

  test("rougeN clips repeated n-grams", () => {
    // prediction "the the the the" vs reference "the cat": overlap min(4, 1) = 1
    const s = rougeScores("the the the the", "the cat");
    assertScore(s.rouge1, { precision: 0.25, recall: 0.5, fmeasure: 1 / 3 }, "rouge1", 1e-15);
  });

  test("multi-line: rougeLsum takes the union LCS per sentence, rougeL sees one sequence", () => {
    const s = rougeScores("the dog ran\nthe cat sat", "the cat sat\nthe dog ran");
    assertScore(s.rougeL, { precision: 0.5, recall: 0.5, fmeasure: 0.5 }, "rougeL");
    assertScore(s.rougeLsum, ONE, "rougeLsum");
    assertScore(s.rouge1, ONE, "rouge1");
  });

  test("rougeLsum counts each token at most as often as both sides hold it", () => {
    // Both prediction lines match the same reference position, so the union holds one "go" of two.
    const s = rougeScores("go\ngo", "go go");
    assertScore(s.rougeLsum, { precision: 0.5, recall: 0.5, fmeasure: 0.5 }, "rougeLsum");
    assertScore(s.rougeL, ONE, "rougeL");
  });

  test("rougeLsum picks among equal-length LCSs as rouge_score's backtrack does", () => {
    // LCS("cat dog", "dog cat") is "cat" or "dog"; rouge_score's walk back (step up on ties) takes "cat", so with
    // the second line's "dog" the union covers both reference tokens. Taking "dog" would give 1 hit, not 2.
    const s = rougeScores("dog cat\ndog", "cat dog");
    assertScore(s.rougeLsum, { precision: 2 / 3, recall: 1, fmeasure: 0.8 }, "rougeLsum", 1e-15);
  });

  test("without newlines rougeLsum equals rougeL; splitSentences puts sentences on lines", () => {
    const prediction = "The dog ran. The cat sat!";
    const reference = "The cat sat. The dog ran.";
    const plain = rougeScores(prediction, reference);
    assert.deepEqual(plain.rougeLsum, plain.rougeL);
    const split = rougeScores(prediction, reference, { splitSentences: true });
    assertScore(split.rougeL, plain.rougeL, "rougeL is unchanged by splitSentences");
    assertScore(split.rougeLsum, ONE, "rougeLsum");
    assert.equal(splitIntoSentenceLines("Pi is 3.14. Really?  Yes!\nNext line e.g. here"),
      "Pi is 3.14.\nReally?\nYes!\nNext line e.g.\nhere");
  });

  test("stemming on and off", () => {
    const prediction = "the runner runs";
    const reference = "The runners were running";
    // stemmed: [the runner run] vs [the runner were run]
    assertScore(rougeScores(prediction, reference, { useStemmer: true }).rouge1,
      { precision: 1, recall: 0.75, fmeasure: 6 / 7 }, "stemmed", 1e-15);
    // not stemmed: only "the" matches
    assertScore(rougeScores(prediction, reference, { useStemmer: false }).rouge1,
      { precision: 1 / 3, recall: 0.25, fmeasure: 2 / 7 }, "unstemmed", 1e-15);
  });

  test("several references: each metric takes its best reference (first on ties)", () => {
    const prediction = "the cat sat on the mat";
    const shuffled = "mat the on sat cat the"; // rouge1 1, rouge2 0
    const prefix = "the cat sat"; // rouge1 2/3, rouge2 F 4/7
    const s = rougeScores(prediction, [prefix, shuffled]);
    assertScore(s.rouge1, ONE, "rouge1 from the shuffled reference");
    assertScore(s.rouge2, { precision: 0.4, recall: 1, fmeasure: 4 / 7 }, "rouge2 from the prefix", 1e-15);
    assert.deepEqual(rougeScores(prediction, [prefix]), rougeScores(prediction, prefix));
    assert.deepEqual(rougeScores("a b", ["a c", "b d"]).rouge1, rougeScores("a b", "a c").rouge1);
    assert.throws(() => rougeScores("a", []), /no reference/);
  });

  test("rejects unknown metrics", () => {
    assert.throws(() => rougeScores("a", "a", { metrics: ["rouge3" as RougeMetric] }), /unknown ROUGE metric/);
  });
});

describe("corpus ROUGE and bootstrap", () => {
  const cases = rougeCases();
  const predictions = cases.map((c) => c.prediction);
  const references = cases.map((c) => c.reference);

  test("means equal the average of per-example scores", () => {
    const corpus = corpusRouge(predictions, references, { useStemmer: true });
    for (const metric of ROUGE_METRICS) {
      const per = predictions.map((p, i) => rougeScores(p, references[i], { useStemmer: true })[metric]);
      const meanF = per.reduce((s, x) => s + x.fmeasure, 0) / per.length;
      assert.ok(Math.abs(corpus[metric].fmeasure - meanF) < 1e-12, metric);
      assert.equal(corpus[metric].low, undefined);
    }
  });

  test("bootstrap is deterministic for a seed, and its interval contains the mean", () => {
    const options = { useStemmer: true, bootstrap: { samples: 500, seed: 7 } };
    const a = corpusRouge(predictions, references, options);
    const b = corpusRouge(predictions, references, options);
    assert.deepEqual(a, b);
    const c = corpusRouge(predictions, references, { ...options, bootstrap: { samples: 500, seed: 8 } });
    assert.notDeepEqual(a.rouge1.low, c.rouge1.low);
    for (const metric of ROUGE_METRICS) {
      for (const k of ["precision", "recall", "fmeasure"] as const) {
        const { low, mid, high } = a[metric];
        assert.ok(low && mid && high);
        assert.ok(low[k] < a[metric][k] && a[metric][k] < high[k], `${metric} ${k}: ${low[k]} ${a[metric][k]} ${high[k]}`);
        assert.ok(low[k] <= mid[k] && mid[k] <= high[k]);
        assert.ok(Math.abs(mid[k] - a[metric][k]) < 0.02, `${metric} ${k} mid ${mid[k]} far from mean ${a[metric][k]}`);
      }
    }
  });

  test("a wider confidence gives a wider interval; a constant score gives a point", () => {
    const narrow = corpusRouge(predictions, references, { metrics: ["rouge1"], bootstrap: { samples: 400, seed: 1, confidence: 0.5 } });
    const wide = corpusRouge(predictions, references, { metrics: ["rouge1"], bootstrap: { samples: 400, seed: 1, confidence: 0.99 } });
    assert.deepEqual(Object.keys(wide), ["rouge1"]);
    assert.ok(wide.rouge1.low!.fmeasure < narrow.rouge1.low!.fmeasure);
    assert.ok(wide.rouge1.high!.fmeasure > narrow.rouge1.high!.fmeasure);
    const [point] = bootstrapIntervals([[0.3, 0.3, 0.3]], { samples: 50, seed: 3 });
    assert.deepEqual(point, { low: 0.3, mid: 0.3, high: 0.3 });
  });

  test("percentiles interpolate linearly as numpy's default does", () => {
    const sorted = [1, 2, 3, 4];
    assert.equal(percentileOfSorted(sorted, 0), 1);
    assert.equal(percentileOfSorted(sorted, 25), 1.75);
    assert.equal(percentileOfSorted(sorted, 50), 2.5);
    assert.ok(Math.abs(percentileOfSorted(sorted, 97.5) - 3.925) < 1e-12);
    assert.equal(percentileOfSorted(sorted, 100), 4);
  });

  test("rejects mismatched lengths, empty corpora and bad bootstrap settings", () => {
    assert.throws(() => corpusRouge(["a"], []), /1 predictions but 0 references/);
    assert.throws(() => corpusRouge([], []), /at least one example/);
    assert.throws(() => corpusRouge(["a"], ["a"], { bootstrap: { samples: 0, seed: 1 } }), /samples/);
    assert.throws(() => corpusRouge(["a"], ["a"], { bootstrap: { samples: 10, seed: 1, confidence: 1.5 } }), /confidence/);
  });

  test("multi-reference examples in a corpus", () => {
    const corpus = corpusRouge(["the cat sat", "a dog"], [["a cat sat", "the cat sat"], "a dog barked"], { metrics: ["rouge1"] });
    assert.ok(Math.abs(corpus.rouge1.fmeasure - (1 + 0.8) / 2) < 1e-12);
  });
});
