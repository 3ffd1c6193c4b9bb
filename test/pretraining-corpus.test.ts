import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Random } from "../src/random";
import {
  DEFAULT_PRETRAINING_SEED,
  PRETRAINING_KINDS,
  PretrainingDocument,
  checkDocument,
  generatePretrainingDocuments,
} from "../src/lab/corpus/pretraining";
import { chatDocument, dialogueKey } from "../src/lab/corpus/pretraining/chats";
import { reviewDocument } from "../src/lab/corpus/pretraining/reviews";
import { corpusStats, renderPretrainingCard, vocabularyCoverage, vocabularyWords, wordCount } from "../src/lab/corpus/pretraining/card";
import { loadShippedTexts, shippedField } from "../src/lab/corpus/pretraining/shipped-texts";
import { COVERAGE_DOCUMENTS, SAMPLE_DOCUMENTS } from "../src/lab/corpus/pretraining/sample";
import { formatDocuments, parseDocuments, readPretrainingCorpus, writePretrainingCorpus } from "../src/lab/corpus/pretraining/write";
import { generateChatSummaryRecord } from "../src/lab/corpus/chat-summary";
import { DATASETS_DIR } from "../src/lab/paths";
import { tempDir } from "./helpers";

const CHAT_SUMMARY = path.join(DATASETS_DIR, "chat_summary");
const REVIEW_RATING = path.join(DATASETS_DIR, "review_rating");

let documents: PretrainingDocument[];
let tmp: string;
before(() => {
  documents = generatePretrainingDocuments(COVERAGE_DOCUMENTS, { shipped: loadShippedTexts() });
  tmp = tempDir("pretraining");
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the corpus", () => {
  test("is deterministic: the same seed gives the same documents, and a longer run starts with a shorter one", () => {
    const again = generatePretrainingDocuments(300, { shipped: loadShippedTexts() });
    assert.deepEqual(again, documents.slice(0, 300));
    const other = generatePretrainingDocuments(300, { seed: 7 });
    assert.notDeepEqual(other, again);
    assert.deepEqual(generatePretrainingDocuments(300, { seed: 7 }), other);
    assert.deepEqual(generatePretrainingDocuments(0), []);
  });

  test("holds every kind, roughly at its weight, and no empty, untrimmed or blank-line document", (t) => {
    const stats = corpusStats(documents);
    const totalWeight = PRETRAINING_KINDS.reduce((a, k) => a + k.weight, 0);
    for (const kind of PRETRAINING_KINDS) {
      const share = stats.kinds[kind.name].documents / documents.length;
      assert.ok(Math.abs(share - kind.weight / totalWeight) < 0.03, `${kind.name}: share ${share}`);
      assert.ok(/^\d+$/.test(kind.version), `${kind.name} has a version`);
    }
    for (const document of documents) {
      checkDocument(document);
      assert.ok(wordCount(document.text) >= 5, `a short ${document.kind}: ${document.text}`);
    }
    const distinct = new Set(documents.map((d) => d.text)).size;
    assert.ok(distinct >= documents.length - 5, `${documents.length - distinct} repeated documents`);
    t.diagnostic(`${documents.length} documents, ${stats.words} words, ${stats.characters} characters; ` + PRETRAINING_KINDS.map((k) => `${k.name} ${stats.kinds[k.name].documents}`).join(", "));
  });

  test("is disjoint from chat_summary: no shipped dialogue, whatever its speaker labels", () => {
    const shipped = new Set(shippedField(CHAT_SUMMARY, "dialogue").map(dialogueKey));
    assert.equal(shipped.size, 3500);
    const chats = documents.filter((d) => d.kind === "chat");
    assert.ok(chats.length > 400);
    for (const chat of chats) assert.ok(!shipped.has(dialogueKey(chat.text)), `a shipped chat: ${chat.text.slice(0, 120)}`);
    // The corpus's own seed stream keeps clear of them even without being told what to avoid.
    const unguarded = generatePretrainingDocuments(COVERAGE_DOCUMENTS).filter((d) => d.kind === "chat");
    assert.equal(unguarded.filter((chat) => shipped.has(dialogueKey(chat.text))).length, 0);
    // Speaker labels vary, the turns are the generator's.
    assert.ok(chats.some((d) => d.text.startsWith("#Person1#: ")) && chats.some((d) => /^(Customer|Agent): /.test(d.text)));
  });

  test("is disjoint from review_rating: no shipped review text", () => {
    const shipped = new Set(shippedField(REVIEW_RATING, "review"));
    for (const review of documents.filter((d) => d.kind === "review")) {
      for (const line of review.text.split("\n")) assert.ok(!shipped.has(line), `a shipped review: ${line}`);
    }
  });

  test("the generators skip what they are told to avoid", () => {
    const chat = generateChatSummaryRecord(new Random(5));
    assert.notEqual(dialogueKey(chatDocument(new Random(5), new Set([dialogueKey(chat.dialogue)]))), dialogueKey(chat.dialogue));
    assert.equal(dialogueKey(chatDocument(new Random(5))), dialogueKey(chat.dialogue));
  });

  test("holds nearly all of the chat summaries' vocabulary", (t) => {
    const summaries = shippedField(CHAT_SUMMARY, "summary", ["train"]);
    const coverage = vocabularyCoverage(summaries, documents.map((d) => d.text));
    t.diagnostic(`vocabulary coverage of ${summaries.length} chat_summary training summaries by ${documents.length} documents: ` +
      `${coverage.coveredWords}/${coverage.referenceWords} distinct words = ${(100 * coverage.share).toFixed(1)}% ` +
      `(${(100 * coverage.tokenShare).toFixed(2)}% of running words); missing: ${coverage.missing.join(" ") || "none"}`);
    assert.ok(coverage.share > 0.95, `coverage ${coverage.share}`);
    assert.ok(coverage.tokenShare > 0.99);
  });

  test("names, numbers and amounts vary", () => {
    const text = documents.map((d) => d.text).join("\n");
    const distinct = (pattern: RegExp) => new Set(text.match(pattern) ?? []).size;
    assert.ok(distinct(/\$\d+\.\d\d/g) > 600, "amounts");
    assert.ok(distinct(/\b\d{6,8}\b/g) > 600, "order numbers");
    assert.ok(distinct(/\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}\b/g) > 250, "dates");
  });
});

describe("files and card", () => {
  test("writes N documents, or documents within a token budget, and reads them back", () => {
    const file = path.join(tmp, "corpus", "pretraining.txt");
    const written = writePretrainingCorpus(file, { documents: 120 });
    assert.equal(written.documents, 120);
    const back = readPretrainingCorpus(file);
    assert.deepEqual(back, documents.slice(0, 120).map((d) => d.text));
    assert.equal(fs.readFileSync(file, "utf8"), formatDocuments(back));
    assert.equal(written.characters, back.reduce((a, d) => a + d.length, 0));
    assert.equal(Object.values(written.kinds).reduce((a, b) => a + b, 0), 120);

    const countTokens = (text: string) => wordCount(text) + 1;
    const budget = writePretrainingCorpus(file, { maxTokens: 5000, countTokens });
    const within = readPretrainingCorpus(file);
    const tokens = within.map(countTokens);
    assert.equal(budget.tokens, tokens.reduce((a, b) => a + b, 0));
    assert.ok(budget.tokens! <= 5000 && budget.tokens! + countTokens(documents[within.length].text) > 5000);
    assert.equal(writePretrainingCorpus(file, { maxTokens: 5000, countTokens, documents: 10 }).documents, 10);
    assert.equal(writePretrainingCorpus(file, { documents: 0 }).documents, 0);
    assert.equal(fs.readFileSync(file, "utf8"), "");
    assert.throws(() => writePretrainingCorpus(file, { maxTokens: 10 }), /needs countTokens/);
    assert.throws(() => writePretrainingCorpus(file, { documents: -1 }), /documents must be an integer >= 0/);
    assert.deepEqual(parseDocuments("a\nb\n\n\nc\n"), ["a\nb", "c"]);
  });

  test("the committed sample is the stream's start, avoiding the shipped texts", () => {
    const shipped = loadShippedTexts();
    const sample = readPretrainingCorpus(path.join(DATASETS_DIR, "pretraining", "sample.txt"));
    assert.equal(sample.length, SAMPLE_DOCUMENTS);
    assert.deepEqual(sample, generatePretrainingDocuments(SAMPLE_DOCUMENTS, { seed: DEFAULT_PRETRAINING_SEED, shipped }).map((d) => d.text));
    assert.ok(fs.statSync(path.join(DATASETS_DIR, "pretraining", "sample.txt")).size < 400_000);
  });

  test("the card reports kinds, counts and coverage", () => {
    const stats = corpusStats(documents);
    const card = renderPretrainingCard({
      seed: 1,
      command: "make it",
      sample: { file: "sample.txt", documents: documents.slice(0, 50) },
      full: stats,
      coverage: { ...vocabularyCoverage(["the refund was issued"], ["a refund"]), documents: 1, summaries: 1 },
      avoided: { dialogues: 3, reviews: 4 },
    });
    for (const kind of PRETRAINING_KINDS) assert.ok(card.includes(`| \`${kind.name}\` | ${stats.kinds[kind.name].documents.toLocaleString("en-US")} |`), kind.name);
    assert.ok(card.includes("**25.0%**") && card.includes("Missing: `issued`, `the`, `was`"));
    assert.ok(card.includes(`| **all** | ${stats.documents.toLocaleString("en-US")} | ${stats.words.toLocaleString("en-US")} |`));
    assert.deepEqual(vocabularyWords("Order #4821 for an e-reader, #Person2#'s"), ["order", "for", "an", "e-reader", "person", "s"]);
  });
});
