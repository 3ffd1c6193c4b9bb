import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { saveModel } from "../src/io/checkpoint";
import { LOAD_CHECK_PLAN, estimateMemory } from "../src/io/memory";
import { initParams } from "../src/model/params";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");

function flanlab(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function tinyModelFolder(): Promise<string> {
  await useBackend("cpu");
  const folder = tempDir("cli-train-model");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, 1) }, folder, { tokenizerFolder: path.join(ROOT, "models", "quickstart-tokenizer") });
  return folder;
}

test("train and eval on a user's CSV with a template, then resume is a no-op at the end", async () => {
  const model = await tinyModelFolder();
  const dir = tempDir("cli-train");
  const csv = path.join(dir, "chats.csv");
  fs.writeFileSync(csv, 'id,text,label\n1,"A: my order is late\nB: sorry",late order\n2,"A: refund please\nB: done",refund given\n3,"A: hello",greeting\n');
  const out = path.join(dir, "run");
  const args = ["--model", model, "--data", csv, "--input-column", "text", "--target-column", "label", "--template", "Summarize: {input}", "--out", out, "--steps", "3", "--batch-size", "2", "--eval-data", csv, "--eval-every", "3"];
  const trained = flanlab(["train", ...args]);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stderr, /trainable params: \d[\d,]* \|\| all params: [\d,]+ \|\| trainable%: 100/);
  assert.match(trained.stdout, /trained 3 steps; final model: .*final/);
  assert.match(trained.stdout, /chats\/rougeL \d/);
  for (const file of ["run.json", "metrics.jsonl", "checkpoints/last/model.safetensors", "final/model.safetensors", "final/tokenizer.json"]) {
    assert.ok(fs.existsSync(path.join(out, file)), file);
  }
  const again = flanlab(["train", ...args]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /trained 3 steps \(resumed at 3\)/);

  const predictions = path.join(dir, "predictions");
  const evaluated = flanlab(["eval", "--model", path.join(out, "final"), "--data", csv, "--input-column", "text", "--target-column", "label", "--template", "Summarize: {input}", "--predictions", predictions, "--out", path.join(dir, "scores.json"), "--max-new-tokens", "4"]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.match(evaluated.stdout, /^chats \(3 examples\): rouge1 /m);
  assert.equal(fs.readFileSync(path.join(predictions, "chats.jsonl"), "utf8").trim().split("\n").length, 3);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "scores.json"), "utf8")).scores.chats.examples, 3);
});

test("train LoRA adapters on a registered task; eval loads base + adapter", async () => {
  const model = await tinyModelFolder();
  const out = path.join(tempDir("cli-lora"), "run");
  const trained = flanlab(["train", "--model", model, "--task", "sentiment", "--out", out, "--steps", "2", "--batch-size", "2", "--lora-r", "2", "--lora-alpha", "4", "--lora-targets", "q,v"]);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /final adapter: /);
  assert.ok(fs.existsSync(path.join(out, "final", "adapter_model.safetensors")));
  const evaluated = flanlab(["eval", "--model", model, "--adapter", path.join(out, "final"), "--tasks", "sentiment", "--limit", "4", "--max-new-tokens", "3"]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.match(evaluated.stdout, /^sentiment \(4 examples\): accuracy /m);
});

test("train and eval reject bad flags with the flag named", async () => {
  assert.match(flanlab(["train", "--model", "x", "--out", "y"]).stderr, /give exactly one of --task, --tasks or --data/);
  assert.match(flanlab(["train", "--model", "x", "--out", "y", "--task", "nope"]).stderr, /nope/);
  assert.match(flanlab(["eval", "--model", "x", "--tasks", "sentiment", "--split", "dev"]).stderr, /--split "dev" must be one of train, validation, test/);
});

test("flanlab rouge scores two text files and writes per-example scores", () => {
  const dir = tempDir("cli-rouge");
  fs.writeFileSync(path.join(dir, "p.txt"), "the cat sat on the mat\nrefund issued\n");
  fs.writeFileSync(path.join(dir, "r.txt"), "the cat sat on a mat\nthe agent issued a refund\n");
  const run = flanlab(["rouge", "--predictions", path.join(dir, "p.txt"), "--references", path.join(dir, "r.txt"), "--per-example", path.join(dir, "s.jsonl")]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /2 examples, stemming on/);
  assert.match(run.stdout, /rouge1 +F 0\.\d{4}/);
  const lines = fs.readFileSync(path.join(dir, "s.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.ok(Math.abs(lines[0].rouge1.fmeasure - 5 / 6) < 1e-9); // 5 of 6 unigrams shared both ways
  fs.writeFileSync(path.join(dir, "short.txt"), "one\n");
  assert.match(flanlab(["rouge", "--predictions", path.join(dir, "short.txt"), "--references", path.join(dir, "r.txt")]).stderr, /has 1 texts but .* has 2/);
});

test("train checks its own plan (mode, batch, lengths, optimizer) against the backend's memory before loading", async () => {
  const model = await tinyModelFolder();
  const config = tinyConfig({ vocab_size: 1000 });
  const dir = tempDir("cli-train-memory");
  const csv = path.join(dir, "pairs.csv");
  fs.writeFileSync(csv, "input,target\na,b\nc,d\n");
  // A limit between what loading needs and what this run needs: only a check of the training plan can fail.
  const training = estimateMemory(config, { mode: "full", optimizer: "adamw", batchSize: 64, sourceLength: 512, targetLength: 128 }, "wasm").total;
  const loading = estimateMemory(config, LOAD_CHECK_PLAN, "wasm").total;
  assert.ok(loading < training / 2);
  const env = { FLANLAB_BACKEND: "wasm", FLANLAB_MEMORY_LIMIT_GB: String(training / 2 / 1e9) };
  const args = ["train", "--model", model, "--data", csv, "--out", path.join(dir, "run"), "--steps", "1"];
  const refused = flanlab([...args, "--batch-size", "64"], env);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /full fine-tuning with AdamW on the wasm backend needs/);
  assert.match(refused.stderr, /What fits instead/);
  assert.ok(!fs.existsSync(path.join(dir, "run", "checkpoints")), "nothing trained");
});
