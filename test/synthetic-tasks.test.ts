// The five synthetic instruction tasks: seeded generators, record validation, variety, label balance, task-specific
// invariants (QA spans, entity targets, code pairs that compute the same thing), and FLAN-style templates.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { Random } from "../src/random";
import { TaskDefinition, TaskRecord } from "../src/data/task";
import { renderExample } from "../src/data/templates";
import { METRIC_KEYS, parseEntityAnswer } from "../src/eval/metrics";
import { REVIEW_RATING_GENERATOR_VERSION, generateReviewRatingRecords } from "../src/lab/corpus/review-rating";
import { SENTIMENT_GENERATOR_VERSION, SENTIMENT_LABELS, generateSentimentRecords } from "../src/lab/corpus/sentiment";
import {
  ENTITY_RECOGNITION_GENERATOR_VERSION,
  Entity,
  formatEntities,
  generateEntityRecognitionRecords,
  parseEntities,
} from "../src/lab/corpus/entity-recognition";
import {
  CODE_TRANSLATION_GENERATOR_VERSION,
  CodePair,
  codePairRecord,
  generateCodePairs,
  generateCodeTranslationRecords,
} from "../src/lab/corpus/code-translation";
import { QUESTION_ANSWERING_GENERATOR_VERSION, countOccurrences, generateQuestionAnsweringRecords } from "../src/lab/corpus/question-answering";
import { CITIES, FIRST_NAMES, LAST_NAMES, ORGANIZATIONS, PRODUCT_MODELS } from "../src/lab/corpus/vocabulary";
import { reviewRatingTask } from "../src/lab/tasks/review-rating";
import { sentimentTask } from "../src/lab/tasks/sentiment";
import { entityRecognitionTask } from "../src/lab/tasks/entity-recognition";
import { codeTranslationTask } from "../src/lab/tasks/code-translation";
import { questionAnsweringTask } from "../src/lab/tasks/question-answering";

interface Case {
  task: TaskDefinition;
  version: string;
  generate: (random: Random, count: number) => Record<string, unknown>[];
  /** The text a model reads (what must be distinct). */
  input: (record: Record<string, unknown>) => string;
  /** The canonical answer, which every template's target must render to. */
  answer: (record: Record<string, unknown>) => string;
  /** Fields whose removal validate() must report. */
  required: string[];
}

const CASES: Case[] = [
  {
    task: reviewRatingTask,
    version: REVIEW_RATING_GENERATOR_VERSION,
    generate: generateReviewRatingRecords,
    input: (r) => String(r.review),
    answer: (r) => String(r.rating),
    required: ["review", "rating", "product"],
  },
  {
    task: sentimentTask,
    version: SENTIMENT_GENERATOR_VERSION,
    generate: generateSentimentRecords,
    input: (r) => String(r.text),
    answer: (r) => String(r.label),
    required: ["text", "label"],
  },
  {
    task: entityRecognitionTask,
    version: ENTITY_RECOGNITION_GENERATOR_VERSION,
    generate: generateEntityRecognitionRecords,
    input: (r) => String(r.sentence),
    answer: (r) => String(r.target),
    required: ["sentence", "entities", "target"],
  },
  {
    task: codeTranslationTask,
    version: CODE_TRANSLATION_GENERATOR_VERSION,
    generate: generateCodeTranslationRecords,
    input: (r) => String(r.direction === "python->javascript" ? r.python : r.javascript),
    answer: (r) => String(r.direction === "python->javascript" ? r.javascript : r.python),
    required: ["direction", "python", "javascript"],
  },
  {
    task: questionAnsweringTask,
    version: QUESTION_ANSWERING_GENERATOR_VERSION,
    generate: generateQuestionAnsweringRecords,
    input: (r) => `${r.context}\n${r.question}`,
    answer: (r) => String(r.answer),
    required: ["context", "question", "answer"],
  },
];

const N = 4000;
const SEED = 20261125;

/** Records as a JSONL file holds them: with ids. */
function withIds(task: TaskDefinition, records: Record<string, unknown>[]): TaskRecord[] {
  return records.map((r, i) => ({ id: `${task.name}-test-${String(i).padStart(5, "0")}`, ...r }));
}

const cache = new Map<string, Record<string, unknown>[]>();
function records(c: Case): Record<string, unknown>[] {
  if (!cache.has(c.task.name)) cache.set(c.task.name, c.generate(new Random(SEED), N));
  return cache.get(c.task.name)!;
}

function shares(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / values.length]));
}

const words = (text: string) => text.split(/\s+/).filter((w) => w.length > 0).length;

for (const c of CASES) {
  const name = c.task.name;

  test(`${name}: the same seed gives the same records, another seed other records`, () => {
    assert.deepEqual(c.generate(new Random(7), 50), c.generate(new Random(7), 50));
    assert.notDeepEqual(c.generate(new Random(7), 50), c.generate(new Random(8), 50));
    assert.equal(c.version, "1");
  });

  test(`${name}: every generated record validates, and carries no id`, () => {
    const generated = records(c);
    assert.equal(generated.length, N);
    for (const r of generated) assert.equal("id" in r, false);
    withIds(c.task, generated).forEach((r, i) => c.task.validate(r, `datasets/${c.task.folder}/train.jsonl:${i + 1}`));
  });

  test(`${name}: ${N} records are varied enough for 3,000 + 200 + 300 distinct examples`, (t) => {
    const generated = records(c);
    const distinctInputs = new Set(generated.map(c.input)).size;
    const distinctRecords = new Set(generated.map((r) => JSON.stringify(r))).size;
    const duplicateRate = 1 - distinctInputs / N;
    t.diagnostic(`${name}: ${distinctInputs} distinct inputs of ${N} (duplicate rate ${(100 * duplicateRate).toFixed(2)}%), ${distinctRecords} distinct records`);
    assert.ok(duplicateRate < 0.03, `duplicate rate ${duplicateRate}`);
    assert.ok(distinctRecords >= 3500);
  });

  test(`${name}: templates: 8 FLAN-style phrasings, 2 held out, every placeholder filled, targets the bare answer`, (t) => {
    const { templates } = c.task;
    assert.equal(templates.length, 8);
    assert.equal(templates.filter((x) => x.heldOut).length, 2);
    assert.equal(new Set(templates.map((x) => x.id)).size, 8);
    assert.equal(new Set(templates.map((x) => x.input)).size, 8);
    const sample = withIds(c.task, records(c).slice(0, 200));
    for (const record of sample) {
      for (const template of templates) {
        const example = renderExample(c.task, record, template); // throws on a placeholder without a field
        assert.equal(example.target, c.answer(record), `${template.id} target`);
        // (Code may hold braces of its own: look at the template's words only.)
        assert.doesNotMatch(example.input.replace(c.input(record), ""), /\{[a-z_]+\}/, `${template.id} leaves a placeholder`);
        assert.ok(example.input.includes(c.input(record).split("\n")[0]), `${template.id} input holds the text`);
      }
    }
    // Some templates put the instruction after the text, some before.
    assert.ok(templates.some((x) => x.input.startsWith("{")));
    assert.ok(templates.some((x) => !x.input.startsWith("{")));
    const lengths = sample.map((r) => renderExample(c.task, r, templates[0]));
    t.diagnostic(
      `${name}: mean words per input ${(lengths.reduce((a, e) => a + words(e.input), 0) / lengths.length).toFixed(1)}, ` +
        `per target ${(lengths.reduce((a, e) => a + words(e.target), 0) / lengths.length).toFixed(1)}`,
    );
  });

  test(`${name}: validate() names the location and the field`, () => {
    const [record] = withIds(c.task, records(c).slice(0, 1));
    const where = `datasets/${c.task.folder}/validation.jsonl:17`;
    for (const field of ["id", ...c.required]) {
      const broken: Record<string, unknown> = { ...record };
      delete broken[field];
      assert.throws(() => c.task.validate(broken, where), (e: Error) => e.message.includes(where) && e.message.includes(`"${field}"`), field);
    }
    assert.throws(() => c.task.validate("not an object", where), (e: Error) => e.message.includes(where));
    assert.throws(() => c.task.validate(null, where), (e: Error) => e.message.includes(where));
  });

  test(`${name}: task definition: name, folder, metric keys, labels, token budgets`, () => {
    assert.match(c.task.name, /^[a-z]+(_[a-z]+)*$/);
    assert.equal(c.task.folder, c.task.name);
    assert.ok(METRIC_KEYS[c.task.metric].includes(c.task.primaryMetric), `${c.task.primaryMetric} is a ${c.task.metric} key`);
    assert.ok(Number.isInteger(c.task.maxInputTokens) && c.task.maxInputTokens > 0);
    assert.ok(Number.isInteger(c.task.maxTargetTokens) && c.task.maxTargetTokens > 0);
    assert.ok(c.task.description.length > 20);
    if (c.task.labels) {
      const answers = new Set(records(c).map(c.answer));
      assert.deepEqual([...answers].sort(), [...c.task.labels].sort(), "every label occurs and every answer is a label");
    }
  });
}

test("metric families and primary metrics", () => {
  assert.deepEqual(
    CASES.map((c) => [c.task.name, c.task.metric, c.task.primaryMetric]),
    [
      ["review_rating", "rating", "accuracy"],
      ["sentiment", "classification", "accuracy"],
      ["entity_recognition", "entities", "f1"],
      ["code_translation", "code", "whitespaceInsensitiveMatch"],
      ["question_answering", "extractive_qa", "exactMatch"],
    ],
  );
  assert.deepEqual(reviewRatingTask.labels, ["1", "2", "3", "4", "5"]);
  assert.deepEqual(sentimentTask.labels, [...SENTIMENT_LABELS]);
});

test("classification templates with OPTIONS list every label", () => {
  for (const task of [reviewRatingTask, sentimentTask]) {
    const withOptions = task.templates.filter((t) => t.input.includes("OPTIONS:"));
    assert.ok(withOptions.length >= 2, task.name);
    for (const t of withOptions) assert.ok(t.input.includes(`OPTIONS:\n${task.labels!.map((l) => `- ${l}`).join("\n")}`), t.id);
  }
});

test("vocabulary: names, organizations, cities and product lines never contain one another", () => {
  const all = [...FIRST_NAMES, ...LAST_NAMES, ...ORGANIZATIONS, ...CITIES, ...PRODUCT_MODELS];
  assert.equal(new Set(all).size, all.length);
  for (const a of all) for (const b of all) if (a !== b) assert.ok(!b.includes(a), `"${a}" hides in "${b}"`);
});

// ---------------------------------------------------------------------------------------------------------------
// Review rating and sentiment

test("review_rating: each rating is 10-30% of the records; reviews are 2-4 sentences", (t) => {
  const generated = records(CASES[0]);
  const share = shares(generated.map((r) => String(r.rating)));
  t.diagnostic(`rating shares ${JSON.stringify(share)}`);
  for (const rating of ["1", "2", "3", "4", "5"]) assert.ok(share[rating] >= 0.1 && share[rating] <= 0.3, `${rating}: ${share[rating]}`);
  for (const r of generated) {
    const sentences = String(r.review).split(/(?<=[.!?])\s+/);
    assert.ok(sentences.length >= 2 && sentences.length <= 4, String(r.review));
  }
});

test("review_rating: each closing verdict belongs to one rating", () => {
  // The frequent last sentences are the closers ("Highly recommend!", "Save your money."); each must come with a
  // single rating, so the text grades the rating. (Rarer last sentences are aspect sentences, shared by design.)
  const byLast = new Map<string, number[]>();
  for (const r of records(CASES[0])) {
    const sentences = String(r.review).split(/(?<=[.!?])\s+/);
    const last = sentences[sentences.length - 1];
    byLast.set(last, [...(byLast.get(last) ?? []), Number(r.rating)]);
  }
  const closers = [...byLast].filter(([, ratings]) => ratings.length >= 30);
  assert.ok(closers.length >= 30, `${closers.length} frequent closers`);
  for (const [sentence, ratings] of closers) assert.equal(new Set(ratings).size, 1, `"${sentence}" closes reviews rated ${[...new Set(ratings)].join(", ")}`);
});

test("sentiment: each label is 25-42% of the records; statements are short", (t) => {
  const generated = records(CASES[1]);
  const share = shares(generated.map((r) => String(r.label)));
  t.diagnostic(`label shares ${JSON.stringify(share)}`);
  for (const label of SENTIMENT_LABELS) assert.ok(share[label] >= 0.25 && share[label] <= 0.42, `${label}: ${share[label]}`);
  for (const r of generated) assert.ok(words(String(r.text)) <= 30, String(r.text));
  // Negations appear on both sides, so "not" alone does not give the label away.
  const withNot = generated.filter((r) => /\b(not|n't|never|no)\b/i.test(String(r.text)));
  const notShare = shares(withNot.map((r) => String(r.label)));
  assert.ok(notShare.positive > 0.2 && notShare.negative > 0.2, JSON.stringify(notShare));
});

// ---------------------------------------------------------------------------------------------------------------
// Entity recognition

test("entity_recognition: targets parse back to the entities, which occur in the sentence in order", () => {
  for (const r of records(CASES[2])) {
    const entities = r.entities as Entity[];
    const sentence = String(r.sentence);
    assert.equal(r.target, formatEntities(entities));
    assert.deepEqual(parseEntities(String(r.target)), entities);
    // The evaluation's parser reads every target without a format error.
    const parsed = parseEntityAnswer(String(r.target));
    assert.equal(parsed.unparseable.length, 0);
    assert.equal(parsed.none, entities.length === 0);
    assert.equal(parsed.entities.length, new Set(entities.map((e) => `${e.type}:${e.text.toLowerCase()}`)).size);
    let from = 0;
    for (const e of entities) {
      const at = sentence.indexOf(e.text, from);
      assert.ok(at >= from, `${e.text} in "${sentence}"`);
      from = at + e.text.length;
    }
  }
  assert.deepEqual(parseEntities("none"), []);
  assert.deepEqual(parseEntities("Maria Lopez [person];  Berlin[location]; junk"), [
    { text: "Maria Lopez", type: "person" },
    { text: "Berlin", type: "location" },
  ]);
});

test("entity_recognition: every type is common, some sentences have none, counts 0-4", (t) => {
  const generated = records(CASES[2]);
  const types = shares(generated.flatMap((r) => (r.entities as Entity[]).map((e) => e.type)));
  const counts = shares(generated.map((r) => String((r.entities as Entity[]).length)));
  t.diagnostic(`entity type shares ${JSON.stringify(types)}; entities per sentence ${JSON.stringify(counts)}`);
  for (const type of ["person", "organization", "location", "date", "product"]) assert.ok(types[type] >= 0.1, type);
  assert.ok(counts["0"] >= 0.05 && counts["0"] <= 0.15, `none: ${counts["0"]}`);
  assert.ok(Object.keys(counts).every((k) => Number(k) <= 4));
});

test("entity_recognition: validate() rejects a target that disagrees with the entities, or an entity not in the sentence", () => {
  const [record] = withIds(entityRecognitionTask, records(CASES[2]).filter((r) => (r.entities as Entity[]).length > 0).slice(0, 1));
  const where = "datasets/entity_recognition/test.jsonl:3";
  assert.throws(() => entityRecognitionTask.validate({ ...record, target: "none" }, where), /test\.jsonl:3.*"target"/);
  const entities = [{ text: "Nobody Here", type: "person" }];
  assert.throws(() => entityRecognitionTask.validate({ ...record, entities, target: formatEntities(entities as Entity[]) }, where), /"entities"/);
  assert.throws(() => entityRecognitionTask.validate({ ...record, entities: [{ text: "x", type: "animal" }] }, where), /"entities".*animal/);
});

// ---------------------------------------------------------------------------------------------------------------
// Question answering

test("question_answering: every answer occurs exactly once in its passage; passages are 2-4 sentences", (t) => {
  const generated = records(CASES[4]);
  for (const r of generated) {
    const context = String(r.context);
    assert.equal(countOccurrences(context, String(r.answer)), 1, `${r.answer} in "${context}"`);
    const sentences = context.split(/(?<=[.!?])\s+(?=[A-Z])/);
    assert.ok(sentences.length >= 2 && sentences.length <= 4, context);
    assert.match(String(r.question), /\?$/);
  }
  const kinds = shares(generated.map((r) => String(r.kind)));
  t.diagnostic(`question kinds ${JSON.stringify(kinds)}`);
  for (const kind of ["who", "when", "where", "how_many", "how_much", "what", "which_color", "which_day"]) assert.ok(kinds[kind] >= 0.02, kind);
  const where = "datasets/question_answering/train.jsonl:9";
  const [record] = withIds(questionAnsweringTask, generated.slice(0, 1));
  assert.throws(() => questionAnsweringTask.validate({ ...record, answer: "not in the passage" }, where), /train\.jsonl:9.*"answer"/);
});

// ---------------------------------------------------------------------------------------------------------------
// Code translation: run both sides and compare

const PAIRS = generateCodePairs(new Random(SEED), 1500);

test("code_translation: records are the pairs without their checks; both directions; 1-6 lines of Python", (t) => {
  assert.deepEqual(generateCodeTranslationRecords(new Random(SEED), 1500), PAIRS.map(codePairRecord));
  const directions = shares(PAIRS.map((p) => p.direction));
  const kinds = shares(PAIRS.map((p) => p.kind));
  t.diagnostic(`directions ${JSON.stringify(directions)}; kinds ${JSON.stringify(kinds)}`);
  assert.ok(directions["python->javascript"] > 0.4 && directions["javascript->python"] > 0.4);
  for (const pair of PAIRS) {
    const lines = pair.python.split("\n");
    assert.ok(lines.length >= 1 && lines.length <= 6, pair.python);
    checkPythonIndentation(pair.python);
    checkJavaScriptBraces(pair.javascript);
    assert.ok(!/\t/.test(pair.python + pair.javascript));
  }
});

/** Blocks open with ":" and the next line goes one level (4 spaces) deeper; no line jumps more than one level. */
function checkPythonIndentation(code: string): void {
  const lines = code.split("\n");
  lines.forEach((line, i) => {
    const depth = (line.length - line.trimStart().length) / 4;
    assert.ok(Number.isInteger(depth), `indentation of "${line}"`);
    const next = lines[i + 1];
    const nextDepth = next === undefined ? 0 : (next.length - next.trimStart().length) / 4;
    if (line.trimEnd().endsWith(":")) assert.equal(nextDepth, depth + 1, `block after "${line}"`);
    else assert.ok(nextDepth <= depth, `unexpected indent after "${line}"`);
  });
}

/** Two-space indentation that follows the braces. */
function checkJavaScriptBraces(code: string): void {
  let depth = 0;
  for (const line of code.split("\n")) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith("}")) depth--;
    assert.equal(line.length - trimmed.length, 2 * depth, `indentation of "${line}"`);
    if (trimmed.endsWith("{")) depth++;
  }
  assert.equal(depth, 0);
}

/** Run the JavaScript side: call the function with the sample arguments, or run the snippet and collect results. */
function runJavaScript(pair: CodePair): unknown {
  const check = pair.check;
  if (check.type === "function") {
    const fn = new Function(`"use strict";\n${pair.javascript}\nreturn ${check.javascriptName};`)() as (...args: unknown[]) => unknown;
    return check.calls.map((args) => fn(...structuredClone(args)));
  }
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(args.map(String).join(" ")) };
  const variables = new Function("console", `"use strict";\n${pair.javascript}\nreturn [${check.variables.map((v) => v.javascript).join(", ")}];`)(fakeConsole);
  return { variables, printed };
}

// The Python side runs in one python3 process: exec each program, then call or read what the check names.
// print() is captured as str() of its arguments joined by spaces, exactly what the terminal would show.
const PYTHON_RUNNER = `
import json, sys
results = []
for case in json.load(sys.stdin):
    try:
        printed = []
        env = {"print": lambda *args: printed.append(" ".join(str(a) for a in args))}
        exec(case["python"], env)
        check = case["check"]
        if check["type"] == "function":
            fn = env[check["pythonName"]]
            results.append({"value": [fn(*args) for args in check["calls"]]})
        else:
            results.append({"value": {"variables": [env[v["python"]] for v in check["variables"]], "printed": printed}})
    except Exception as error:
        results.append({"error": repr(error)})
json.dump(results, sys.stdout)
`;

function runPython(pairs: readonly CodePair[]): { value?: unknown; error?: string }[] | null {
  const result = spawnSync("python3", ["-c", PYTHON_RUNNER], { input: JSON.stringify(pairs), encoding: "utf8", maxBuffer: 1 << 28 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") return null;
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** Values as JSON sees them: Python's True/None/ints and JavaScript's true/null/numbers compare equal. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value) ?? '"<undefined>"');

test("code_translation: every JavaScript side parses and runs", () => {
  for (const pair of PAIRS) assert.doesNotThrow(() => runJavaScript(pair), pair.javascript);
});

test("code_translation: the Python and JavaScript sides compute the same values and print the same lines", (t) => {
  const python = runPython(PAIRS);
  if (python === null) {
    t.skip("python3 not found: only the JavaScript side and the Python indentation were checked");
    return;
  }
  PAIRS.forEach((pair, i) => {
    const py = python[i];
    assert.equal(py.error, undefined, `Python failed (${py.error}):\n${pair.python}`);
    assert.deepEqual(asJson(runJavaScript(pair)), py.value, `${pair.kind}:\n${pair.python}\n---\n${pair.javascript}`);
  });
  // The comparison catches a wrong translation: str.replace replaces every match, String.replace only the first.
  const wrong: CodePair = {
    kind: "negative_control",
    direction: "python->javascript",
    python: 'def mask(text):\n    return text.replace("a", "_")',
    javascript: 'function mask(text) {\n  return text.replace("a", "_");\n}',
    check: { type: "function", pythonName: "mask", javascriptName: "mask", calls: [["banana"]] },
  };
  assert.notDeepEqual(asJson(runJavaScript(wrong)), runPython([wrong])![0].value);
});
