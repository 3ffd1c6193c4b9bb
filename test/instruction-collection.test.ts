// The instruction collection (issue 14): its size and shape (trained and held-out tasks, templates), records that
// validate and render, few-shot prompts, determinism, no chat shared with chat_summary, labels, perfect answers
// scoring perfectly, and a small build.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { Random } from "../src/random";
import { SPLITS, TaskDefinition, TaskRecord, Template } from "../src/data/task";
import { fillPlaceholders, renderExample } from "../src/data/templates";
import { deriveSeed } from "../src/data/mixtures";
import { METRIC_KEYS, scoreTask } from "../src/eval/metrics";
import { DEFAULT_DATA_SEED, buildTask } from "../src/lab/corpus/build";
import { REGISTERED_TASKS, getRegisteredTask, loadRecords } from "../src/lab/tasks/registry";
import {
  CollectionTask,
  COLLECTION_TASK_NAMES,
  INSTRUCTION_COLLECTION,
  buildInstructionCollection,
  collectionTasks,
  fewShotExample,
  getCollectionTask,
  skippingValues,
} from "../src/lab/tasks/collection";
import { isFewShotReady } from "../src/lab/tasks/collection/templates";
import { PRODUCT_FEATURES } from "../src/lab/corpus/collection/product-blurb";
import { PRODUCT_KINDS } from "../src/lab/corpus/vocabulary";

const SAMPLE_SIZE = 120;
const BASE_TASKS = ["review_rating", "sentiment", "entity_recognition", "question_answering"];

/** Generated records of a task, with ids, as the build would keep them. */
function generateRecords(entry: CollectionTask, seed: number, count: number): TaskRecord[] {
  return entry.generator.generate(new Random(seed), count).map((r, i) => ({ ...r, id: `${entry.task.name}-${i}` }));
}

const samples = new Map<string, TaskRecord[]>();
/** One sample per task, generated once for all tests. */
function sample(entry: CollectionTask): TaskRecord[] {
  if (!samples.has(entry.task.name)) samples.set(entry.task.name, generateRecords(entry, deriveSeed(1, entry.task.name), SAMPLE_SIZE));
  return samples.get(entry.task.name)!;
}

/** The template rendered with the fields' own braces removed: any "{name}" left is an unfilled placeholder. */
function unfilledPlaceholders(task: TaskDefinition, record: TaskRecord, template: Template): string[] {
  const fields = Object.fromEntries(Object.entries(task.fields(record)).map(([k, v]) => [k, v.replace(/[{}]/g, "")]));
  const text = fillPlaceholders(template.input, fields, template.id) + fillPlaceholders(template.target, fields, template.id);
  return text.match(/\{[A-Za-z_][A-Za-z0-9_]*\}/g) ?? [];
}

const CHAT_TASKS = INSTRUCTION_COLLECTION.filter((c) => c.avoid?.task === "chat_summary");
const NEW_TASKS = INSTRUCTION_COLLECTION.filter((c) => !REGISTERED_TASKS.some((r) => r.task === c.task));

test("the collection: 16+ trained tasks and 3 held out, 8+ templates each with 2+ held out, chat_summary left out", () => {
  const trained = collectionTasks("train");
  const heldOut = collectionTasks("held_out");
  assert.ok(trained.length >= 16, `${trained.length} trained tasks`);
  assert.deepEqual(heldOut.map((c) => c.task.name), ["code_translation", "chat_order_and_amount", "chat_title"]);
  assert.equal(new Set(COLLECTION_TASK_NAMES).size, COLLECTION_TASK_NAMES.length, "task names are unique");
  assert.ok(!COLLECTION_TASK_NAMES.includes("chat_summary"), "chat_summary is the new task, not part of the collection");
  for (const { task } of INSTRUCTION_COLLECTION) {
    assert.ok(task.templates.length >= 8, `${task.name}: ${task.templates.length} templates`);
    assert.ok(task.templates.filter((t) => t.heldOut).length >= 2, `${task.name}: fewer than 2 held-out templates`);
    assert.equal(new Set(task.templates.map((t) => t.id)).size, task.templates.length, `${task.name}: template ids repeat`);
    assert.equal(task.folder, task.name);
    assert.ok(METRIC_KEYS[task.metric].includes(task.primaryMetric), `${task.name}: ${task.primaryMetric} is not a ${task.metric} metric`);
    assert.ok(task.maxInputTokens > 0 && task.maxTargetTokens > 0, `${task.name}: token budgets`);
  }
  assert.equal(getCollectionTask("chat-order-number").task.name, "chat_order_number");
  assert.throws(() => getCollectionTask("chat_summary"), /unknown collection task "chat_summary"/);
});

test("the four base tasks come in unchanged: the registered definitions and generators", () => {
  for (const name of BASE_TASKS) {
    const entry = getCollectionTask(name);
    const registered = getRegisteredTask(name);
    assert.equal(entry.task, registered.task);
    assert.equal(entry.generator, registered.generator);
    assert.equal(entry.role, "train");
  }
});

test("the base tasks' test splits built for the collection are the shipped ones (same seed, same task name)", () => {
  for (const name of BASE_TASKS) {
    const entry = getCollectionTask(name);
    const built = buildTask({ ...entry, role: "base" }, DEFAULT_DATA_SEED, { train: 1, validation: 1, test: 300 }, "test");
    assert.deepEqual(built.splits.test, loadRecords(name, "test").records, name);
  }
});

test("every template renders every generated record, with no unfilled placeholder", () => {
  for (const entry of INSTRUCTION_COLLECTION) {
    for (const record of sample(entry).slice(0, 40)) {
      for (const template of entry.task.templates) {
        const example = renderExample(entry.task, record, template);
        assert.ok(example.input.trim() !== "" && example.target.trim() !== "", `${template.id}: empty input or target`);
        assert.deepEqual(unfilledPlaceholders(entry.task, record, template), [], `${template.id} on ${record.id}`);
      }
    }
  }
});

test("new tasks' templates end with words of their own, so few-shot exemplars keep answers apart", () => {
  for (const { task } of NEW_TASKS) {
    for (const template of task.templates) assert.ok(isFewShotReady(template), `${template.id} ends with a field: ${JSON.stringify(template.input.slice(-40))}`);
  }
  assert.equal(isFewShotReady({ id: "t", input: "Named entity recognition:\n{sentence}", target: "{target}" }), false);
});

test("fewShotExample: k solved exemplars of the pool, never the record itself, then the question", () => {
  for (const entry of INSTRUCTION_COLLECTION) {
    const pool = sample(entry);
    const template = entry.task.templates[0];
    const shot = fewShotExample(entry.task, pool[0], pool.slice(0, 6), template, 2, new Random(3));
    const question = renderExample(entry.task, pool[0], template);
    assert.ok(shot.input.endsWith(question.input), `${entry.task.name}: the question comes last`);
    assert.equal(shot.target, question.target);
    const shown = pool.slice(1, 6).filter((r) => {
      const e = renderExample(entry.task, r, template);
      return shot.input.includes(`${e.input}${/\s$/.test(e.input) ? "" : " "}${e.target}`);
    });
    assert.equal(shown.length, 2, `${entry.task.name}: two exemplars with their answers`);
  }
  const pool = sample(getCollectionTask("chat_amount"));
  assert.throws(() => fewShotExample(getCollectionTask("chat_amount").task, pool[0], pool.slice(0, 2), getCollectionTask("chat_amount").task.templates[0], 2, new Random(1)), /2 exemplars wanted, the pool has 1/);
});

test("validators accept generated records", () => {
  for (const entry of INSTRUCTION_COLLECTION) {
    sample(entry).forEach((record, i) => entry.task.validate(record, `${entry.task.name}/train.jsonl:${i + 1}`));
  }
});

/** Fields whose removal each task's validator must report by name. */
const REQUIRED_FIELDS: Record<string, string[]> = {
  review_rating: ["review", "rating", "product"],
  sentiment: ["text", "label"],
  entity_recognition: ["sentence", "entities", "target"],
  question_answering: ["context", "question", "answer"],
  chat_order_number: ["dialogue"],
  chat_product: ["dialogue", "product"],
  chat_amount: ["dialogue", "amount"],
  chat_issue_type: ["dialogue", "issue_type"],
  chat_resolved: ["dialogue", "resolved", "outcome"],
  chat_outcome: ["dialogue", "outcome"],
  chat_customer: ["dialogue", "customer"],
  chat_next_turn: ["dialogue", "customer", "turn"],
  review_title: ["review", "product", "rating", "title"],
  review_writing: ["review", "product", "rating"],
  product_blurb: ["name", "kind", "brand", "color", "price", "features", "blurb"],
  paraphrase: ["sentence", "paraphrase", "alternatives"],
  question_generation: ["context", "question", "answer"],
  code_translation: ["direction", "python", "javascript"],
  chat_order_and_amount: ["dialogue", "order_number", "amount"],
  chat_title: ["dialogue", "title", "issue_type", "outcome"],
};

test("validators reject a record without a required field, naming the field and where", () => {
  assert.deepEqual(Object.keys(REQUIRED_FIELDS).sort(), [...COLLECTION_TASK_NAMES].sort());
  for (const entry of INSTRUCTION_COLLECTION) {
    const record = sample(entry).find((r) => r.order_number !== null) ?? sample(entry)[0];
    for (const field of REQUIRED_FIELDS[entry.task.name]) {
      const broken: Record<string, unknown> = { ...record };
      delete broken[field];
      assert.throws(() => entry.task.validate(broken, "f.jsonl:7"), (e: Error) => e.message.startsWith("f.jsonl:7") && e.message.includes(`"${field}`), `${entry.task.name} without ${field}`);
    }
  }
});

/** Records that are well-formed but wrong, and the field each error must name. */
const BROKEN: { task: string; field: string; breakIt: (r: TaskRecord) => Record<string, unknown> }[] = [
  { task: "chat_order_number", field: "order_number", breakIt: (r) => ({ ...r, order_number: "12345678" }) },
  { task: "chat_order_number", field: "order_number", breakIt: (r) => ({ ...r, order_number: "#12345" }) },
  { task: "chat_product", field: "product", breakIt: (r) => ({ ...r, product: "hovercraft" }) },
  { task: "chat_amount", field: "amount", breakIt: (r) => ({ ...r, amount: "$0.01" }) },
  { task: "chat_issue_type", field: "issue_type", breakIt: (r) => ({ ...r, issue_type: "alien abduction" }) },
  { task: "chat_resolved", field: "resolved", breakIt: (r) => ({ ...r, resolved: r.resolved === "yes" ? "no" : "yes" }) },
  { task: "chat_outcome", field: "outcome", breakIt: (r) => ({ ...r, outcome: "free lunch" }) },
  { task: "chat_customer", field: "customer", breakIt: (r) => ({ ...r, customer: "#Person3#" }) },
  { task: "chat_customer", field: "dialogue", breakIt: (r) => ({ ...r, dialogue: `Customer: hi\n${r.dialogue}` }) },
  { task: "chat_next_turn", field: "turn", breakIt: (r) => ({ ...r, turn: Number(r.turn) - 1 }) },
  { task: "chat_next_turn", field: "turn", breakIt: (r) => ({ ...r, turn: 99 }) },
  { task: "review_title", field: "title", breakIt: (r) => ({ ...r, title: "one\ntwo" }) },
  { task: "product_blurb", field: "price", breakIt: (r) => ({ ...r, price: "$1.00" }) },
  { task: "product_blurb", field: "features", breakIt: (r) => ({ ...r, features: ["a jetpack"] }) },
  { task: "paraphrase", field: "paraphrase", breakIt: (r) => ({ ...r, paraphrase: "Something else entirely." }) },
  { task: "paraphrase", field: "alternatives", breakIt: (r) => ({ ...r, alternatives: [...(r.alternatives as string[]), r.sentence] }) },
  { task: "question_generation", field: "answer", breakIt: (r) => ({ ...r, answer: "nowhere in the passage" }) },
  { task: "chat_order_and_amount", field: "order_number", breakIt: (r) => ({ ...r, order_number: null }) },
  { task: "chat_title", field: "title", breakIt: (r) => ({ ...r, title: "" }) },
];

test("validators reject wrong values, naming the field", () => {
  for (const { task, field, breakIt } of BROKEN) {
    const entry = getCollectionTask(task);
    const record = sample(entry).find((r) => r.order_number !== null && r.turn !== 1) ?? sample(entry)[0];
    assert.throws(() => entry.task.validate(breakIt(record), "x.jsonl:3"), (e: Error) => e.message.startsWith("x.jsonl:3") && e.message.includes(`"${field}"`), `${task}: ${field}`);
  }
});

test("generators are deterministic per seed, and seeds differ", () => {
  for (const entry of INSTRUCTION_COLLECTION) {
    const a = entry.generator.generate(new Random(42), 15);
    assert.deepEqual(entry.generator.generate(new Random(42), 15), a, entry.task.name);
    assert.notDeepEqual(entry.generator.generate(new Random(43), 15), a, entry.task.name);
  }
});

test("no chat of the collection is one of chat_summary's (datasets/chat_summary/*.jsonl), on the build's seed streams", () => {
  const shipped = new Set(SPLITS.flatMap((split) => loadRecords("chat_summary", split).records.map((r) => String(r.dialogue))));
  assert.equal(shipped.size, 3500);
  for (const entry of CHAT_TASKS) {
    for (const split of SPLITS) {
      const records = entry.generator.generate(new Random(deriveSeed(DEFAULT_DATA_SEED, entry.task.name, split)), 40);
      for (const record of records) assert.ok(!shipped.has(String(record.dialogue)), `${entry.task.name}/${split}: a chat_summary dialogue`);
    }
  }
  assert.equal(CHAT_TASKS.length, 10);
});

test("skippingValues drops the avoided records and draws more in their place", () => {
  const shipped = loadRecords("chat_summary", "test").records.slice(0, 3);
  let calls = 0;
  const replaying = {
    name: "replay",
    version: 1,
    generate: (random: Random, count: number) => {
      calls++;
      return Array.from({ length: count }, (_, i) => ({ dialogue: calls === 1 && i < 3 ? shipped[i].dialogue : `#Person1#: fresh ${random.int(0, 1e9)}\n#Person2#: ok` }));
    },
  };
  const skipping = skippingValues(replaying, "dialogue", new Set(shipped.map((r) => String(r.dialogue))), "chat_summary dialogues");
  const records = skipping.generate(new Random(1), 5);
  assert.equal(records.length, 5);
  assert.ok(records.every((r) => String(r.dialogue).includes("fresh")));
  assert.equal(skipping.name, "replay (skipping chat_summary dialogues)");
});

test("classification labels cover every generated target", () => {
  const withLabels = INSTRUCTION_COLLECTION.filter((c) => c.task.labels);
  assert.ok(withLabels.length >= 6, `${withLabels.length} tasks with labels`);
  for (const { task } of withLabels) {
    const seen = new Set<string>();
    for (const record of samples.get(task.name) ?? sample(getCollectionTask(task.name))) {
      for (const template of task.templates) {
        const target = renderExample(task, record, template).target;
        assert.ok(task.labels!.includes(target), `${template.id}: target ${JSON.stringify(target)} is not a label`);
        seen.add(target);
      }
    }
    assert.ok(seen.size >= Math.min(2, task.labels!.length), `${task.name}: only ${[...seen].join(", ")}`);
  }
  const resolved = sample(getCollectionTask("chat_resolved")).filter((r) => r.resolved === "yes").length;
  assert.ok(resolved > SAMPLE_SIZE * 0.35 && resolved < SAMPLE_SIZE * 0.65, `chat_resolved: ${resolved} of ${SAMPLE_SIZE} are "yes"`);
});

test("metrics score a perfect answer as perfect on every task and template", () => {
  for (const { task } of INSTRUCTION_COLLECTION) {
    const records = sample(getCollectionTask(task.name)).slice(0, 10);
    const examples = records.flatMap((record) =>
      task.templates.map((template) => {
        const target = renderExample(task, record, template).target;
        const references = task.references ? task.references(record) : [target];
        return { prediction: target, references };
      }),
    );
    const scores = scoreTask(task.metric, examples, { labels: task.labels });
    assert.equal(scores.means[task.primaryMetric], 1, `${task.name}: ${task.primaryMetric} = ${scores.means[task.primaryMetric]}`);
  }
});

test("generated data covers what it should: product features for every kind, 'none' order numbers, varied targets", () => {
  assert.deepEqual(Object.keys(PRODUCT_FEATURES).sort(), PRODUCT_KINDS.map((k) => k.name).sort());
  const orders = sample(getCollectionTask("chat_order_number"));
  const none = orders.filter((r) => r.order_number === null).length;
  assert.ok(none > 5 && none < SAMPLE_SIZE * 0.4, `${none} chats without an order`);
  const sentences = (text: string) => text.split(/(?<=[.!?])\s+/).length;
  for (const name of ["product_blurb", "review_writing", "chat_next_turn", "paraphrase"]) {
    const { task } = getCollectionTask(name);
    const targets = sample(getCollectionTask(name)).map((r) => renderExample(task, r, task.templates[0]).target);
    assert.ok(targets.some((t) => sentences(t) >= 2), `${name}: no multi-sentence target`);
    assert.ok(new Set(targets).size > SAMPLE_SIZE * 0.8, `${name}: targets repeat`);
  }
});

test("a small build writes every task's splits, meta.json and collection.json, skipping avoided records", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "flanlab-collection-"));
  try {
    const build = await buildInstructionCollection({ out, sizes: { train: 12, validation: 4, test: 4 }, heldOutSizes: { train: 4, validation: 2, test: 2 } });
    assert.deepEqual(build.tasks.map((t) => t.meta.task), COLLECTION_TASK_NAMES);
    for (const name of COLLECTION_TASK_NAMES) {
      for (const split of SPLITS) assert.ok(fs.existsSync(path.join(out, name, `${split}.jsonl`)), `${name}/${split}.jsonl`);
      const records = loadRecords(getCollectionTask(name).task, "train", { datasetsDir: out }).records;
      assert.equal(records.length, getCollectionTask(name).role === "train" ? 12 : 4);
    }
    const index = JSON.parse(fs.readFileSync(path.join(out, "collection.json"), "utf8"));
    assert.deepEqual(index.tasks.filter((t: { role: string }) => t.role === "held_out").map((t: { name: string }) => t.name), ["code_translation", "chat_order_and_amount", "chat_title"]);
    const meta = JSON.parse(fs.readFileSync(path.join(out, "chat_outcome", "meta.json"), "utf8"));
    assert.equal(meta.generator.name, "generateChatOutcomeRecords (skipping chat_summary dialogues)");
    const ratingEval = new Set(["validation", "test"].flatMap((s) => build.tasks.find((t) => t.meta.task === "review_rating")!.splits[s as "test"].map((r) => r.review)));
    for (const t of build.tasks.filter((t) => t.meta.task === "review_writing" || t.meta.task === "review_title")) {
      for (const split of SPLITS) for (const r of t.splits[split]) assert.ok(!ratingEval.has(r.review), `${t.meta.task}: a review_rating evaluation review`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
