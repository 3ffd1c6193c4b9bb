// A careless or hostile user's flanlab: every bad input is an error that names the flag (with its range), the file
// and line, or the field, given before any model loads and leaving nothing behind. Run in-process (main()), since
// each case stops long before the backend would start.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { saveAdapter } from "../src/io/adapter";
import { loadModel, saveModel } from "../src/io/checkpoint";
import { disposeModel } from "../src/model/lifecycle";
import { addAdapter } from "../src/model/lora";
import { initParams } from "../src/model/params";
import { flanlabInProcess as flanlab } from "./cli-helpers";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const TOKENIZER = path.join(ROOT, "models", "quickstart-tokenizer");

const dir = tempDir("bad-inputs");
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const csv = write("pairs.csv", "input,target\nhello there,hi\nrefund please,refund given\n");
/** Only its config.json and generation_config.json are read: flags and data are checked before any weight. */
const model = path.join(ROOT, "models", "flanlab-tiny");

async function refused(args: string[], message: RegExp): Promise<void> {
  const run = await flanlab(args);
  assert.equal(run.code, 1, `expected a refusal of ${args.join(" ")}; stderr: ${run.stderr}`);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /batchSize|evalEvery|numBeams|learningRate|dropoutRate|maxGradNorm/, "messages name flags, not internal names");
}

test("train: flags out of range are refused by flag name and range, and no run folder is made", async () => {
  const out = path.join(dir, "never-made");
  const train = (...flags: string[]) => ["train", "--model", model, "--data", csv, "--out", out, ...flags];
  await refused(train("--dropout", "2"), /--dropout must be a number >= 0 and < 1, got 2\./);
  await refused(train("--max-grad-norm=-1"), /--max-grad-norm must be a number >= 0, got -1\./);
  await refused(train("--batch-size", "0"), /--batch-size must be an integer >= 1, got 0\./);
  await refused(train("--steps", "1.5"), /--steps must be an integer, got "1\.5"/);
  await refused(train("--lr", "0"), /--lr must be a number > 0, got 0\./);
  await refused(train("--seed=-3"), /--seed must be an integer >= 0 and <= 2147483647, got -3\./);
  await refused(train("--lora-r", "0"), /--lora-r: r \(the LoRA rank\) must be a positive integer, got 0\./);
  await refused(train("--lora-dropout", "1"), /--lora-dropout must be a number >= 0 and < 1, got 1\./);
  await refused(train("--save-every", "0"), /--save-every must be an integer >= 1/);
  await refused(train("--eval-every", "5"), /--eval-every applies only when the run evaluates/);
  await refused(["train", "--model", model, "--task", "sentiment", "--out", out, "--rate", "equal"], /--rate applies only with --tasks/);
  await refused(["train", "--model", model, "--task", "sentiment", "--out", out, "--template", "x {input}"], /--template applies only with --data FILE/);
  assert.ok(!fs.existsSync(out), "nothing written");
});

test("train: output folders that cannot be a run folder are refused before any mkdir (no hang on /proc)", async () => {
  const train = (out: string) => ["train", "--model", model, "--data", csv, "--out", out];
  await refused(train("/proc/flanlab-run"), /--out \/proc\/flanlab-run is on proc, a kernel pseudo-filesystem, not storage/);
  await refused(train(csv), /--out .*pairs\.csv is a file, not a folder\./);
  await refused(train(path.join(csv, "run")), /pairs\.csv is a file, so no folder can be made under it\./);
});

test("train and data inspect: data files are checked with file, line and field named", async () => {
  const train = (data: string) => ["train", "--model", model, "--data", data, "--out", path.join(dir, "run")];
  await refused(train(write("empty.jsonl", "")), /empty\.jsonl: empty file \(expected one JSON object per line\)/);
  await refused(train(write("blank.jsonl", "\n\n")), /blank\.jsonl: empty file/);
  await refused(train(write("header-only.csv", "input,target\n")), /--data .*header-only\.csv: no examples in it/);
  await refused(train(write("latin1.jsonl", Buffer.concat([Buffer.from('{"input": "ok", "target": "t"}\n{"input": "caf'), Buffer.from([0xe9]), Buffer.from('", "target": "t"}\n')]))), /latin1\.jsonl:2: not valid UTF-8/);
  await refused(train(write("number.jsonl", '{"input": 42, "target": "t"}\n')), /number\.jsonl:1: field "input" must be text \(a JSON string\), got the number 42/);
  await refused(train(path.join(dir, "missing.jsonl")), /file not found: .*missing\.jsonl/);
  await refused(["train", "--model", model, "--data", csv, "--format", "xml", "--out", path.join(dir, "run")], /--format must be one of dialogsum, samsum, csv, jsonl, got "xml"/);
  const inspect = await flanlab(["data", "inspect", write("bom.jsonl", '\ufeff{"input": "a b", "target": "c"}\n'), "--tokenizer", TOKENIZER]);
  assert.equal(inspect.code, 0, inspect.stderr);
  assert.match(inspect.stdout, /bom\.jsonl: jsonl, 1 examples from 1 rows/);
});

test("generate and eval: generation flags by name and range; sampling flags without --do-sample are refused, not ignored", async () => {
  const generate = (...flags: string[]) => ["generate", "--model", model, "--prompt", "hi", ...flags];
  await refused(generate("--temperature=-1"), /--temperature must be a number > 0, got -1\./);
  await refused(generate("--temperature", "0.7"), /--temperature only applies when sampling: add --do-sample/);
  await refused(generate("--top-p", "1.5", "--do-sample"), /--top-p must be a number > 0 and <= 1, got 1\.5\./);
  await refused(generate("--num-beams", "0"), /--num-beams must be an integer >= 1, got 0\./);
  await refused(generate("--num-beams", "2", "--do-sample"), /--do-sample with --num-beams 2 \(beam sampling\) is not supported/);
  await refused(["eval", "--model", model, "--tasks", "sentiment", "--batch-size", "0"], /--batch-size must be an integer >= 1, got 0\./);
  await refused(["eval", "--model", model, "--tasks", "sentiment", "--limit=-1"], /--limit must be an integer >= 1, got -1\./);
  await refused(["eval", "--model", model, "--tasks", "sentiment", "--predictions", "/sys/flanlab"], /--predictions \/sys\/flanlab is on sysfs/);
});

test("an adapter trained on another base of the same shapes loads with a warning; on its own base, without one", async () => {
  await useBackend("wasm");
  const base = path.join(dir, "base");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, 1) }, base, { tokenizerFolder: TOKENIZER });
  const loaded = loadModel(base);
  addAdapter(loaded, { r: 2 }, { seed: 1 });
  const foreign = path.join(dir, "adapter-foreign");
  const own = path.join(dir, "adapter-own");
  saveAdapter(loaded, foreign, { baseModel: "google/flan-t5-small" });
  saveAdapter(loaded, own, { baseModel: base });
  disposeModel(loaded);
  const generate = (adapter: string) => flanlab(["generate", "--model", base, "--adapter", adapter, "--prompt", "hi", "--max-new-tokens", "2"]);
  const warned = await generate(foreign);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /warning: --adapter .*adapter-foreign was trained on "google\/flan-t5-small" \(base_model_name_or_path in adapter_config\.json\), not on --model .*base/);
  const matched = await generate(own);
  assert.equal(matched.code, 0, matched.stderr);
  assert.doesNotMatch(matched.stderr, /warning/);
});
