// Inputs far longer than any example: the tokenizer encodes any length (in parts cut at whitespace, with the ids of
// one pass), `data inspect` caps a 2 MB field before tokenizing and says so, and `generate` cuts a 5,000-token prompt
// to the tokenizer's model_max_length instead of dying in wasm.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { saveModel } from "../src/io/checkpoint";
import { splitAtWhitespace } from "../src/io/text-chunks";
import { Tokenizer, loadTokenizer } from "../src/io/tokenizer";
import { initParams } from "../src/model/params";
import { flanlabInProcess as flanlab } from "./cli-helpers";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const TOKENIZER = path.join(ROOT, "models", "quickstart-tokenizer");

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await loadTokenizer(TOKENIZER);
});

test("splitAtWhitespace: parts within the size that join back to the text, cut after whitespace when there is some", () => {
  assert.deepEqual(splitAtWhitespace("aaa bbb ccc", 5), ["aaa ", "bbb ", "ccc"]);
  assert.deepEqual(splitAtWhitespace("abcdefgh", 3), ["abc", "def", "gh"]);
  assert.deepEqual(splitAtWhitespace("ab\u{1F600}cd", 3), ["ab", "\u{1F600}c", "d"]);
  const text = "one two\nthree\tfour ".repeat(50);
  const parts = splitAtWhitespace(text, 17);
  assert.equal(parts.join(""), text);
  assert.ok(parts.every((p) => p.length <= 17));
});

test("the tokenizer encodes a text of any length, with the same ids as one pass", () => {
  const examples = fs.readFileSync(path.join(ROOT, "datasets", "quickstart", "examples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).input as string);
  let text = "";
  while (text.length < 30_000) text += examples.join("\n  ") + " \t";
  assert.deepEqual(tokenizer.encode(text), tokenizer.backend.encode(text), "in parts = in one pass");
  assert.deepEqual(tokenizer.tokenize(text.slice(0, 30_000)), tokenizer.backend.tokenize(text.slice(0, 30_000)));
  // past transformers.js's limit of about 120,000 pieces in one pass ("Maximum call stack size exceeded")
  const ids = tokenizer.encode("x".repeat(130_000));
  assert.ok(ids.length > 130_000, `${ids.length} ids`);
  assert.equal(ids[ids.length - 1], tokenizer.eosTokenId);
  assert.equal(ids.indexOf(tokenizer.eosTokenId), ids.length - 1, "one </s>, at the end");
  assert.equal(tokenizer.modelMaxLength, 512);
});

test("data inspect: a 2 MB field is cut to --max-chars before tokenizing, and the cut is reported", async () => {
  const dir = tempDir("long-inspect");
  const file = path.join(dir, "long.jsonl");
  fs.writeFileSync(file, JSON.stringify({ input: "hello world ".repeat(175_000), target: "greeting" }) + "\n" + JSON.stringify({ input: "short one", target: "ok" }) + "\n");
  const run = await flanlab(["data", "inspect", file, "--tokenizer", TOKENIZER, "--max-chars", "20000"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /long\.jsonl: cut 1 text field to the character limit \(--max-chars\), the first: .*long\.jsonl:1: field "input", 2,100,000 characters/);
  assert.match(run.stdout, /input: mean [\d.]+, median [\d.]+, p95 \d+, max \d+/);
});

test("generate: a prompt longer than model_max_length is cut to it, with the cut reported", async () => {
  await useBackend("wasm");
  const folder = tempDir("long-generate");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, 2) }, folder, { tokenizerFolder: TOKENIZER });
  const prompt = "hello world ".repeat(1_000); // about 5,000 tokens
  const run = await flanlab(["generate", "--model", folder, "--prompt", prompt, "--prompt", "short", "--max-new-tokens", "3"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /--prompt 1: 5,001 tokens, cut to 512 \(model_max_length in tokenizer_config\.json\); the last 4,489 tokens before <\/s> were dropped/);
  assert.doesNotMatch(run.stderr, /--prompt 2:/);
  assert.equal(run.stdout.split("\n").length, 2);
});

test("train: what reading and truncation changed is printed and recorded in run.json", async () => {
  await useBackend("wasm");
  const dir = tempDir("long-train");
  const model = path.join(dir, "model");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, 2) }, model, { tokenizerFolder: TOKENIZER });
  const data = path.join(dir, "pairs.jsonl");
  const rows = [
    { id: 1, input: "hello world ".repeat(20), target: "greeting" },
    { id: 2, input: "my order is late and nobody answers my emails, what is going on", target: "late order" },
  ];
  fs.writeFileSync(data, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const out = path.join(dir, "run");
  const run = await flanlab(["train", "--model", model, "--data", data, "--out", out, "--steps", "2", "--batch-size", "2", "--max-input-tokens", "8", "--max-chars", "100"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /pairs\.jsonl: cut 1 text field to the character limit \(--max-chars\), the first: .*pairs\.jsonl:1: field "input", 240 characters/);
  assert.match(run.stderr, /pairs\.jsonl: read 2 ids given as JSON numbers as text/);
  assert.match(run.stderr, /truncation to the token budgets .*: 4 of 4 inputs cut \(100\.0%, [\d.]+ tokens on average\), no targets cut/);
  const recorded = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
  assert.deepEqual([recorded.data.data.cappedFields, recorded.data.data.coercedIds], [1, 2]);
  assert.equal(recorded.batches.truncation.inputs, 4);
  assert.ok(recorded.batches.truncation.meanInputTokensCut > 0);
});
