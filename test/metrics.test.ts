import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  LOWER_IS_BETTER,
  METRIC_KEYS,
  type ScoredExample,
  factAccuracy,
  normalizeForFacts,
  normalizeLabel,
  normalizeSquadAnswer,
  parseEntityAnswer,
  parseRating,
  precisionRecallF1,
  scoreTask,
  squadExactMatch,
  squadF1,
  statesFact,
} from "../src/eval/metrics";

const close = (actual: number, expected: number, label = "", tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected}`);

function closeRecord(actual: Record<string, number>, expected: Record<string, number>, label = ""): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${label}: keys`);
  for (const k of Object.keys(expected)) close(actual[k], expected[k], `${label} ${k}`);
}

const ex = (prediction: string, ...references: string[]): ScoredExample => ({ prediction, references });

describe("rouge family", () => {
  test("F-measures by hand: 'the cat sat' against 'the cat sat on the mat'", () => {
    const { perExample, means } = scoreTask("rouge", [ex("the cat sat", "the cat sat on the mat")]);
    // rouge1: P 3/3, R 3/6 -> F 2/3; rouge2: P 2/2, R 2/5 -> F 4/7; LCS 3 -> as rouge1; one line -> Lsum = L.
    closeRecord(perExample[0], { rouge1: 2 / 3, rouge2: 4 / 7, rougeL: 2 / 3, rougeLsum: 2 / 3 });
    closeRecord(means, perExample[0]);
  });

  test("several references: the best one per metric; empty prediction scores 0; means over examples", () => {
    const { perExample, means } = scoreTask("rouge", [
      ex("the cat sat", "a dog ran", "The cat sat."),
      ex("", "the cat sat"),
    ]);
    closeRecord(perExample[0], { rouge1: 1, rouge2: 1, rougeL: 1, rougeLsum: 1 });
    closeRecord(perExample[1], { rouge1: 0, rouge2: 0, rougeL: 0, rougeLsum: 0 });
    closeRecord(means, { rouge1: 0.5, rouge2: 0.5, rougeL: 0.5, rougeLsum: 0.5 });
  });

  test("rouge options reach the scorer (stemming)", () => {
    const plain = scoreTask("rouge", [ex("cats running", "cat run")]).means.rouge1;
    const stemmed = scoreTask("rouge", [ex("cats running", "cat run")], { rouge: { useStemmer: true } }).means.rouge1;
    assert.equal(plain, 0);
    assert.equal(stemmed, 1);
  });

  test("fact normalization: case, whitespace, currency signs, thousands commas", () => {
    assert.equal(normalizeForFacts("  Order  #A-1234\n for $1,299.00 "), "order #a-1234 for 1299.00");
    assert.equal(normalizeForFacts("\u20ac45"), "45");
  });

  test("a fact counts only as a whole-word substring", () => {
    assert.ok(statesFact("Your order A-1234 shipped", "a-1234"));
    assert.ok(!statesFact("Your order A-12345 shipped", "A-1234"));
    assert.ok(!statesFact("it was refunded", "refund"));
    assert.ok(statesFact("a refund.", "refund"));
    assert.ok(statesFact("paid 45.99 dollars", "$45.99"));
    assert.ok(!statesFact("paid 145.99 dollars", "$45.99"));
    assert.ok(!statesFact("paid 45.990", "45.99"));
    assert.ok(statesFact("#77 it is", "#77"), "a fact starting with punctuation needs no guard on that side");
    assert.ok(!statesFact("anything", "   "));
  });

  test("fact accuracy: share of non-null facts stated; no facts -> null", () => {
    const facts = { order: "A-1234", product: "Blue Kettle", amount: "$45.99", outcome: "refund", reason: null };
    assert.equal(factAccuracy("Customer asked about order a-1234 for the blue  kettle; agent issued a refund of 45.99 dollars.", facts), 1);
    assert.equal(factAccuracy("Refund for Blue Kettle.", facts), 0.5);
    assert.equal(factAccuracy("Order A-12345 refunded for 1,045.99", facts), 0);
    assert.equal(factAccuracy("", facts), 0);
    assert.equal(factAccuracy("anything", { order: null }), null);
    assert.equal(factAccuracy("anything", {}), null);
  });

  test("factAccuracy enters the means only for examples with facts", () => {
    const { perExample, means } = scoreTask("rouge", [
      { prediction: "refund for order 12", references: ["order 12 refunded"], facts: { order: "12", outcome: "refund" } },
      { prediction: "order 12", references: ["order 12 refunded"], facts: { order: "12", outcome: "refund" } },
      { prediction: "hello", references: ["hello"], facts: { order: null } },
      { prediction: "hello", references: ["hello"] },
    ]);
    assert.deepEqual(perExample.map((s) => s.factAccuracy), [1, 0.5, undefined, undefined]);
    close(means.factAccuracy, 0.75);
    assert.ok(!("factAccuracy" in scoreTask("rouge", [ex("a", "a")]).means));
  });
});

describe("classification", () => {
  const labels = ["positive", "negative", "neutral"];

  test("accuracy after trim and lowercase; answers outside the label set are format errors", () => {
    const { perExample, means } = scoreTask(
      "classification",
      [ex(" Positive ", "positive"), ex("negative.", "negative"), ex("banana", "neutral"), ex("neutral", "positive"), ex("", "neutral")],
      { labels },
    );
    assert.deepEqual(perExample.map((s) => s.accuracy), [1, 0, 0, 0, 0]);
    assert.deepEqual(perExample.map((s) => s.formatError), [0, 1, 1, 0, 1]);
    closeRecord(means, { accuracy: 0.2, formatError: 0.6 });
  });

  test("without a label set there is no format error; several references accept any", () => {
    const { means } = scoreTask("classification", [ex("Yes", "true", "yes"), ex("no", "yes")]);
    closeRecord(means, { accuracy: 0.5 });
  });

  test("label normalization collapses inner whitespace; an empty label set is an error", () => {
    assert.equal(normalizeLabel("  Very \n Positive "), "very positive");
    assert.throws(() => scoreTask("classification", [ex("a", "a")], { labels: [] }), /label set is empty/);
  });
});

describe("rating", () => {
  test("parseRating: the first number, when it is a whole number 1-5", () => {
    const cases: [string, number | null][] = [
      ["4", 4], ["4 stars", 4], ["Rating: 4/5", 4], ["4.0", 4], [" 5.", 5], ["rated 2, maybe 4", 2],
      ["3.5", null], ["10/10", null], ["0", null], ["five", null], ["", null], ["6 stars", null],
    ];
    for (const [text, expected] of cases) assert.equal(parseRating(text), expected, JSON.stringify(text));
  });

  test("accuracy, MAE with worst-case error for unparseable answers, maeParsed, format errors", () => {
    const { perExample, means } = scoreTask("rating", [ex("4 stars", "4"), ex("3", "1"), ex("no idea", "3"), ex("6", "5")]);
    assert.deepEqual(perExample.map((s) => s.accuracy), [1, 0, 0, 0]);
    // worst cases: reference 3 -> 2, reference 5 -> 4
    assert.deepEqual(perExample.map((s) => s.absoluteError), [0, 2, 2, 4]);
    assert.deepEqual(perExample.map((s) => s.formatError), [0, 0, 1, 1]);
    closeRecord(means, { accuracy: 0.25, mae: 2, maeParsed: 1, formatError: 0.5 });
  });

  test("no answer parses: maeParsed is absent, not NaN", () => {
    const { means } = scoreTask("rating", [ex("", "1")]);
    closeRecord(means, { accuracy: 0, mae: 4, formatError: 1 });
  });

  test("several references: the closest counts; an unparseable reference throws", () => {
    const { perExample } = scoreTask("rating", [ex("2", "4", "3")]);
    assert.deepEqual(perExample[0], { accuracy: 0, absoluteError: 1, formatError: 0 });
    assert.throws(() => scoreTask("rating", [ex("2", "great")]), /example 0 .*"great"/);
  });
});

describe("extractive QA (SQuAD)", () => {
  test("normalization: lowercase, punctuation, articles, whitespace", () => {
    assert.equal(normalizeSquadAnswer("The  Eiffel Tower!"), "eiffel tower");
    assert.equal(normalizeSquadAnswer("U.S.A."), "usa");
    assert.equal(normalizeSquadAnswer("an apple, a pear and THE plum"), "apple pear and plum");
    assert.equal(normalizeSquadAnswer("theatre"), "theatre");
    assert.equal(normalizeSquadAnswer(" the "), "");
  });

  test("exact match and token F1 by hand", () => {
    assert.equal(squadExactMatch("eiffel tower", "The Eiffel Tower."), 1);
    // pred [tower, in, paris], gold [eiffel, tower]: 1 shared, P 1/3, R 1/2
    close(squadF1("the tower in Paris", "Eiffel Tower"), 0.4);
    // bag counting: pred x x y, gold x y y -> 2 shared
    close(squadF1("x x y", "x y y"), 2 / 3);
    assert.equal(squadF1("cat", "dog"), 0);
    assert.equal(squadF1("", "the"), 1, "both empty after normalization");
    assert.equal(squadF1("", "paris"), 0);
    assert.equal(squadF1("paris", "!!"), 0);
  });

  test("max over references; means", () => {
    const { perExample, means } = scoreTask("extractive_qa", [
      ex("Paris", "in Paris, France", "Paris"),
      ex("the tower in Paris", "Eiffel Tower"),
    ]);
    assert.deepEqual(perExample[0], { exactMatch: 1, f1: 1 });
    closeRecord(perExample[1], { exactMatch: 0, f1: 0.4 });
    closeRecord(means, { exactMatch: 0.5, f1: 0.7 });
  });
});

describe("entities", () => {
  test("parsing: pieces, none, unparseable pieces, duplicates, trailing separators", () => {
    assert.deepEqual(parseEntityAnswer("Maria Lopez [person]; Acme Corp [organization]"), {
      entities: [{ text: "maria lopez", type: "person" }, { text: "acme corp", type: "organization" }],
      unparseable: [],
      none: false,
    });
    assert.deepEqual(parseEntityAnswer(" None. "), { entities: [], unparseable: [], none: true });
    const messy = parseEntityAnswer("Maria  Lopez[ Person ]; garbage; maria lopez [person];");
    assert.deepEqual(messy.entities, [{ text: "maria lopez", type: "person" }]);
    assert.deepEqual(messy.unparseable, ["garbage"]);
    assert.deepEqual(parseEntityAnswer("[person]").unparseable, ["[person]"]);
    assert.deepEqual(parseEntityAnswer("Bob []").unparseable, ["Bob []"]);
    assert.deepEqual(parseEntityAnswer(""), { entities: [], unparseable: [], none: false });
  });

  test("precision/recall/F1 conventions", () => {
    assert.deepEqual(precisionRecallF1(0, 0, 0), { precision: 1, recall: 1, f1: 1 });
    assert.deepEqual(precisionRecallF1(0, 0, 2), { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(precisionRecallF1(0, 2, 0), { precision: 0, recall: 0, f1: 0 });
  });

  test("micro P/R/F1 by hand; unparseable pieces are wrong predictions", () => {
    const { perExample, means } = scoreTask("entities", [
      ex("Maria Lopez [person]; Acme Corp [location]", "Maria Lopez [person]; Acme Corp [organization]"),
      ex("none", "none"),
      ex("Paris [location]; oops", "Paris [location]"),
      ex("", "Bob [person]"),
    ]);
    closeRecord(perExample[0], { truePositives: 1, predicted: 2, gold: 2, precision: 0.5, recall: 0.5, f1: 0.5, formatError: 0 });
    closeRecord(perExample[1], { truePositives: 0, predicted: 0, gold: 0, precision: 1, recall: 1, f1: 1, formatError: 0 });
    closeRecord(perExample[2], { truePositives: 1, predicted: 2, gold: 1, precision: 0.5, recall: 1, f1: 2 / 3, formatError: 1 });
    closeRecord(perExample[3], { truePositives: 0, predicted: 0, gold: 1, precision: 0, recall: 0, f1: 0, formatError: 1 });
    // micro: tp 2, predicted 4, gold 4
    closeRecord(means, { precision: 0.5, recall: 0.5, f1: 0.5, f1Macro: (0.5 + 1 + 2 / 3 + 0) / 4, formatError: 0.5 });
  });

  test("several references: the best F1; a malformed reference throws", () => {
    const { perExample } = scoreTask("entities", [ex("Bob [person]", "none", "bob [PERSON]")]);
    assert.equal(perExample[0].f1, 1);
    assert.throws(() => scoreTask("entities", [ex("none", "Bob person")]), /example 0 .*"Bob person"/);
  });
});

describe("code", () => {
  test("exact match (ends trimmed) and whitespace-insensitive match, max over references", () => {
    const { perExample, means } = scoreTask("code", [
      ex("  x = 1\n", "x = 1"),
      ex("x=1", "x = 1"),
      ex("x =  1", "y = 2", "x = 1"),
      ex("", "x"),
      ex("", ""),
    ]);
    assert.deepEqual(perExample.map((s) => s.exactMatch), [1, 0, 0, 0, 1]);
    assert.deepEqual(perExample.map((s) => s.whitespaceInsensitiveMatch), [1, 1, 1, 0, 1]);
    closeRecord(means, { exactMatch: 0.4, whitespaceInsensitiveMatch: 0.8 });
  });
});

describe("scoreTask", () => {
  test("rejects empty input, examples without references, unknown families", () => {
    assert.throws(() => scoreTask("code", []), /no examples/);
    assert.throws(() => scoreTask("code", [ex("a")]), /example 0 has no reference/);
    assert.throws(() => scoreTask("bleu" as never, [ex("a", "a")]), /unknown metric family bleu/);
  });

  test("every family's means use only the keys METRIC_KEYS lists; lower-is-better keys are known", () => {
    const inputs: Record<keyof typeof METRIC_KEYS, ScoredExample[]> = {
      rouge: [{ prediction: "a b", references: ["a b"], facts: { x: "a" } }],
      classification: [ex("a", "a")],
      rating: [ex("3", "3")],
      extractive_qa: [ex("a", "a")],
      entities: [ex("a [b]", "a [b]")],
      code: [ex("a", "a")],
    };
    for (const [family, examples] of Object.entries(inputs)) {
      const means = scoreTask(family as keyof typeof METRIC_KEYS, examples, { labels: ["a"] }).means;
      const allowed = METRIC_KEYS[family as keyof typeof METRIC_KEYS];
      for (const key of Object.keys(means)) assert.ok(allowed.includes(key), `${family}: ${key} not in METRIC_KEYS`);
    }
    for (const key of LOWER_IS_BETTER) assert.ok(Object.values(METRIC_KEYS).some((keys) => keys.includes(key)), key);
  });
});
