// The run cache: a fine-tuning run's key changes with every ingredient and nothing else; an equal run is loaded
// (same weights bit for bit, same result) instead of trained; LoRA entries hold only the adapter; FLANLAB_NO_CACHE
// trains anyway; two processes asking at once train once; stale locks and broken entries do not get in the way.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { TaskSource, makeMixture } from "../src/data/mixtures";
import { canonicalJson, fileSha256, modelHash } from "../src/io/content-hash";
import { saveModel } from "../src/io/checkpoint";
import { Base, FineTuneSpec, FineTuned, cacheScores, cachedScores, disposeModel, fineTune, fineTuneKey, labRecipe, loadBase, trainingMixture } from "../src/lab/experiments/finetune";
import { activeAdapter } from "../src/model/lora";
import { initParams } from "../src/model/params";
import { isLeftover } from "../src/train/durable-files";
import { FineTuneOptions } from "../src/train/finetune";
import { RunIngredients, runIngredients, runKey } from "../src/train/run-key";
import { acquireLock } from "../src/train/run-lock";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const CHILD = path.join(__dirname, "fixtures", "run-cache-child.ts");

/** A tiny random model with the quickstart tokenizer, as a model folder, loaded as the lab loads its base. */
async function tinyBase(seed = 1): Promise<Base> {
  await useBackend("cpu");
  const folder = tempDir("run-cache-model");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, seed) }, folder, { tokenizerFolder: path.join(ROOT, "models", "quickstart-tokenizer") });
  return loadBase(folder);
}

const SPEC: FineTuneSpec = { name: "full", method: "full", data: { task: "sentiment", examples: 16 }, steps: 2, batchSize: 2, learningRate: 1e-3, seed: 1 };

/** Run `body` with a fresh cache folder and the given environment variables, restoring both afterwards. */
async function withCache<T>(body: (dir: string) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const dir = tempDir("run-cache");
  const saved = { ...process.env };
  Object.assign(process.env, { FLANLAB_RUN_CACHE: dir, ...env });
  try {
    return await body(dir);
  } finally {
    for (const name of ["FLANLAB_RUN_CACHE", "FLANLAB_NO_CACHE", "FLANLAB_RUN_KEYS_LOG", ...Object.keys(env)]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** fineTune, with the steps it trained counted and the lines it printed caught. */
async function counted(base: Base, spec: FineTuneSpec): Promise<{ tuned: FineTuned; steps: number; lines: string[] }> {
  let steps = 0;
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(String(line));
  try {
    const tuned = await fineTune(base, spec, { update: () => void steps++, done: () => undefined });
    return { tuned, steps, lines };
  } finally {
    console.log = log;
  }
}

function assertSameWeights(a: FineTuned, b: FineTuned): void {
  assert.deepEqual(Object.keys(a.model.params).sort(), Object.keys(b.model.params).sort());
  for (const name of Object.keys(a.model.params)) {
    const bytes = (t: tf.Tensor) => Buffer.from((t.dataSync() as Float32Array).buffer);
    assert.ok(bytes(a.model.params[name]).equals(bytes(b.model.params[name])), `${name} differs`);
  }
}

function ingredientsOf(base: Base, spec: FineTuneSpec, options: Partial<FineTuneOptions> = {}): RunIngredients {
  return runIngredients(base.model, { mixture: trainingMixture(spec.data), tokenizer: base.tokenizer }, { ...labRecipe(spec), ...options });
}

test("canonical JSON ignores key order; the key is stable and ignores what does not change the weights", async () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: undefined } }), '{"a":{"d":[2,{"y":0,"z":1}]},"b":1}');
  const base = await tinyBase();
  const key = runKey(ingredientsOf(base, SPEC));
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(runKey(ingredientsOf(base, SPEC)), key);
  assert.equal(fineTuneKey(base, SPEC), key);
  const reordered = Object.fromEntries(Object.entries(ingredientsOf(base, SPEC)).reverse()) as unknown as RunIngredients;
  assert.equal(runKey(reordered), key);
  assert.equal(runKey(ingredientsOf(base, { ...SPEC, name: "another label" })), key, "the name is a label");
  assert.equal(runKey(ingredientsOf(base, SPEC, { logEvery: 1, progress: { update() {}, done() {} } })), key);
  assert.equal(runKey(ingredientsOf(base, SPEC, { lora: { r: 4 } })), key, "full fine-tuning has no adapter");
  assert.equal(runKey(ingredientsOf(base, SPEC, { dropoutRate: base.model.config.dropout_rate })), key, "the config's dropout is the default");
  assert.equal(runKey(ingredientsOf(base, { ...SPEC, data: { task: "sentiment", examples: 16 } })), key);
  const lora: FineTuneSpec = { ...SPEC, method: "lora" };
  assert.equal(runKey(ingredientsOf(base, lora)), runKey(ingredientsOf(base, { ...lora, lora: { r: 8, lora_alpha: 8, target_modules: ["q", "v"] } })), "LoRA completed with PEFT's defaults");
  disposeModel(base.model);
});

test("every ingredient changes the key: each recipe field, the seed, the data, the base, the backend, the library", async () => {
  const base = await tinyBase();
  const reference = ingredientsOf(base, SPEC);
  const lora: FineTuneSpec = { ...SPEC, method: "lora" };
  const variants: Record<string, RunIngredients> = {
    steps: ingredientsOf(base, { ...SPEC, steps: 3 }),
    batchSize: ingredientsOf(base, { ...SPEC, batchSize: 4 }),
    learningRate: ingredientsOf(base, { ...SPEC, learningRate: 2e-3 }),
    seed: ingredientsOf(base, { ...SPEC, seed: 2 }),
    schedule: ingredientsOf(base, SPEC, { schedule: { kind: "linear", warmupSteps: 0 } }),
    warmup: ingredientsOf(base, SPEC, { schedule: { kind: "constant", warmupSteps: 1 } }),
    optimizer: ingredientsOf(base, SPEC, { optimizer: { kind: "adafactor" } }),
    weightDecay: ingredientsOf(base, SPEC, { optimizer: { kind: "adamw", weightDecay: 0.01 } }),
    dropout: ingredientsOf(base, SPEC, { dropoutRate: 0.1 }),
    accumulation: ingredientsOf(base, SPEC, { gradientAccumulation: 2 }),
    clipping: ingredientsOf(base, SPEC, { maxGradNorm: 0.5 }),
    method: ingredientsOf(base, lora),
    loraRank: ingredientsOf(base, { ...lora, lora: { r: 4 } }),
    loraTargets: ingredientsOf(base, { ...lora, lora: { target_modules: ["q", "k", "v"] } }),
    loraDropout: ingredientsOf(base, { ...lora, lora: { lora_dropout: 0.1 } }),
    fewerRecords: ingredientsOf(base, { ...SPEC, data: { task: "sentiment", examples: 15 } }),
    otherTask: ingredientsOf(base, { ...SPEC, data: { task: "review_rating", examples: 16 } }),
    mixtureRate: ingredientsOf(base, { ...SPEC, data: { mixture: [{ task: "sentiment", examples: 16 }, { task: "review_rating", examples: 8 }], rate: "equal" } }),
    backend: { ...reference, backend: "wasm" },
    version: { ...reference, library: { ...reference.library, flanlab: "9.9.9" } },
    code: { ...reference, library: { ...reference.library, code: "x" } },
    format: { ...reference, format: reference.format + 1 },
  };
  const { task, records } = trainingMixture(SPEC.data).members[0].source as TaskSource;
  const edited = [{ ...records[0], text: `${String(records[0].text)}!` }, ...records.slice(1)];
  const editedMixture = makeMixture("sentiment", [{ task, records: edited }]);
  const recipe = labRecipe(SPEC);
  variants.oneRecord = runIngredients(base.model, { mixture: editedMixture, tokenizer: base.tokenizer }, recipe);
  const other = await tinyBase(2);
  variants.baseWeights = runIngredients(other.model, { mixture: trainingMixture(SPEC.data), tokenizer: base.tokenizer }, recipe);
  const keys = new Map(Object.entries(variants).map(([what, ingredients]) => [what, runKey(ingredients)]));
  for (const [what, key] of keys) assert.notEqual(key, runKey(reference), `${what} did not change the key`);
  assert.equal(new Set(keys.values()).size, keys.size, "two variants share a key");
  [base.model, other.model].forEach(disposeModel);
});

test("the base's hash: the folder's while the model holds the loaded tensors, else its parameters' bytes", async () => {
  const base = await tinyBase();
  assert.match(modelHash(base.model), /^folder [0-9a-f]{64}$/);
  const copy = { config: base.model.config, params: { ...base.model.params } };
  assert.match(modelHash(copy), /^parameters [0-9a-f]{64}$/, "a model without a folder: its bytes");
  const scratch = { config: base.model.config, params: initParams(base.model.config, 5) };
  assert.notEqual(modelHash(scratch), modelHash(copy), "other weights, in the folder base's place (notebook 01's scratch model)");
  const name = Object.keys(base.model.params)[0];
  const before = modelHash(base.model);
  const replaced = base.model.params[name];
  base.model.params[name] = tf.add(replaced, 1e-3);
  assert.match(modelHash(base.model), /^parameters /, "a replaced tensor: no longer the folder's");
  assert.notEqual(modelHash(base.model), before);
  replaced.dispose();
  [base.model, scratch].forEach(disposeModel);

  const file = path.join(tempDir("run-cache-hash"), "w.bin");
  const stamp = new Date("2026-01-01T00:00:00Z");
  fs.writeFileSync(file, "abc");
  fs.utimesSync(file, stamp, stamp);
  const first = fileSha256(file);
  fs.writeFileSync(file, "abd");
  fs.utimesSync(file, stamp, stamp);
  assert.equal(fileSha256(file), first, "same path, size and mtime: not read again");
  fs.utimesSync(file, stamp, new Date(stamp.getTime() + 5000));
  assert.notEqual(fileSha256(file), first);
});

test("an equal run is reused: the same weights bit for bit and the same result, without training", async () => {
  const base = await tinyBase();
  await withCache(async (dir) => {
    const keysLog = path.join(dir, "keys.jsonl");
    process.env.FLANLAB_RUN_KEYS_LOG = keysLog;
    const first = await counted(base, SPEC);
    assert.equal(first.steps, SPEC.steps);
    assert.match(first.lines.join("\n"), /^trained and cached fine-tuning run [0-9a-f]{12} \(full\) in /);
    const again = await counted(base, { ...SPEC, name: "the same run" });
    assert.equal(again.steps, 0, "the second call trained");
    assert.match(again.lines.join("\n"), /^reused fine-tuning run [0-9a-f]{12} \(the same run\) from .*\(trained in \d+ s\)$/);
    assertSameWeights(first.tuned, again.tuned);
    assert.deepEqual(again.tuned.result, first.tuned.result);
    assert.deepEqual([again.tuned.trainableParams, again.tuned.totalParams], [first.tuned.trainableParams, first.tuned.totalParams]);
    assert.equal(again.tuned.spec.name, "the same run", "the caller's spec comes back");
    assert.equal(again.tuned.cacheEntry, first.tuned.cacheEntry);
    assert.equal(path.dirname(first.tuned.cacheEntry!), dir);
    assert.ok(fs.existsSync(path.join(first.tuned.cacheEntry!, "model", "model.safetensors")));
    const meta = JSON.parse(fs.readFileSync(path.join(first.tuned.cacheEntry!, "meta.json"), "utf8"));
    assert.equal(meta.describe.name, "full");
    assert.equal(meta.ingredients.recipe.steps, SPEC.steps);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => isLeftover(f) || f.endsWith(".lock")), [], "no temporary folder or lock is left");

    cacheScores(first.tuned, "test", { rougeL: 0.5 });
    assert.deepEqual(cachedScores(again.tuned, "test"), { rougeL: 0.5 });
    assert.equal(cachedScores(again.tuned, "other"), undefined);

    const logged = fs.readFileSync(keysLog, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(logged.map((l) => [l.key === logged[0].key, l.reused]), [[true, false], [true, true]]);
    [first.tuned.model, again.tuned.model].forEach(disposeModel);
  });
  disposeModel(base.model);
});

test("a LoRA entry holds only the adapter, and reusing it attaches the adapter to a copy of the base", async () => {
  const base = await tinyBase();
  await withCache(async () => {
    const spec: FineTuneSpec = { ...SPEC, name: "lora", method: "lora", lora: { r: 2, lora_dropout: 0.1 } };
    const first = await counted(base, spec);
    const entry = first.tuned.cacheEntry!;
    assert.deepEqual(fs.readdirSync(entry).sort(), ["adapter", "meta.json", "result.json"]);
    assert.deepEqual(fs.readdirSync(path.join(entry, "adapter")).sort(), ["adapter_config.json", "adapter_model.safetensors"]);
    const adapterBytes = fs.statSync(path.join(entry, "adapter", "adapter_model.safetensors")).size;
    assert.ok(adapterBytes < fs.statSync(path.join(base.folder, "model.safetensors")).size / 10);
    const again = await counted(base, spec);
    assert.equal(again.steps, 0);
    assertSameWeights(first.tuned, again.tuned);
    assert.deepEqual(activeAdapter(again.tuned.model), activeAdapter(first.tuned.model));
    assert.deepEqual(again.tuned.result, first.tuned.result);
    assert.equal(again.tuned.trainableParams, first.tuned.trainableParams);
    assert.match(modelHash(base.model), /^folder /, "the base itself is untouched");
    [first.tuned.model, again.tuned.model].forEach(disposeModel);
  });
  disposeModel(base.model);
});

test("FLANLAB_NO_CACHE=1 trains again and replaces the entry", async () => {
  const base = await tinyBase();
  await withCache(async () => {
    const first = await counted(base, SPEC);
    const created = JSON.parse(fs.readFileSync(path.join(first.tuned.cacheEntry!, "meta.json"), "utf8")).created;
    await new Promise((resolve) => setTimeout(resolve, 5));
    process.env.FLANLAB_NO_CACHE = "1";
    const forced = await counted(base, SPEC);
    delete process.env.FLANLAB_NO_CACHE;
    assert.equal(forced.steps, SPEC.steps);
    assertSameWeights(first.tuned, forced.tuned);
    assert.notEqual(JSON.parse(fs.readFileSync(path.join(forced.tuned.cacheEntry!, "meta.json"), "utf8")).created, created);
    const after = await counted(base, SPEC);
    assert.equal(after.steps, 0, "and the replaced entry is reused");
    [first.tuned.model, forced.tuned.model, after.tuned.model].forEach(disposeModel);
  });
  disposeModel(base.model);
});

test("a broken entry is ignored and trained again; a half-written temporary folder is not an entry", async () => {
  const base = await tinyBase();
  await withCache(async (dir) => {
    const first = await counted(base, SPEC);
    const entry = first.tuned.cacheEntry!;
    const weights = path.join(entry, "model", "model.safetensors");
    fs.truncateSync(weights, fs.statSync(weights).size - 100);
    const retried = await counted(base, SPEC);
    assert.equal(retried.steps, SPEC.steps);
    assert.match(retried.lines[0], /^ignoring the broken cache entry .* of fine-tuning run [0-9a-f]{12} \(full\): /);
    assertSameWeights(first.tuned, retried.tuned);
    assert.equal((await counted(base, SPEC)).steps, 0, "the entry is whole again");

    fs.rmSync(path.join(entry, "result.json"));
    assert.equal((await counted(base, SPEC)).steps, SPEC.steps, "an entry without its result");

    fs.rmSync(entry, { recursive: true });
    fs.mkdirSync(path.join(`${entry}.partial`, "model"), { recursive: true });
    fs.writeFileSync(path.join(`${entry}.partial`, "meta.json"), "{");
    assert.equal((await counted(base, SPEC)).steps, SPEC.steps);
    [first.tuned.model, retried.tuned.model].forEach(disposeModel);
  });
  disposeModel(base.model);
});

test("a stale lock (its process is gone) is broken; a live one is waited for, up to a timeout", async () => {
  const base = await tinyBase();
  await withCache(async (dir) => {
    const key = fineTuneKey(base, SPEC);
    const lock = path.join(dir, `${key}.lock`);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    fs.writeFileSync(lock, JSON.stringify({ pid: gone, host: os.hostname(), started: new Date().toISOString() }));
    const run = await counted(base, SPEC);
    assert.equal(run.steps, SPEC.steps);
    assert.equal(path.basename(run.tuned.cacheEntry!), key);
    assert.ok(!fs.existsSync(lock), "the lock is released");
    disposeModel(run.tuned.model);

    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() }));
    const told: unknown[] = [];
    await assert.rejects(acquireLock(lock, { timeoutSeconds: 0.3, pollMs: 50, onWait: (owner) => told.push(owner) }), /still held by process \d+ .*Delete the file/);
    assert.equal(told.length, 1);
  });
  disposeModel(base.model);
});

/** Run the concurrency child: resolves to its JSON report. */
function child(args: string[], env: NodeJS.ProcessEnv): Promise<{ stepsTrained: number; lines: string[]; weights: string; losses: unknown[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (chunk) => (stderr += chunk));
    proc.on("close", (code) => (code === 0 ? resolve(JSON.parse(fs.readFileSync(args[3], "utf8"))) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

test("two processes asking for the same run at once: one trains, the other waits for it and reuses its entry", async () => {
  const base = await tinyBase();
  disposeModel(base.model);
  const dir = tempDir("run-cache-two");
  const go = path.join(dir, "go");
  const files = (i: number) => [path.join(dir, `ready-${i}`), go, path.join(dir, `out-${i}.json`)];
  const env = { ...process.env, FLANLAB_RUN_CACHE: path.join(dir, "cache"), FLANLAB_NO_CACHE: "" };
  const runs = [0, 1].map((i) => child([base.folder, ...files(i), "30"], env));
  const ready = () => [0, 1].every((i) => fs.existsSync(files(i)[0]));
  for (let waited = 0; !ready(); waited += 50) {
    assert.ok(waited < 60_000, "the children did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  fs.writeFileSync(go, "");
  const [a, b] = await Promise.all(runs);
  const trained = [a, b].filter((r) => r.stepsTrained > 0);
  assert.equal(trained.length, 1, `exactly one process trains: ${JSON.stringify([a.lines, b.lines])}`);
  assert.equal(trained[0].stepsTrained, 30);
  const waiter = trained[0] === a ? b : a;
  assert.match(waiter.lines.join("\n"), /waiting for process \d+ .*which is training fine-tuning run [0-9a-f]{12} \(concurrent\)\nreused fine-tuning run/);
  assert.equal(a.weights, b.weights);
  assert.deepEqual(a.losses, b.losses);
  assert.equal(fs.readdirSync(path.join(dir, "cache")).length, 1, "one entry, no lock left");
});
