import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../src/random";
import { CHAT_SUMMARY_GENERATOR_VERSION, ChatSummaryRecord, generateChatSummaryRecords } from "../src/lab/corpus/chat-summary";
import { ISSUE_TYPES } from "../src/lab/corpus/chat/issues";
import { OUTCOMES } from "../src/lab/corpus/chat/outcomes";
import { expand } from "../src/lab/corpus/chat/phrase";
import { chatSummaryTask } from "../src/lab/tasks/chat-summary";
import { heldOutTemplates, renderExample, trainingTemplates } from "../src/data/templates";
import { TaskRecord } from "../src/data/task";
import {
  bestTurnOracle,
  chatBaselineScores,
  dialogueTurns,
  emptySlots,
  firstCustomerTurn,
  skeletonOf,
  summarySkeleton,
} from "../src/lab/experiments/baselines";
import { rougeScores } from "../src/eval/rouge";

function records(seed: number, count: number): (ChatSummaryRecord & TaskRecord)[] {
  return generateChatSummaryRecords(new Random(seed), count).map((r, i) => ({ ...(r as ChatSummaryRecord), id: `chat-${seed}-${i}` }));
}

const SAMPLE = records(1234, 400);

describe("chat_summary generator", () => {
  test("has a version", () => {
    assert.equal(CHAT_SUMMARY_GENERATOR_VERSION, "1");
  });

  test("the same seed gives the same records, another seed other records", () => {
    const a = generateChatSummaryRecords(new Random(42), 60);
    const b = generateChatSummaryRecords(new Random(42), 60);
    const c = generateChatSummaryRecords(new Random(43), 60);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.every((r) => !("id" in r)), "records come without ids (the build assigns them)");
  });

  test("every record is well-formed and passes validate()", () => {
    for (const [i, r] of SAMPLE.entries()) {
      chatSummaryTask.validate(r, `sample:${i + 1}`);
      assert.deepEqual(Object.keys(r).sort(), ["agent_name", "customer", "customer_name", "dialogue", "facts", "id", "summary", "topic"]);
      assert.equal(r.topic, r.facts.issue_type);
      assert.ok(["#Person1#", "#Person2#"].includes(r.customer));
      const speakers = dialogueTurns(r.dialogue).map((t) => t.speaker);
      assert.equal(speakers[0], "#Person1#", "#Person1# speaks first");
      speakers.forEach((s, k) => k > 0 && assert.notEqual(s, speakers[k - 1], "speakers alternate"));
      for (const name of [r.customer_name, r.agent_name]) if (name !== null) assert.ok(r.dialogue.includes(name));
      assert.doesNotMatch(r.dialogue + r.summary, /[^\x20-\x7e\n]/, "plain ASCII text");
      assert.doesNotMatch(r.dialogue + r.summary, /\{|\}|\[|\]|<|>|  | ,| \./, "no leftover pattern syntax or spacing");
    }
  });

  test("both speakers open chats, and the customer tag follows who opened", () => {
    const customerFirst = SAMPLE.filter((r) => r.customer === "#Person1#").length;
    assert.ok(customerFirst > 0.3 * SAMPLE.length && customerFirst < 0.7 * SAMPLE.length, `customer opens ${customerFirst} of ${SAMPLE.length}`);
    // The agent's greeting mentions the shop or service; the customer's first turn never greets as support.
    for (const r of SAMPLE.slice(0, 100)) assert.doesNotMatch(firstCustomerTurn(r.dialogue, r.customer), /(welcome to|thanks for contacting) /i);
  });

  test("every non-null fact appears verbatim in its summary (and the values in the chat)", () => {
    for (const r of SAMPLE) {
      assert.deepEqual(Object.keys(r.facts).sort(), ["amount", "issue_type", "order_number", "outcome", "product"]);
      for (const [key, value] of Object.entries(r.facts)) {
        if (value === null) continue;
        assert.ok(r.summary.includes(value), `facts.${key} ${JSON.stringify(value)} not in summary ${JSON.stringify(r.summary)}`);
        if (key !== "issue_type" && key !== "outcome") assert.ok(r.dialogue.includes(value), `facts.${key} not in the dialogue`);
      }
      assert.ok((ISSUE_TYPES as readonly string[]).includes(r.facts.issue_type));
      assert.ok((OUTCOMES as readonly string[]).includes(r.facts.outcome));
      if (r.facts.amount !== null) assert.match(r.facts.amount, /^\$\d+\.\d\d$/);
    }
    // Each optional fact is stated by some summaries and left out by others.
    for (const key of ["order_number", "product", "amount"] as const) {
      const stated = SAMPLE.filter((r) => r.facts[key] !== null).length;
      assert.ok(stated > 0.1 * SAMPLE.length && stated < 0.95 * SAMPLE.length, `${key} stated in ${stated} of ${SAMPLE.length}`);
    }
  });

  test("2 to 12 turns, DialogSum-like lengths", () => {
    const turns = SAMPLE.map((r) => r.dialogue.split("\n").length);
    assert.ok(turns.every((t) => t >= 2 && t <= 12));
    assert.ok(turns.includes(2) && turns.includes(12));
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const dialogueWords = median(SAMPLE.map((r) => words(r.dialogue.replace(/#Person\d#:/g, ""))));
    const summaryWords = SAMPLE.map((r) => words(r.summary));
    assert.ok(dialogueWords >= 80 && dialogueWords <= 150, `median dialogue ${dialogueWords} words`);
    assert.ok(median(summaryWords) >= 15 && median(summaryWords) <= 35, `median summary ${median(summaryWords)} words`);
    assert.ok(Math.min(...summaryWords) >= 12 && Math.max(...summaryWords) <= 36);
  });

  test("covers every issue type and outcome, with varied summaries that copy no turn", () => {
    assert.deepEqual(new Set(SAMPLE.map((r) => r.facts.issue_type)), new Set(ISSUE_TYPES));
    assert.deepEqual(new Set(SAMPLE.map((r) => r.facts.outcome)), new Set(OUTCOMES));
    assert.equal(new Set(SAMPLE.map((r) => r.summary)).size, SAMPLE.length);
    const openings = new Set(SAMPLE.map((r) => r.summary.split(" ").slice(0, 2).join(" ")));
    assert.ok(openings.size > 40, `${openings.size} distinct summary openings`);
    for (const r of SAMPLE) {
      for (const turn of dialogueTurns(r.dialogue)) {
        assert.ok(!turn.text.includes(r.summary), "a summary is not part of a turn");
        if (turn.text.split(" ").length >= 4) assert.ok(!r.summary.includes(turn.text), "a turn is not part of a summary");
      }
    }
  });
});

describe("chat phrase patterns", () => {
  test("alternatives, conditionals and variables", () => {
    const random = new Random(1);
    assert.equal(expand("<order:order {order}><!order:an order>", random, { order: "123" }, new Set(["order"])), "Order 123");
    assert.equal(expand("<order:order {order}><!order:an order>", random, { order: "123" }, new Set()), "An order");
    assert.ok(["A b", "A c"].includes(expand("a [b|c]", random, {})));
    assert.equal(expand("x [ y|] , z .", new Random(2), {}).replace("x y", "x"), "X, z.");
    assert.throws(() => expand("{missing}", random, {}), /no value for \{missing\}/);
  });
});

describe("chat_summary task", () => {
  test("8 templates, 2 held out, and the Lab 2 prompt exactly", () => {
    assert.equal(chatSummaryTask.templates.length, 8);
    assert.equal(heldOutTemplates(chatSummaryTask).length, 2);
    assert.equal(trainingTemplates(chatSummaryTask).length, 6);
    const lab2 = chatSummaryTask.templates.find((t) => t.id === "lab2");
    assert.ok(lab2 && !lab2.heldOut);
    assert.equal(lab2.input, "Summarize the following conversation.\n\n{dialogue}\n\nSummary: ");
    assert.equal(lab2.target, "{summary}");
    assert.equal(new Set(chatSummaryTask.templates.map((t) => t.id)).size, 8);
    assert.ok(chatSummaryTask.templates.some((t) => t.input.startsWith("{dialogue}")), "some put the dialogue first");
    assert.equal(chatSummaryTask.name, "chat_summary");
    assert.equal(chatSummaryTask.folder, "chat_summary");
    assert.equal(chatSummaryTask.metric, "rouge");
    assert.equal(chatSummaryTask.primaryMetric, "rougeL");
  });

  test("every template renders every record", () => {
    const record = SAMPLE[0];
    for (const template of chatSummaryTask.templates) {
      const example = renderExample(chatSummaryTask, record, template);
      assert.ok(example.input.includes(record.dialogue));
      assert.equal(example.target, record.summary);
      assert.doesNotMatch(example.input, /\{[a-z_]+\}/);
    }
    const fields = chatSummaryTask.fields(record);
    assert.equal(fields.customer, record.customer);
    assert.notEqual(fields.agent, record.customer);
    assert.equal(fields.topic, record.topic);
    const lab2 = renderExample(chatSummaryTask, record, chatSummaryTask.templates[0]);
    assert.equal(lab2.input, `Summarize the following conversation.\n\n${record.dialogue}\n\nSummary: `);
  });

  test("validate() accepts a plain DialogSum record", () => {
    const dialogsum = { id: "train_0", dialogue: "#Person1#: Hi, Mr. Smith.\n#Person2#: Hello.", summary: "#Person1# greets Mr. Smith.", topic: "greeting" };
    chatSummaryTask.validate(dialogsum, "dialogsum.jsonl:1");
    assert.equal(chatSummaryTask.fields(dialogsum).customer, "#Person1#");
  });

  test("validate() errors name the location and the field", () => {
    const good = SAMPLE[0];
    const where = "datasets/chat_summary/train.jsonl:17";
    const fails = (changes: Record<string, unknown>, pattern: RegExp) => {
      const bad: Record<string, unknown> = { ...good, ...changes };
      for (const [k, v] of Object.entries(changes)) if (v === undefined) delete bad[k];
      assert.throws(() => chatSummaryTask.validate(bad, where), (e: Error) => e.message.startsWith(`${where}: `) && pattern.test(e.message));
    };
    fails({ dialogue: "" }, /field "dialogue" is empty/);
    fails({ dialogue: undefined }, /field "dialogue" is missing/);
    fails({ dialogue: 42 }, /field "dialogue" must be a string/);
    fails({ dialogue: "#Person1#: Hi.\nAgent: Hello." }, /field "dialogue" line 2 does not start with a speaker tag/);
    fails({ dialogue: "#Person1#: Hi." }, /field "dialogue" has 1 turn/);
    fails({ summary: "  " }, /field "summary" is empty/);
    fails({ topic: undefined }, /field "topic" is missing/);
    fails({ id: "" }, /field "id" is empty/);
    fails({ customer: "#Person3#" }, /field "customer"/);
    fails({ customer_name: 7 }, /field "customer_name"/);
    fails({ facts: "refund" }, /field "facts" must be an object/);
    fails({ facts: { ...good.facts, outcome: null } }, /field "facts.outcome" must be a non-empty string/);
    fails({ facts: { ...good.facts, amount: "45.99" } }, /field "facts.amount" must look like "\$45.99"/);
    fails({ facts: { ...good.facts, order_number: "99999999999" } }, /field "facts.order_number" \("99999999999"\) does not appear in field "summary"/);
    fails({ facts: { ...good.facts, color: "red" } }, /field "facts.color" is not a known fact/);
    assert.throws(() => chatSummaryTask.validate(null, where), (e: Error) => e.message.startsWith(`${where}: expected a JSON object`));
  });
});

describe("chat baselines", () => {
  const chat = {
    dialogue: [
      "#Person1#: Hello, thanks for contacting Maple Mart support! This is Tom. How can I help?",
      "#Person2#: Hi Tom, I'm Linda. My blender from order 123456 arrived with a cracked jar.",
      "#Person1#: I'm sorry about that. I'll send you a new blender today, it should arrive by Friday.",
      "#Person2#: Great, thanks!",
    ].join("\n"),
    summary: "Linda received a damaged item, the blender from order 123456. Tom sent a replacement.",
    customer: "#Person2#",
    customer_name: "Linda",
    agent_name: "Tom",
    facts: { issue_type: "damaged item", order_number: "123456", product: "blender", amount: null, outcome: "replacement" },
  };

  test("turns are parsed and tags stripped", () => {
    const turns = dialogueTurns(chat.dialogue);
    assert.equal(turns.length, 4);
    assert.deepEqual(turns[1], { speaker: "#Person2#", text: "Hi Tom, I'm Linda. My blender from order 123456 arrived with a cracked jar." });
    assert.deepEqual(dialogueTurns("#Person1#: a\ncontinued\n\n#Person2#: b"), [
      { speaker: "#Person1#", text: "a continued" },
      { speaker: "#Person2#", text: "b" },
    ]);
  });

  test("firstCustomerTurn follows the customer tag", () => {
    assert.equal(firstCustomerTurn(chat.dialogue, "#Person2#"), "Hi Tom, I'm Linda. My blender from order 123456 arrived with a cracked jar.");
    assert.equal(firstCustomerTurn(chat.dialogue, "#Person1#"), "Hello, thanks for contacting Maple Mart support! This is Tom. How can I help?");
    assert.equal(firstCustomerTurn(chat.dialogue, "#Person3#"), "");
  });

  test("bestTurnOracle picks the turn with the highest ROUGE-L", () => {
    const best = bestTurnOracle(chat.dialogue, chat.summary);
    assert.equal(best, "Hi Tom, I'm Linda. My blender from order 123456 arrived with a cracked jar.");
    const bestF = rougeScores(best, chat.summary).rougeL.fmeasure;
    for (const turn of dialogueTurns(chat.dialogue)) assert.ok(rougeScores(turn.text, chat.summary).rougeL.fmeasure <= bestF);
  });

  test("skeletons blank facts, names and numbers; the most common one is output with empty slots", () => {
    assert.equal(skeletonOf(chat), "<slot> received a <slot>, the <slot> from order <slot>. <slot> sent a <slot>.");
    const other = { ...chat, summary: "The customer got a full refund of $12.00 on Monday.", facts: { ...chat.facts, outcome: "full refund", amount: "$12.00" } };
    assert.equal(skeletonOf(other), "The customer got a <slot> of <slot> on <slot>.");
    assert.equal(summarySkeleton([chat, other, { ...chat, customer_name: "Ann", summary: chat.summary.replace(/Linda/g, "Ann") }]), "received a, the from order. sent a.");
    assert.equal(emptySlots("a (<slot>) b <slot>."), "a b.");
  });

  test("chatBaselineScores: mean ROUGE of the three baselines", () => {
    const scores = chatBaselineScores([chat], [chat]);
    assert.deepEqual(Object.keys(scores), ["bestTurnOracle", "firstCustomerTurn", "summarySkeleton"]);
    const expected = rougeScores(bestTurnOracle(chat.dialogue, chat.summary), chat.summary);
    assert.equal(scores.bestTurnOracle.rougeL, expected.rougeL.fmeasure);
    assert.equal(scores.bestTurnOracle.rouge1, expected.rouge1.fmeasure);
    assert.equal(scores.firstCustomerTurn.rougeL, scores.bestTurnOracle.rougeL, "here the customer's first turn is the best turn");
    assert.equal(scores.summarySkeleton.rouge2, rougeScores("received a, the from order. sent a.", chat.summary).rouge2.fmeasure);
    assert.equal(typeof scores.summarySkeleton.description, "string");
  });

  test("on 300 generated chats the best single turn scores ROUGE-L below 0.40 (summaries need abstraction)", () => {
    const test300 = records(777, 300);
    const train = records(778, 1000);
    const scores = chatBaselineScores(test300, train);
    assert.ok(scores.bestTurnOracle.rougeL < 0.4, `oracle best-turn ROUGE-L ${scores.bestTurnOracle.rougeL.toFixed(3)}`);
    assert.ok(scores.firstCustomerTurn.rougeL < scores.bestTurnOracle.rougeL);
    assert.ok(scores.summarySkeleton.rougeL < 0.4, `skeleton ROUGE-L ${scores.summarySkeleton.rougeL.toFixed(3)}`);
  });
});
