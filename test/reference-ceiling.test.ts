import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildTask, DEFAULT_DATA_SEED, FULL_SIZES } from "../src/lab/corpus/build";
import { ChatSummaryRecord, factsOf, GeneratedChat, secondSummary } from "../src/lab/corpus/chat-summary";
import { OptionalFact, writeSummary } from "../src/lab/corpus/chat/summary";
import { Random } from "../src/random";
import { chatSummaryTask } from "../src/lab/tasks/chat-summary";
import { getRegisteredTask, loadRecords } from "../src/lab/tasks/registry";
import { chatBaselineScores } from "../src/lab/experiments/baselines";
import { chatReferenceCeiling, generatedChats } from "../src/lab/experiments/reference-ceiling";
import { toJsonl } from "../src/data/jsonl";
import { SPLITS } from "../src/data/task";
import * as lab from "../src/lab";

const TEST = loadRecords("chat_summary", "test").records;
const FIRST_100 = TEST.slice(0, 100);
// Lazily, so that a generator that no longer writes the shipped records fails the byte-for-byte test by name.
let chats: GeneratedChat[] | undefined;
const CHATS = (): GeneratedChat[] => (chats ??= generatedChats(FIRST_100));

describe("second summaries of a chat", () => {
  test("the generator still writes the shipped splits byte for byte (the summary writer was factored for this)", () => {
    const built = buildTask(getRegisteredTask("chat_summary"), DEFAULT_DATA_SEED, FULL_SIZES, "");
    for (const split of SPLITS) {
      const shipped = fs.readFileSync(path.join(__dirname, "..", "datasets", "chat_summary", `${split}.jsonl`), "utf8");
      assert.ok(toJsonl(built.splits[split]) === shipped, `${split}.jsonl differs from a regeneration with seed ${DEFAULT_DATA_SEED}`);
    }
  });

  test("replaying the build finds each shipped record's chat, and refuses a record the generator did not write", () => {
    CHATS().forEach((chat, i) => {
      const { id: _id, ...shipped } = FIRST_100[i];
      assert.deepEqual(chat.record, shipped, String(FIRST_100[i].id));
    });
    const edited = { ...FIRST_100[0], summary: `${FIRST_100[0].summary} Thanks.` };
    assert.throws(() => generatedChats([FIRST_100[1], edited]), /record chat_summary-test-00000 is not a chat the chat_summary generator wrote with data seed 2026/);
  });

  test("states the reference's facts (order number, product, amount, issue, outcome) and is a valid summary of the record", () => {
    let checked = 0;
    CHATS().forEach((chat, i) => {
      const record = FIRST_100[i];
      const facts = record.facts as ChatSummaryRecord["facts"];
      const { summary } = secondSummary(chat, i);
      for (const value of Object.values(facts)) if (value !== null) assert.ok(summary.includes(value), `${record.id}: "${value}" missing from "${summary}"`);
      assert.deepEqual(factsOf(chat.content.setup, summary), facts, `${record.id}: "${summary}" states other facts`);
      chatSummaryTask.validate({ ...record, summary }, String(record.id));
      checked += [facts.order_number, facts.product, facts.amount].filter((v) => v !== null).length;
    });
    assert.ok(checked > 100, `only ${checked} optional facts among 100 references`);
  });

  test("differs from the reference for nearly every chat, and is the same for the same seed", () => {
    const first = CHATS().map((chat, i) => secondSummary(chat, i));
    const differing = first.filter((s, i) => s.summary !== FIRST_100[i].summary && !s.identical).length;
    assert.ok(differing >= 95, `only ${differing} of 100 second summaries differ from the reference`);
    assert.deepEqual(CHATS().map((chat, i) => secondSummary(chat, i)), first);
    const reseeded = CHATS().filter((chat, i) => secondSummary(chat, i + 1000).summary !== first[i].summary).length;
    assert.ok(reseeded >= 80, `another seed changed only ${reseeded} of 100 second summaries`);
  });

  test("a chat with no other wording of its facts gets its own summary back, marked identical", () => {
    const chat = CHATS().find((c) => c.record.facts.product !== null)!;
    // No draw can state a product the setup does not have: nothing may be invented in its place.
    const impossible = { ...chat, record: { ...chat.record, facts: { ...chat.record.facts, product: "teleporter" } } };
    assert.deepEqual(secondSummary(impossible, 0), { summary: chat.record.summary, identical: true });
    assert.equal(secondSummary(chat, 0).identical, false);
  });

  test("a draw that repeats the reference is not taken as a second wording", () => {
    const chat = CHATS()[0];
    const facts = new Set<OptionalFact>(["product", "amount"]); // what test-00000's reference states
    // A reference that is exactly seed 6's first draw (same facts): secondSummary must skip it for the next draw.
    const firstDraw = writeSummary(new Random(6), chat.content, facts);
    assert.deepEqual(factsOf(chat.content.setup, firstDraw), chat.record.facts);
    const repeated = { ...chat, record: { ...chat.record, summary: firstDraw } };
    const second = secondSummary(repeated, 6);
    assert.equal(second.identical, false);
    assert.notEqual(second.summary, firstDraw);
  });
});

describe("chatReferenceCeiling", () => {
  const train = loadRecords("chat_summary", "train").records;

  test("on the first 100 test chats: above the best trivial baseline, below 1, and not among the baselines", () => {
    const ceiling = chatReferenceCeiling(FIRST_100);
    const baselines = chatBaselineScores(FIRST_100, train);
    assert.deepEqual(Object.keys(baselines), ["bestTurnOracle", "firstCustomerTurn", "summarySkeleton"]);
    for (const metric of ["rouge1", "rouge2", "rougeL"] as const) {
      const best = Math.max(...Object.values(baselines).map((b) => b[metric]));
      assert.ok(ceiling[metric] > best && ceiling[metric] < 1, `${metric}: ceiling ${ceiling[metric].toFixed(3)}, best baseline ${best.toFixed(3)}`);
    }
    assert.ok(ceiling.identical >= 0 && ceiling.identical <= 0.05, `identical share ${ceiling.identical}`);
    assert.match(ceiling.description, /ceiling/);
  });

  test("is deterministic per seed and moves with another seed", () => {
    const ten = TEST.slice(0, 10);
    const a = chatReferenceCeiling(ten, { seed: 3 });
    assert.deepEqual(chatReferenceCeiling(ten, { seed: 3 }), a);
    assert.notEqual(chatReferenceCeiling(ten, { seed: 4 }).rougeL, a.rougeL);
    assert.throws(() => chatReferenceCeiling([]), /no records/);
  });

  test("is exported from the lab's index", () => {
    assert.equal(lab.chatReferenceCeiling, chatReferenceCeiling);
  });
});
