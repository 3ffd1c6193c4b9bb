// Notebook 05's helpers: the Lab 2 ROUGE table, summary error counts, and the switch to a user's DialogSum.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
  absoluteImprovement,
  factErrorRows,
  improvementRows,
  inventedNumberRate,
  inventedNumbers,
  labRougeReport,
  meanRouge,
  numbersIn,
  repeatsItself,
  rougeLine,
  rougeOf,
  rougeTableRows,
} from "../src/lab/experiments/lab-table";
import { DIALOGSUM_TASK, dialogSumRecords, fineTuneOnRecords, generationFor, loadChatData } from "../src/lab/experiments/real-data";
import { evalExamples } from "../src/eval/evaluate";
import { readExamples } from "../src/data/formats";
import { loadTokenizer } from "../src/io/tokenizer";
import { saveModel } from "../src/io/checkpoint";
import { loadBase } from "../src/lab/experiments/finetune";
import { initParams } from "../src/model/params";
import { tempDir, tinyConfig, useBackend } from "./helpers";

before(() => useBackend("wasm"));

const original = { rouge1: 0.2334, rouge2: 0.076, rougeL: 0.2015, rougeLsum: 0.2015 };
const instruct = { rouge1: 0.4216, rouge2: 0.1804, rougeL: 0.3384, rougeLsum: 0.3384 };
const peft = { rouge1: 0.4081, rouge2: 0.1633, rougeL: 0.3251, rougeLsum: 0.3249 };

test("absolute improvement is a difference in percentage points", () => {
  const gain = absoluteImprovement(instruct, original);
  assert.ok(Math.abs(gain.rouge1 - 18.82) < 1e-9);
  assert.ok(Math.abs(gain.rouge2 - 10.44) < 1e-9);
  assert.ok(absoluteImprovement(peft, instruct).rougeL < 0);
});

test("the Lab 2 report: a line per model, then signed improvements", () => {
  const report = labRougeReport([
    { name: "ORIGINAL MODEL", scores: original },
    { name: "INSTRUCT MODEL", scores: instruct },
    { name: "PEFT MODEL", scores: peft },
  ]);
  const lines = report.split("\n");
  assert.equal(lines[0], "ORIGINAL MODEL:");
  assert.equal(lines[1], "{'rouge1': 0.2334, 'rouge2': 0.0760, 'rougeL': 0.2015, 'rougeLsum': 0.2015}");
  assert.ok(lines.includes("Absolute percentage improvement of INSTRUCT MODEL over ORIGINAL MODEL"));
  assert.ok(lines.includes("rouge1: +18.82%"));
  assert.ok(lines.includes("Absolute percentage improvement of PEFT MODEL over INSTRUCT MODEL"));
  assert.ok(lines.includes("rouge1: -1.35%"));
  assert.throws(() => labRougeReport([{ name: "ORIGINAL MODEL", scores: original }]), /no model "INSTRUCT MODEL"/);
  assert.equal(rougeLine({ rouge1: 1 / 1300, rouge2: 0, rougeL: 0.5, rougeLsum: 0.25 }, 3), "{'rouge1': 0.001, 'rouge2': 0.000, 'rougeL': 0.500, 'rougeLsum': 0.250}");
});

test("table rows: ROUGE x100 for models and baselines, improvements in points", () => {
  const rows = rougeTableRows([
    { kind: "model", name: "ORIGINAL MODEL", scores: original },
    { kind: "model", name: "firstCustomerTurn", scores: { rouge1: 0.149, rouge2: 0.041, rougeL: 0.12, rougeLsum: 0.12 }, note: "baseline" },
  ]);
  assert.deepEqual(rows[0], { model: "ORIGINAL MODEL", rouge1: 23.3, rouge2: 7.6, rougeL: 20.2, rougeLsum: 20.2 });
  assert.equal(rows[1].note, "baseline");
  const improvements = improvementRows([
    { name: "ORIGINAL MODEL", scores: original },
    { name: "INSTRUCT MODEL", scores: instruct },
    { name: "PEFT MODEL", scores: peft },
  ]);
  assert.equal(improvements.length, 3);
  assert.equal(improvements[0].comparison, "INSTRUCT MODEL over ORIGINAL MODEL");
  assert.equal(improvements[0].rouge1, 18.82);
});

test("ROUGE out of a score map, and its mean over runs", () => {
  assert.deepEqual(rougeOf({ ...original, factAccuracy: 0.5 }), original);
  assert.throws(() => rougeOf({ rouge1: 0.1 }, "base"), /base: no rouge2 score/);
  const mean = meanRouge([original, instruct]);
  assert.ok(Math.abs(mean.rouge1 - (0.2334 + 0.4216) / 2) < 1e-12);
  assert.throws(() => meanRouge([]), /no runs/);
});

test("numbers a summary invents, and facts it leaves out", () => {
  assert.deepEqual(numbersIn("order 1017863 for $1,299.00 and $27.99, 3 days"), ["1017863", "1299.00", "27.99", "3"]);
  const dialogue = "#Person1#: My order 1017863 cost $27.99.\n#Person2#: Refunded.";
  assert.deepEqual(inventedNumbers("Refund of $27.99 for order 1017864.", dialogue), ["1017864"]);
  assert.deepEqual(inventedNumbers("Refund of $27.99 for order 1017863.", dialogue), []);
  const checks = [
    { prediction: "A refund of $27.99 for the wallet.", dialogue, facts: { amount: "$27.99", product: "wallet", order_number: null } },
    { prediction: "A refund for order 555.", dialogue, facts: { amount: "$27.99", product: "wallet", order_number: "1017863" } },
  ];
  const rows = factErrorRows(checks);
  assert.deepEqual(rows.find((r) => r.fact === "amount"), { fact: "amount", examples: 2, stated: 0.5 });
  assert.deepEqual(rows.find((r) => r.fact === "order_number"), { fact: "order_number", examples: 1, stated: 0 });
  assert.deepEqual(inventedNumberRate(checks), { summaries: 2, withInvented: 1, share: 0.5, numbers: 1 });
});

test("a summary that loops", () => {
  assert.equal(repeatsItself("The request is declined since the request is declined since the request is declined since"), true);
  assert.equal(repeatsItself("A refund of $7.99999999."), true);
  assert.equal(repeatsItself("The buyer got a refund of $27.99 for order 1017863."), false);
  assert.equal(repeatsItself("ok ok ok ok", 1, 5), false);
});

const DIALOGS = Array.from({ length: 6 }, (_, i) => ({
  fname: `train_${i}`,
  dialogue: `#Person1#: Hello, I need help with order ${1000 + i}.\n#Person2#: Sure, it ships today.`,
  summary: `#Person1# asks about order ${1000 + i}; #Person2# says it ships today.`,
  topic: "order",
}));

function writeJsonl(file: string, rows: object[]): string {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

test("the shipped data by default", async () => {
  const chat = await loadChatData({ trainExamples: 20, testExamples: 5 });
  assert.equal(chat.source, "shipped");
  assert.equal(chat.task.name, "chat_summary");
  assert.equal(chat.train.length, 20);
  assert.equal(chat.test.length, 5);
});

test("one DialogSum file is split into training and test examples that do not overlap", async () => {
  const file = writeJsonl(path.join(tempDir("dialogsum"), "dialogsum.jsonl"), DIALOGS);
  const chat = await loadChatData({ dialogsum: file, trainExamples: 100, testExamples: 2 });
  assert.equal(chat.source, "real");
  assert.equal(chat.task, DIALOGSUM_TASK);
  assert.deepEqual(chat.train.map((r) => r.id), ["train_0", "train_1", "train_2", "train_3"]);
  assert.deepEqual(chat.test.map((r) => r.id), ["train_4", "train_5"]);
  await assert.rejects(loadChatData({ dialogsum: file, trainExamples: 1, testExamples: 6 }), /too few/);
  await assert.rejects(loadChatData({ dialogsum: file + ".missing", trainExamples: 1, testExamples: 1 }), /file not found: .*dialogsum.jsonl.missing/);
});

test("a DialogSum folder: train and test files, three references per test dialogue, the Lab 2 prompt", async () => {
  const dir = tempDir("dialogsum-folder");
  writeJsonl(path.join(dir, "dialogsum.train.jsonl"), DIALOGS);
  writeJsonl(path.join(dir, "dialogsum.dev.jsonl"), DIALOGS.slice(0, 1));
  writeJsonl(path.join(dir, "dialogsum.test.jsonl"), [
    { fname: "test_0", dialogue: DIALOGS[0].dialogue, summary1: "First.", summary2: "Second.", summary3: "Third.", topic1: "a", topic2: "b", topic3: "c" },
  ]);
  const chat = await loadChatData({ dialogsum: dir, trainExamples: 3, testExamples: 10 });
  assert.equal(chat.train.length, 3);
  assert.equal(chat.test.length, 1);
  const [example] = evalExamples(chat.task, chat.test, { id: "lab2" });
  assert.deepEqual(example.references, ["First.", "Second.", "Third."]);
  assert.ok(example.input.startsWith("Summarize the following conversation.\n\n#Person1#: Hello"));
  assert.ok(example.input.endsWith("\n\nSummary: "));
  assert.deepEqual(dialogSumRecords(readExamples(path.join(dir, "dialogsum.train.jsonl")))[0].references, [DIALOGS[0].summary]);
  fs.writeFileSync(path.join(dir, "dialogsum.test.csv"), "id,dialogue,summary\n");
  await assert.rejects(loadChatData({ dialogsum: dir, trainExamples: 1, testExamples: 1 }), /several files for the "test" split \(dialogsum.test.csv, dialogsum.test.jsonl\)/);
});

test("a Hub dataset name is read from the Hugging Face cache, never the network", async () => {
  const cacheDir = tempDir("hub-cache");
  const repo = path.join(cacheDir, "datasets--knkarthick--dialogsum");
  const snapshot = path.join(repo, "snapshots", "0123456789abcdef0123456789abcdef01234567");
  fs.mkdirSync(snapshot, { recursive: true });
  fs.mkdirSync(path.join(repo, "refs"));
  fs.writeFileSync(path.join(repo, "refs", "main"), path.basename(snapshot));
  const csv = (rows: typeof DIALOGS) => "id,dialogue,summary,topic\n" + rows.map((d) => [d.fname, d.dialogue, d.summary, d.topic].map((v) => `"${v}"`).join(",")).join("\n") + "\n";
  fs.writeFileSync(path.join(snapshot, "train.csv"), csv(DIALOGS.slice(0, 4)));
  fs.writeFileSync(path.join(snapshot, "test.csv"), csv(DIALOGS.slice(4)));
  const hub = { cacheDir, download: false };
  const chat = await loadChatData({ dialogsum: "knkarthick/dialogsum", trainExamples: 10, testExamples: 10, hub });
  assert.equal(chat.source, "real");
  assert.deepEqual(chat.train.map((r) => r.id), ["train_0", "train_1", "train_2", "train_3"]);
  assert.deepEqual(chat.test.map((r) => r.id), ["train_4", "train_5"]);
  await assert.rejects(loadChatData({ dialogsum: "someone/other-dialogs", trainExamples: 1, testExamples: 1, hub }), /flanlab download dataset someone\/other-dialogs/);
});

test("a checkpoint's generation settings win over the task's default length", () => {
  const dir = tempDir("generation");
  fs.writeFileSync(path.join(dir, "generation_config.json"), JSON.stringify({ max_new_tokens: 50, num_beams: 2, decoder_start_token_id: 0 }));
  assert.deepEqual(generationFor(dir, DIALOGSUM_TASK), { maxNewTokens: 50, numBeams: 2, decoderStartTokenId: 0 });
  assert.deepEqual(generationFor(tempDir("no-generation"), DIALOGSUM_TASK), { maxNewTokens: 128 });
});

test("fine-tuning on a user's records: full and LoRA, base untouched", async () => {
  const tokenizer = await loadTokenizer(path.join(__dirname, "..", "models", "quickstart-tokenizer"));
  const config = tinyConfig({ vocab_size: tokenizer.vocabSize });
  const folder = tempDir("real-model");
  saveModel({ config, params: initParams(config, 1) }, folder);
  const base = { model: { config, params: initParams(config, 1) }, tokenizer, folder };
  const records = dialogSumRecords(readExamples(writeJsonl(path.join(tempDir("records"), "d.jsonl"), DIALOGS)));
  const before = Array.from(base.model.params["shared.weight"].dataSync());
  const spec = { name: "full", method: "full" as const, data: { task: "dialogsum" }, steps: 2, batchSize: 2, learningRate: 1e-3, seed: 0 };
  const full = await fineTuneOnRecords(base, spec, DIALOGSUM_TASK, records);
  assert.equal(full.result.steps, 2);
  assert.equal(full.trainableParams, full.totalParams);
  const lora = await fineTuneOnRecords(base, { ...spec, name: "lora", method: "lora", lora: { r: 2, target_modules: ["q", "v"] } }, DIALOGSUM_TASK, records);
  assert.ok(lora.trainableParams < lora.totalParams);
  assert.deepEqual(Array.from(base.model.params["shared.weight"].dataSync()), before);
});

test("loadBase takes a Hub model name from the Hugging Face cache, tokenizer included", async () => {
  const cacheDir = tempDir("hub-model-cache");
  const repo = path.join(cacheDir, "models--someone--tiny-t5");
  const snapshot = path.join(repo, "snapshots", "89abcdef0123456789abcdef0123456789abcdef");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, 1) }, snapshot, { tokenizerFolder: path.join(__dirname, "..", "models", "quickstart-tokenizer") });
  fs.mkdirSync(path.join(repo, "refs"));
  fs.writeFileSync(path.join(repo, "refs", "main"), path.basename(snapshot));
  const saved = process.env.HF_HUB_CACHE;
  process.env.HF_HUB_CACHE = cacheDir;
  try {
    const base = await loadBase("someone/tiny-t5");
    assert.equal(base.folder, snapshot);
    assert.equal(base.model.config.d_model, config.d_model);
    assert.ok(base.tokenizer.vocabSize > 0);
    await assert.rejects(loadBase("someone/not-cached"), /flanlab download model someone\/not-cached/);
  } finally {
    if (saved === undefined) delete process.env.HF_HUB_CACHE;
    else process.env.HF_HUB_CACHE = saved;
  }
});
