// The trainer's run folder under faults, in-process on a tiny model: a torn metrics line, leftovers of an
// interrupted save, a full disk (a small tmpfs where mount is allowed, else an injected ENOSPC), a stop signal, a
// changed spec, a corrupt newest checkpoint, and output folders that cannot hold a run. Each time a resumed run ends
// with the weights and metrics of an uninterrupted one.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TokenizedExample } from "../src/data/collate";
import { ParamMap, initParams } from "../src/model/params";
import { T5Model } from "../src/model/t5";
import { EpochBatches } from "../src/train/batches";
import { RunSpecMismatchError } from "../src/train/run-spec";
import { TrainingInterruptedError } from "../src/train/stop-signals";
import { toVariables } from "../src/train/step";
import { TrainerOptions, train } from "../src/train/trainer";
import { checkOutputFolder } from "../src/train/output-folder";
import { metricsWithoutTiming as metrics } from "./cli-helpers";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const EXAMPLES: TokenizedExample[] = Array.from({ length: 10 }, (_, i) => ({
  inputIds: [5 + i, 6 + (i % 5), 7, 1],
  labels: Array.from({ length: 1 + (i % 3) }, (_, j) => 9 + ((i + j) % 20)).concat([1]),
}));

const model = (): T5Model => {
  const config = tinyConfig({ dropout_rate: 0.1 });
  return { config, params: toVariables(initParams(config, 3)) };
};
const dispose = (params: ParamMap) => Object.values(params).forEach((t) => t.dispose());
const quiet = () => {};

const options = (outDir: string, over: Partial<TrainerOptions> = {}): TrainerOptions => ({
  steps: 8,
  batchSize: 3,
  optimizer: { kind: "adamw" },
  learningRate: 3e-3,
  schedule: { kind: "linear", warmupSteps: 2 },
  seed: 5,
  logEvery: 1,
  saveEvery: 2,
  outDir,
  log: quiet,
  ...over,
});

/** Weights as bytes per parameter, for exact comparison. */
function weights(m: T5Model): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(m.params).map(([name, t]) => [name, Buffer.from((t.dataSync() as Float32Array).slice().buffer)]));
}

/** Train to the end in `dir` (resuming whatever is there) and return weights and metrics. */
async function finish(dir: string, over: Partial<TrainerOptions> = {}): Promise<{ weights: Record<string, Buffer>; metrics: unknown[]; resumedFrom: number | null }> {
  const m = model();
  const result = await train(m, new EpochBatches(EXAMPLES, 2), options(dir, over));
  const out = { weights: weights(m), metrics: metrics(dir), resumedFrom: result.resumedFrom };
  dispose(m.params);
  return out;
}

let straight: { weights: Record<string, Buffer>; metrics: unknown[] };
before(async () => {
  await useBackend("wasm");
  straight = await finish(tempDir("rf-straight"));
});

/** A run stopped by an exception from the progress sink at `step` (as a crash would), leaving its folder as it was then. */
async function crashAt(dir: string, step: number, over: Partial<TrainerOptions> = {}): Promise<void> {
  const m = model();
  const progress = { update: (s: { step: number }) => { if (s.step === step) throw new Error("simulated crash"); }, done: () => {} };
  await assert.rejects(train(m, new EpochBatches(EXAMPLES, 2), options(dir, { progress, ...over })), /simulated crash/);
  dispose(m.params);
}

function assertSameAsStraight(run: { weights: Record<string, Buffer>; metrics: unknown[] }): void {
  for (const [name, bytes] of Object.entries(straight.weights)) assert.ok(run.weights[name].equals(bytes), `${name} differs from the uninterrupted run`);
  assert.deepEqual(run.metrics, straight.metrics);
}

test("a torn last metrics line and an unfinished checkpoint folder are cleaned on resume, which equals an uninterrupted run", async () => {
  const dir = tempDir("rf-torn");
  await crashAt(dir, 5);
  fs.appendFileSync(path.join(dir, "metrics.jsonl"), '{"step": 6, "loss": 0.12'); // killed mid-line
  fs.mkdirSync(path.join(dir, "checkpoints", "step-6.partial")); // killed mid-save
  const notes: string[] = [];
  const resumed = await finish(dir, { log: (m) => notes.push(m) });
  assert.equal(resumed.resumedFrom, 4);
  assertSameAsStraight(resumed);
  assert.match(notes.join("\n"), /removed .*step-6\.partial/);
  assert.match(notes.join("\n"), /dropped its torn last line/);
  assert.match(notes.join("\n"), /resuming from step 4 of 8/);
  assert.ok(!fs.existsSync(path.join(dir, "checkpoints", "step-6.partial")));
});

test("resume takes the newest complete checkpoint even when last/ is gone, and sets a corrupt one aside", async () => {
  const dir = tempDir("rf-newest");
  await crashAt(dir, 7);
  const checkpoints = path.join(dir, "checkpoints");
  fs.rmSync(path.join(checkpoints, "last"), { recursive: true }); // e.g. a disk that filled while linking last
  fs.writeFileSync(path.join(checkpoints, "step-6", "optimizer.safetensors"), "not safetensors");
  const notes: string[] = [];
  const resumed = await finish(dir, { log: (m) => notes.push(m) });
  assert.equal(resumed.resumedFrom, 4);
  assertSameAsStraight(resumed);
  assert.match(notes.join("\n"), /step-6 cannot be restored .*set aside as .*corrupt-step-6/);
});

test("a run without a checkpoint starts over without repeating its metrics lines", async () => {
  const dir = tempDir("rf-nockpt");
  await crashAt(dir, 2, { saveEvery: 5 }); // lines for step 1 written, no checkpoint yet
  const resumed = await finish(dir, { saveEvery: 5 });
  assert.equal(resumed.resumedFrom, null);
  assert.deepEqual(resumed.metrics.map((l) => (l as { step: number }).step), [1, 2, 3, 4, 5, 6, 7, 8]);
});

/** A tmpfs of `bytes` at a fresh folder, or null where mount is not allowed (not root, a container without the capability). */
function smallTmpfs(bytes: number): { dir: string; unmount: () => void } | null {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return null;
  const dir = tempDir("rf-tmpfs");
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir], { encoding: "utf8" });
  if (mounted.status !== 0) return null;
  return { dir, unmount: () => spawnSync("umount", [dir]) };
}

/** Make every write into `fragment` fail as a full disk does (for systems where no tmpfs can be mounted). */
function injectDiskFull(fragment: string): () => void {
  const nodeFs = require("fs") as { writeFileSync: (...args: unknown[]) => void }; // the module object itself: imports see the change
  const original = nodeFs.writeFileSync;
  nodeFs.writeFileSync = (file: unknown, ...rest: unknown[]) => {
    if (String(file).includes(fragment)) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${String(file)}'`), { code: "ENOSPC" });
    return original(file, ...rest);
  };
  return () => {
    nodeFs.writeFileSync = original;
  };
}

test("a full disk while saving is an error saying the earlier checkpoints are intact; with space again the run resumes", async () => {
  const probe = tempDir("rf-size");
  await crashAt(probe, 3); // one checkpoint (step 2) to measure
  const stepBytes = fs.readdirSync(path.join(probe, "checkpoints", "step-2")).reduce((sum, f) => sum + fs.statSync(path.join(probe, "checkpoints", "step-2", f)).size, 0);
  const disk = smallTmpfs(4 * 1024 * 1024);
  let dir: string;
  let freeSpace: () => void;
  if (disk) {
    // room for two checkpoints and the logs, not for a third being written before the oldest is pruned
    dir = path.join(disk.dir, "run");
    const ballast = path.join(disk.dir, "ballast");
    const free = fs.statfsSync(disk.dir).bavail * fs.statfsSync(disk.dir).bsize;
    fs.writeFileSync(ballast, Buffer.alloc(Math.max(0, free - Math.round(2.6 * stepBytes) - 64 * 1024)));
    freeSpace = () => fs.rmSync(ballast);
  } else {
    dir = tempDir("rf-enospc");
    freeSpace = injectDiskFull(`step-6.partial`);
  }
  try {
    const m = model();
    await assert.rejects(train(m, new EpochBatches(EXAMPLES, 2), options(dir)), (error: Error) => {
      assert.match(error.message, /disk full while writing checkpoint .*step-\d+/);
      assert.match(error.message, /checkpoints before it are intact/);
      return true;
    });
    dispose(m.params);
    assert.ok(!fs.readdirSync(path.join(dir, "checkpoints")).some((name) => name.endsWith(".partial")), "no .partial folder left");
    freeSpace();
    assertSameAsStraight(await finish(dir));
  } finally {
    disk?.unmount();
  }
});

test("SIGTERM (or Ctrl-C) stops after the step with a checkpoint; the same call resumes to the uninterrupted result", async () => {
  const dir = tempDir("rf-signal");
  const m = model();
  const progress = { update: (s: { step: number }) => { if (s.step === 3) process.emit("SIGTERM"); }, done: () => {} };
  await assert.rejects(train(m, new EpochBatches(EXAMPLES, 2), options(dir, { progress, saveEvery: 100 })), (error: Error) => {
    assert.ok(error instanceof TrainingInterruptedError);
    assert.equal(error.signal, "SIGTERM");
    assert.match(error.message, /stopped by SIGTERM after step 3 of 8; checkpoint saved/);
    return true;
  });
  dispose(m.params);
  assert.equal(process.listenerCount("SIGTERM"), 0, "the handlers are gone");
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "run.json"), "utf8")).interrupted, "SIGTERM");
  const resumed = await finish(dir, { saveEvery: 100 });
  assert.equal(resumed.resumedFrom, 3);
  assertSameAsStraight(resumed);
});

test("resuming with another spec is refused naming the field; resume: false starts over", async () => {
  const dir = tempDir("rf-spec");
  await crashAt(dir, 3);
  const m = model();
  await assert.rejects(train(m, new EpochBatches(EXAMPLES, 2), options(dir, { learningRate: 1e-3 })), (error: Error) => {
    assert.ok(error instanceof RunSpecMismatchError);
    assert.match(error.message, /learningRate: 0\.003 in the recorded run, 0\.001 now/);
    return true;
  });
  dispose(m.params);
  const over = await finish(dir, { resume: false });
  assert.equal(over.resumedFrom, null);
  assertSameAsStraight(over);
});

test("output folders that cannot hold a run are refused before anything is created", () => {
  const dir = tempDir("rf-out");
  const file = path.join(dir, "a-file");
  fs.writeFileSync(file, "x");
  assert.throws(() => checkOutputFolder("/proc/flanlab-run", { what: "--out" }), /--out \/proc\/flanlab-run is on proc, a kernel pseudo-filesystem/);
  assert.throws(() => checkOutputFolder("/sys/flanlab", { what: "--out" }), /is on sysfs/);
  assert.throws(() => checkOutputFolder(file, { what: "--out" }), /is a file, not a folder/);
  assert.throws(() => checkOutputFolder(path.join(file, "run"), { what: "--out" }), /a-file is a file, so no folder can be made under it/);
  assert.throws(() => checkOutputFolder(path.join(dir, "run"), { what: "--out", bytesNeeded: 1e18, bytesFor: "one checkpoint" }), /free on its disk, but one checkpoint needs about 1000000\.0 TB/);
  checkOutputFolder(path.join(dir, "new", "run"), { what: "--out", bytesNeeded: 1000 });
  assert.ok(!fs.existsSync(path.join(dir, "new")), "checking creates nothing");
});
