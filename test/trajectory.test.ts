// A run's trajectory (src/lab/experiments/trajectory.ts): checkpoints evenly spaced with the last step; watching a
// run does not change it (same losses, same weights) and leaks no tensors; each checkpoint's scores are those of
// the weights at that step; the trajectory is kept with the run in the run cache, so an equal call trains nothing;
// full fine-tuning and LoRA alike. And the figure that draws trajectories as lines.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { saveModel } from "../src/io/checkpoint";
import { Base, FineTuneSpec, FineTuned, disposeModel, fineTune, loadBase } from "../src/lab/experiments/finetune";
import { learningForgettingLinesHtml } from "../src/lab/experiments/lora-sweep";
import {
  Trajectory,
  TrajectoryProbe,
  TrajectoryRun,
  checkpointSteps,
  fineTuneWithTrajectory,
  meanTrajectory,
  probeScores,
  trajectoryPoint,
  trajectoryScoresName,
} from "../src/lab/experiments/trajectory";
import { staticFigureSvg } from "../src/lab/notebook/static-figure";
import { initParams } from "../src/model/params";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");

async function tinyBase(seed = 1): Promise<Base> {
  await useBackend("wasm");
  const folder = tempDir("trajectory-model");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, seed) }, folder, { tokenizerFolder: path.join(ROOT, "models", "quickstart-tokenizer") });
  return loadBase(folder);
}

const PROBE: TrajectoryProbe = { task: "chat_summary", examples: 2, baseTasks: ["sentiment", "question_answering"], baseExamples: 2, checkpoints: 3 };
// A constant rate, so that a run cut short at a checkpoint's step is that checkpoint (the lab's cosine decays with the run's length).
const FULL: FineTuneSpec = { name: "full", method: "full", data: { task: "sentiment", examples: 16 }, steps: 6, batchSize: 2, learningRate: 3e-3, schedule: "constant", warmupSteps: 0, seed: 1 };
const LORA: FineTuneSpec = { ...FULL, name: "lora", method: "lora", lora: { r: 2, lora_alpha: 4, target_modules: ["q", "v"] }, learningRate: 1e-2 };

async function withCache<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir("trajectory-cache");
  const saved = { ...process.env };
  Object.assign(process.env, { FLANLAB_RUN_CACHE: dir });
  delete process.env.FLANLAB_NO_CACHE;
  try {
    return await body(dir);
  } finally {
    for (const name of ["FLANLAB_RUN_CACHE", "FLANLAB_NO_CACHE"]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** Steps a call trained (progress updates), with the run cache's lines kept out of the test output. */
async function counting<T>(body: (progress: { update: () => void; done: () => void }) => Promise<T>): Promise<{ value: T; steps: number }> {
  let steps = 0;
  const log = console.log;
  console.log = () => undefined;
  try {
    const value = await body({ update: () => void steps++, done: () => undefined });
    return { value, steps };
  } finally {
    console.log = log;
  }
}

function sameWeights(a: FineTuned, b: FineTuned): void {
  assert.deepEqual(Object.keys(a.model.params).sort(), Object.keys(b.model.params).sort());
  for (const name of Object.keys(a.model.params)) {
    const bytes = (t: tf.Tensor) => Buffer.from((t.dataSync() as Float32Array).buffer);
    assert.ok(bytes(a.model.params[name]).equals(bytes(b.model.params[name])), `${name} differs`);
  }
}

test("checkpoints: evenly spaced, the last step included, fewer when the run is shorter than their number", () => {
  assert.deepEqual(checkpointSteps(200, 10), [20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
  assert.deepEqual(checkpointSteps(20, 10), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  assert.deepEqual(checkpointSteps(25, 10), [3, 5, 8, 10, 13, 15, 18, 20, 23, 25]);
  assert.deepEqual(checkpointSteps(4, 10), [1, 2, 3, 4]);
  assert.deepEqual(checkpointSteps(7, 1), [7]);
  assert.throws(() => checkpointSteps(0, 10), /positive integers/);
  assert.throws(() => checkpointSteps(10, 2.5), /positive integers/);
});

test("a trajectory's cache name depends on the probe only", () => {
  const name = trajectoryScoresName(PROBE);
  assert.match(name, /^trajectory-[0-9a-f]{16}$/);
  assert.equal(trajectoryScoresName({ ...PROBE }), name);
  assert.notEqual(trajectoryScoresName({ ...PROBE, checkpoints: 4 }), name);
  assert.notEqual(trajectoryScoresName({ ...PROBE, baseExamples: 3 }), name);
});

for (const spec of [FULL, LORA]) {
  test(`${spec.method}: watching a run changes nothing, leaks nothing, scores the weights at each checkpoint, and is cached with the run`, async () => {
    const base = await tinyBase();
    const baseline = await probeScores(base.model, base.tokenizer, PROBE);
    const before = tf.memory().numTensors;
    await withCache(async (dir) => {
      // The run as fineTune trains it, in a cache of its own.
      const plainCache = path.join(dir, "plain");
      process.env.FLANLAB_RUN_CACHE = plainCache;
      const plain = await counting((progress) => fineTune(base, spec, progress));
      process.env.FLANLAB_RUN_CACHE = path.join(dir, "watched");

      const first = await counting((progress) => fineTuneWithTrajectory(base, spec, PROBE, { baseline, progress }));
      const run: TrajectoryRun = first.value;
      assert.equal(run.trained, true);
      assert.equal(first.steps, spec.steps);
      assert.deepEqual(run.tuned.result.losses, plain.value.result.losses, "the same losses, step by step");
      sameWeights(run.tuned, plain.value);

      const t = run.trajectory;
      assert.ok(new Set(t.points.map((p) => p.learning)).size > 1, "the checkpoints differ (else the checks below prove little)");
      assert.deepEqual(t.points.map((p) => p.step), checkpointSteps(spec.steps, PROBE.checkpoints));
      assert.deepEqual([t.name, t.seed, t.steps], [spec.name, spec.seed, spec.steps]);
      assert.deepEqual(t.start, trajectoryPoint(0, baseline, baseline, PROBE));
      assert.deepEqual(t.start.forgetting, { generated: 0, teacherForced: 0, rank: 0 });
      assert.ok(t.evalSeconds > 0 && run.evalSeconds === t.evalSeconds);
      // The last checkpoint is the trained model; a middle one is a run trained for that many steps (constant rate, same data order).
      assert.deepEqual(t.points[t.points.length - 1], trajectoryPoint(spec.steps, baseline, await probeScores(run.tuned.model, base.tokenizer, PROBE), PROBE));
      const middle = t.points[0];
      process.env.FLANLAB_RUN_CACHE = plainCache;
      const short = await counting(() => fineTune(base, { ...spec, steps: middle.step }));
      assert.deepEqual(middle, trajectoryPoint(middle.step, baseline, await probeScores(short.value.model, base.tokenizer, PROBE), PROBE));
      disposeModel(short.value.model);
      process.env.FLANLAB_RUN_CACHE = path.join(dir, "watched");

      // Again: loaded with the run, nothing trains.
      const again = await counting((progress) => fineTuneWithTrajectory(base, { ...spec, name: "again" }, PROBE, { baseline, progress }));
      assert.equal(again.value.trained, false);
      assert.equal(again.steps, 0, "the second call trained");
      assert.equal(again.value.evalSeconds, 0);
      assert.deepEqual(again.value.trajectory, { ...t, name: "again" });
      sameWeights(again.value.tuned, run.tuned);
      assert.ok(fs.existsSync(path.join(run.tuned.cacheEntry!, "scores", `${trajectoryScoresName(PROBE)}.json`)));

      // A run cached without a trajectory (fineTune): trained again outside the cache, its entry kept, the trajectory added.
      process.env.FLANLAB_RUN_CACHE = plainCache;
      const metaFile = path.join(plain.value.cacheEntry!, "meta.json");
      const created = fs.readFileSync(metaFile, "utf8");
      const added = await counting((progress) => fineTuneWithTrajectory(base, spec, PROBE, { baseline, progress }));
      assert.equal(added.value.trained, true);
      assert.equal(added.steps, spec.steps);
      assert.equal(fs.readFileSync(metaFile, "utf8"), created, "the entry was not rewritten");
      assert.equal(added.value.tuned.cacheEntry, plain.value.cacheEntry);
      assert.deepEqual(added.value.trajectory.points, t.points);
      sameWeights(added.value.tuned, plain.value);
      const third = await counting((progress) => fineTuneWithTrajectory(base, spec, PROBE, { baseline, progress }));
      assert.equal(third.steps, 0);
      assert.deepEqual(third.value.trajectory.points, t.points);

      [plain.value, run.tuned, again.value.tuned, added.value.tuned, third.value.tuned].forEach((f) => disposeModel(f.model));
    });
    assert.equal(tf.memory().numTensors, before, "every tensor was freed with the models");
    disposeModel(base.model);
  });
}

test("without a baseline the base is scored on the probe; no tensors leak", async () => {
  const base = await tinyBase(2);
  await withCache(async () => {
    const spec = { ...FULL, steps: 2 };
    await counting(() => fineTune(base, { ...spec, seed: 7 }).then((f) => disposeModel(f.model))); // warm up tfjs's kernels
    const before = tf.memory().numTensors;
    const run = await counting(() => fineTuneWithTrajectory(base, spec, PROBE));
    disposeModel(run.value.tuned.model);
    assert.equal(tf.memory().numTensors, before);
    const baseline = await probeScores(base.model, base.tokenizer, PROBE);
    assert.equal(run.value.trajectory.start.learning, baseline.chat_summary.primary);
  });
  disposeModel(base.model);
});

function hand(name: string, seed: number, learning: number[], generated: number[], rank: (number | null)[] = learning.map(() => null)): Trajectory {
  const point = (i: number) => ({ step: 10 * i, learning: learning[i], forgetting: { generated: generated[i], teacherForced: generated[i] / 2, rank: rank[i] } });
  return { name, seed, steps: 10 * (learning.length - 1), probe: PROBE, start: point(0), points: learning.slice(1).map((_, i) => point(i + 1)), evalSeconds: 1 };
}

test("the mean trajectory over seeds: point by point, rank only where every seed has one", () => {
  const line = meanTrajectory("full", [hand("full", 0, [0.1, 0.3, 0.5], [0, 0.2, 0.4], [0, 0.1, null]), hand("full", 1, [0.1, 0.5, 0.7], [0, 0.4, 0.6], [0, 0.3, 0.2])]);
  assert.equal(line.seeds, 2);
  assert.deepEqual(line.points.map((p) => p.step), [0, 10, 20]);
  assert.deepEqual(line.points.map((p) => p.learning.toFixed(2)), ["0.10", "0.40", "0.60"]);
  assert.deepEqual(line.points.map((p) => p.forgetting.generated.toFixed(2)), ["0.00", "0.30", "0.50"]);
  assert.deepEqual(line.points.map((p) => p.forgetting.rank), [0, 0.2, null]);
  assert.throws(() => meanTrajectory("full", [hand("full", 0, [0, 1], [0, 1]), hand("full", 1, [0, 1, 2], [0, 1, 2])]), /different steps/);
  assert.throws(() => meanTrajectory("x", []), /no trajectories/);
});

test("the trajectory figure: one line with markers per run, in training order, named at its last point", () => {
  const lines = [
    { name: "full fine-tuning", points: [{ forgetting: 0, learning: 0.2, label: "step 0" }, { forgetting: 0.3, learning: 0.4, label: "step 10" }, { forgetting: 0.5, learning: 0.6, label: "step 20" }] },
    { name: "LoRA q,v r8", points: [{ forgetting: 0, learning: 0.2, label: "step 0" }, { forgetting: 0.1, learning: 0.3, label: "step 10" }] },
  ];
  const html = learningForgettingLinesHtml(lines, { title: "t", xTitle: "x", yTitle: "y" });
  const spec = JSON.parse(html.match(/var s=(\{.*?\});function/)![1]);
  assert.equal(spec.data.length, 2);
  assert.deepEqual(spec.data.map((d: { mode: string }) => d.mode), ["lines+markers+text", "lines+markers+text"]);
  assert.deepEqual(spec.data[0].x, [0, 0.3, 0.5]);
  assert.deepEqual(spec.data[0].y, [0.2, 0.4, 0.6]);
  assert.deepEqual(spec.data[0].text, ["", "", "full fine-tuning"]);
  assert.deepEqual(spec.data[1].hovertext, ["LoRA q,v r8: step 0", "LoRA q,v r8: step 10"]);
  assert.deepEqual(spec.data[0].marker.size, [5, 8, 11]);
  assert.equal(spec.layout.title.text, "t");
  const svg = staticFigureSvg(spec.data, spec.layout, spec.layout.height);
  assert.match(svg, /trace scatter/);
  assert.match(svg, /full fine-tuning/);
});
