import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { buildDatasets, buildTask, contentKey, hasSentencePiece, placeholders, SMALL_SIZES, tokenizerCorpusLines } from "../src/lab/corpus/build";
import { baselineRows, lengthStats, tokenLengths } from "../src/lab/corpus/card";
import { readTaskRecords } from "../src/data/jsonl";
import type { RegisteredTask } from "../src/lab/tasks/registry";
import { TaskDefinition, TaskRecord } from "../src/data/task";
import { loadTokenizer } from "../src/io/tokenizer";
import { Random } from "../src/random";
import { tempDir } from "./helpers";

const WORDS = (
  "apple banana cherry delivery order refund kettle blender laptop charger window garden morning evening " +
  "quickly slowly happy unhappy broken perfect wonderful terrible package customer agent service replace " +
  "return yesterday tomorrow weekend battery screen keyboard mouse printer paper coffee teapot bottle jacket"
).split(" ");

function fakeTask(name: string, heldOut = "c"): TaskDefinition {
  return {
    name,
    description: `A fake task (${name}) for the build tests.`,
    folder: name,
    templates: ["a", "b", "c"].map((id) => ({ id, input: `Task ${id}, please classify:\n{text}`, target: "{label}", heldOut: id === heldOut })),
    fields: (r) => ({ text: String(r.text), label: String(r.label), unused: "NEVER-IN-CORPUS" }),
    validate(record: unknown, where: string): asserts record is TaskRecord {
      const r = record as Record<string, unknown>;
      for (const field of ["id", "text", "label"]) {
        if (typeof r?.[field] !== "string" || r[field] === "") throw new Error(`${where}: field "${field}" is missing or empty.`);
      }
    },
    metric: "classification",
    primaryMetric: "accuracy",
    labels: ["yes", "no"],
    maxInputTokens: 24,
    maxTargetTokens: 4,
  };
}

/** Sentences of 3-8 words: practically never repeats. */
function wordy(random: Random, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => ({
    label: random.pick(["yes", "no"]),
    text: Array.from({ length: random.int(3, 8) }, () => random.pick(WORDS)).join(" ") + ".\nSecond line " + random.pick(WORDS) + ".",
  }));
}

/** Only 261 distinct records, and keys in varying order: the build must deduplicate and top up. */
function repetitive(random: Random, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => {
    const n = random.int(0, 260);
    return n % 2 ? { text: `number ${n}`, label: "yes" } : { label: "no", text: `number ${n}` };
  });
}

const fakeTasks: RegisteredTask[] = [
  { task: fakeTask("wordy"), role: "base", generator: { name: "wordy", version: "1", generate: wordy } },
  { task: fakeTask("numbers"), role: "new", generator: { name: "repetitive", version: 2, generate: repetitive } },
];

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out;
}

const SPM = hasSentencePiece();

test("a small build twice with the same seed gives byte-identical files (tokenizer included when spm_train is installed)", { timeout: 120_000 }, async (t) => {
  if (!SPM) t.diagnostic("spm_train not installed (apt-get install sentencepiece): tokenizer and token statistics not compared");
  const [a, b, c] = [tempDir("build-a"), tempDir("build-b"), tempDir("build-c")];
  const options = { seed: 17, sizes: SMALL_SIZES, vocabSize: 150, tasks: fakeTasks, tokenizer: SPM, command: "flanlab data build --seed 17 --small" };
  await buildDatasets({ out: a, ...options });
  await buildDatasets({ out: b, ...options });
  const files = filesUnder(a);
  const expected = ["README.md", ...["numbers", "wordy"].flatMap((task) => ["meta.json", "test.jsonl", "train.jsonl", "validation.jsonl"].map((f) => `${task}/${f}`))];
  if (SPM) expected.push("tokenizer/README.md", "tokenizer/tokenizer.json", "tokenizer/tokenizer_config.json");
  assert.deepEqual(files, expected.sort((x, y) => x.localeCompare(y)));
  assert.deepEqual(filesUnder(b), files);
  for (const file of files) assert.ok(fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file))), `${file} differs between two builds`);
  await buildDatasets({ out: c, ...options, seed: 18, tokenizer: false, card: false });
  assert.notEqual(fs.readFileSync(path.join(a, "wordy", "train.jsonl"), "utf8"), fs.readFileSync(path.join(c, "wordy", "train.jsonl"), "utf8"));

  // what was written: sizes, ids, one key order, no duplicates, no test record in train or validation
  for (const { task } of fakeTasks) {
    const read = (split: string) => readTaskRecords(task, path.join(a, task.folder, `${split}.jsonl`)).records;
    const [train, validation, testSplit] = [read("train"), read("validation"), read("test")];
    assert.deepEqual([train.length, validation.length, testSplit.length], [SMALL_SIZES.train, SMALL_SIZES.validation, SMALL_SIZES.test]);
    assert.equal(train[7].id, `${task.name}-train-00007`);
    assert.equal(testSplit[0].id, `${task.name}-test-00000`);
    const lines = fs.readFileSync(path.join(a, task.folder, "train.jsonl"), "utf8").trimEnd().split("\n");
    for (const line of lines) assert.deepEqual(Object.keys(JSON.parse(line)), ["id", ...Object.keys(JSON.parse(lines[0])).slice(1)]);
    const keys = [...train, ...validation, ...testSplit].map(contentKey);
    assert.equal(new Set(keys).size, keys.length, `${task.name}: duplicate content`);
    const meta = JSON.parse(fs.readFileSync(path.join(a, task.folder, "meta.json"), "utf8"));
    assert.equal(meta.seed, 17);
    assert.deepEqual(Object.keys(meta.splits), ["train", "validation", "test"]);
    assert.equal(meta.splits.train.count, SMALL_SIZES.train);
    const removed = ["train", "validation", "test"].reduce((n, s) => n + meta.splits[s].duplicatesWithinSplit + meta.splits[s].duplicatesOfOtherSplits, 0);
    assert.equal(meta.duplicatesRemoved, removed);
    assert.equal(meta.splits.train.generated, meta.splits.train.count + meta.splits.train.duplicatesWithinSplit + meta.splits.train.duplicatesOfOtherSplits);
    if (task.name === "numbers") {
      assert.ok(meta.splits.train.duplicatesOfOtherSplits > 0, "the repetitive generator must have collided with test/validation");
      assert.deepEqual([...meta.fields].sort(), ["id", "label", "text"]);
      assert.deepEqual(meta.fields, Object.keys(JSON.parse(lines[0]))); // first-seen key order, applied to all records
      assert.deepEqual(meta.generator, { name: "repetitive", version: 2 });
    }
  }

  const card = fs.readFileSync(path.join(a, "README.md"), "utf8");
  assert.match(card, /flanlab data build --seed 17 --small/);
  assert.match(card, /\| `wordy` \| base \| 150 \| 20 \| 30 \|/);
  assert.match(card, /Templates: 3, of which 1 held out \(never in training streams\): `c`/);
  assert.equal(card.match(/^`wordy-train-\d{5}`, template `[ab]`:$/gm)?.length, 5);
  if (SPM) {
    assert.match(card, /\| `wordy` \| [\d.]+ \/ [\d.]+ \/ \d+ \/ \d+ \|/);
    const tokenizer = await loadTokenizer(path.join(a, "tokenizer"));
    assert.equal(tokenizer.vocabSize, 150);
    assert.equal(tokenizer.decode(tokenizer.encode("broken kettle number 42")), "broken kettle number 42");
  }
});

test("the tokenizer's training text: fields that templates use, one template's words per record, never other fields", () => {
  const task = fakeTask("wordy");
  const records = [{ id: "1", text: "one\ntwo", label: "yes" }, { id: "2", text: "three", label: "no" }] as TaskRecord[];
  assert.deepEqual(placeholders("Q: {question} ({context})"), ["question", "context"]);
  assert.deepEqual(tokenizerCorpusLines(task, records), ["one", "two", "yes", "Task a, please classify:", "three", "no", "Task b, please classify:"]);
});

test("contentKey ignores the id and key order, and sees nested differences", () => {
  assert.equal(contentKey({ id: "a", x: 1, y: { p: 1, q: [1, 2] } }), contentKey({ y: { q: [1, 2], p: 1 }, x: 1, id: "b" }));
  assert.notEqual(contentKey({ x: 1, y: { q: [1, 2] } }), contentKey({ x: 1, y: { q: [2, 1] } }));
});

test("a generator that cannot fill a split, or makes invalid records, is an error naming task, split and cause", () => {
  const tiny: RegisteredTask = { task: fakeTask("tiny"), role: "base", generator: { name: "tiny", version: 1, generate: (r, n) => Array.from({ length: n }, () => ({ text: "same", label: r.pick(["yes", "no"]) })) } };
  assert.throws(() => buildTask(tiny, 1, { train: 5, validation: 1, test: 1 }, "cmd"), /tiny\/validation: only 1 distinct records of 1|tiny\/train: only 0 distinct records of 5 after 40 generator calls/);
  const invalid: RegisteredTask = { task: fakeTask("bad"), role: "base", generator: { name: "bad", version: 1, generate: (r, n) => Array.from({ length: n }, () => ({ text: String(r.uniform()) })) } };
  assert.throws(() => buildTask(invalid, 1, { train: 2, validation: 1, test: 1 }, "cmd"), /bad\/train\.jsonl record 1 \(from bad\): field "label" is missing or empty/);
});

test("reading a task's records: a malformed line or invalid record names file, line and field; skipInvalid counts", () => {
  const dir = tempDir("records");
  const task = fakeTask("wordy");
  const file = path.join(dir, "train.jsonl");
  fs.writeFileSync(file, ['{"id":"a","text":"t","label":"yes"}', '{"id":"b","text":', '{"id":"c","text":"t"}', "", '{"id":"d","text":"u","label":"no"}'].join("\n") + "\n");
  assert.throws(() => readTaskRecords(task, file), (e: Error) => e.message.startsWith(`${file}:2: not valid JSON`));
  fs.writeFileSync(path.join(dir, "one.jsonl"), '{"id":"c","text":"t"}\n');
  assert.throws(() => readTaskRecords(task, path.join(dir, "one.jsonl")), (e: Error) => e.message === `${path.join(dir, "one.jsonl")}:1: field "label" is missing or empty.`);
  const read = readTaskRecords(task, file, true);
  assert.deepEqual(read.records.map((r) => r.id), ["a", "d"]);
  assert.equal(read.skipped, 2);
  assert.match(read.problems.join("\n"), /:2: not valid JSON[\s\S]*:3: field "label"/);
});

test("length statistics and baseline rows", () => {
  assert.deepEqual(lengthStats([5, 1, 3, 2, 4]), { count: 5, mean: 3, median: 3, p95: 5, max: 5 });
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
  assert.deepEqual(lengthStats(twenty), { count: 20, mean: 10.5, median: 10.5, p95: 19, max: 20 });
  const words = { encode: (t: string) => [...t.split(" "), "</s>"].map(() => 5) };
  const lengths = tokenLengths([{ input: "a b c", target: "x" }, { input: "a", target: "x y" }], words, { maxInputTokens: 3, maxTargetTokens: 2 });
  assert.deepEqual([lengths.input.max, lengths.target.mean, lengths.perExample, lengths.overInputBudget, lengths.overTargetBudget], [4, 2.5, 5.5, 1, 1]);
  assert.deepEqual(baselineRows({ lead: { rouge1: 0.3, rouge2: 0.1, rougeL: 0.25 } }), [{ name: "lead", description: undefined, rouge1: 0.3, rouge2: 0.1, rougeL: 0.25 }]);
  assert.deepEqual(baselineRows([{ name: "x", rouge1: { fmeasure: 0.5 }, rouge2: { fmeasure: 0.2 }, rougeL: { fmeasure: 0.4 } }]).map((r) => r.rougeL), [0.4]);
});

test("the registry: six tasks with their roles; getTask names the known tasks; loadRecords reads a built folder", async () => {
  const registry = await import("../src/lab/tasks/registry");
  assert.deepEqual([...registry.TASK_NAMES].sort(), ["chat_summary", "code_translation", "entity_recognition", "question_answering", "review_rating", "sentiment"]);
  assert.deepEqual([...registry.BASE_TASK_NAMES], ["review_rating", "sentiment", "entity_recognition", "question_answering"]);
  assert.equal(registry.NEW_TASK_NAME, "chat_summary");
  assert.deepEqual([...registry.HELD_OUT_TASK_NAMES], ["code_translation"]);
  assert.equal(registry.getTask("chat-summary").name, "chat_summary");
  assert.equal(registry.taskRole("code_translation"), "held_out");
  assert.throws(() => registry.getTask("translation"), /unknown task "translation"\. Known tasks: review_rating, sentiment, entity_recognition, question_answering, chat_summary, code_translation\./);

  const out = tempDir("registry");
  await buildDatasets({ out, seed: 3, sizes: { train: 12, validation: 3, test: 4 }, tokenizer: false, card: false });
  for (const name of registry.TASK_NAMES) {
    const { records, skipped } = registry.loadRecords(name, "validation", { datasetsDir: out });
    assert.equal(records.length, 3);
    assert.equal(skipped, 0);
  }
  const file = registry.recordsFile(registry.getTask("sentiment"), "train", out);
  const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
  const broken = { ...JSON.parse(lines[1]) };
  delete broken.label;
  lines[1] = JSON.stringify(broken);
  lines[2] = "{oops";
  fs.writeFileSync(file, lines.join("\n") + "\n");
  assert.throws(() => registry.loadRecords("sentiment", "train", { datasetsDir: out }), (e: Error) => e.message.startsWith(`${file}:2`) && /label/.test(e.message));
  const loaded = registry.loadRecords("sentiment", "train", { datasetsDir: out, skipInvalid: true });
  assert.equal(loaded.records.length, 10);
  assert.equal(loaded.skipped, 2);
  assert.match(loaded.problems[0], /:2: field "label"/);
  assert.match(loaded.problems[1], /:3: not valid JSON/);
  assert.throws(() => registry.loadRecords("sentiment", "test", { datasetsDir: path.join(out, "nowhere") }), /not found: build the datasets with `flanlab data build`/);
});

test("flanlab data build / mix / inspect from the command line", { timeout: 120_000 }, () => {
  const { spawnSync } = require("child_process") as typeof import("child_process");
  const root = path.join(__dirname, "..");
  const flanlab = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src", "cli.ts"), ...args], { cwd: root, encoding: "utf8" });
  const [a, b] = [tempDir("cli-a"), tempDir("cli-b")];
  const built = flanlab(["data", "build", "--out", a, "--small", "--seed", "5", ...(SPM ? [] : ["--no-tokenizer"])]);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /chat_summary: train 150, validation 20, test 30/);
  assert.equal(flanlab(["data", "build", "--out", b, "--small", "--seed", "5", ...(SPM ? [] : ["--no-tokenizer"])]).status, 0);
  for (const file of filesUnder(a)) assert.ok(fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file))), `${file} differs`);

  const mix = flanlab(["data", "mix", "--datasets", a, "--rate", "temperature:2,100", "--n", "20000", "--seed", "1"]);
  assert.equal(mix.status, 0, mix.stderr);
  assert.match(mix.stdout, /^rate temperature:2,100, 20,000 draws, seed 1, train split/);
  const rows = mix.stdout.trim().split("\n").slice(2).map((line) => line.trim().split(/\s+/));
  assert.deepEqual(rows.map((r) => r[0]), ["review_rating", "sentiment", "entity_recognition", "question_answering"]);
  for (const r of rows) {
    assert.equal(r[2], "10.00"); // sqrt(min(150, 100))
    assert.equal(r[3], "0.2500");
    assert.ok(Math.abs(Number(r[4]) - 0.25) < 0.01);
  }
  assert.match(flanlab(["data", "mix", "--datasets", a, "--tasks", "sentiment,nope"]).stderr, /unknown task "nope"/);
  assert.match(flanlab(["data", "mix", "--datasets", a, "--rate", "proportional"]).stderr, /the cap K is missing/);

  const inspect = flanlab(["data", "inspect", path.join(a, "chat_summary", "test.jsonl"), "--tokenizer", path.join(a, "tokenizer")]);
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.match(inspect.stdout, /jsonl, 30 examples from 30 rows/);
  assert.match(inspect.stdout, /references per example: 1: 30/);
  if (SPM) assert.match(inspect.stdout, /input: mean [\d.]+, median [\d.]+, p95 \d+, max \d+/);
  assert.match(inspect.stdout, /example chat_summary-test-00000/);
  for (const sub of ["build", "inspect", "mix"]) {
    const help = flanlab(["data", sub, "--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, new RegExp(`flanlab data ${sub}`));
  }
  assert.match(flanlab(["data"]).stdout, /build\s+generate[\s\S]*inspect[\s\S]*mix/);
  assert.equal(flanlab(["data", "fly"]).status, 2);
});
