import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { JobError, runInParallel } from "../src/parallel";
import type { TrainJob, TrainMeasurement } from "../src/lab/bench/measure";
import { tempDir, tinyConfig } from "./helpers";

/** A job module written to a temporary folder: plain JavaScript that the child requires. */
function jobModule(body: string): string {
  const file = path.join(tempDir("parallel"), "job.js");
  const tfjs = JSON.stringify(require.resolve("@tensorflow/tfjs"));
  fs.writeFileSync(file, `const tf = require(${tfjs});\n${body}\n`);
  return file;
}

const SLEEPY = jobModule(`
exports.run = async (job, context) => {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, job.ms));
  if (job.fail) throw new Error("failing on purpose: " + job.name);
  if (job.exit) process.exit(3);
  const x = tf.tensor1d([1, 2, 3]);
  const sum = tf.sum(x).dataSync()[0];
  x.dispose();
  return { name: job.name, pid: process.pid, backend: tf.getBackend(), context, started, ended: Date.now(), sum, data: new Float32Array([job.ms]) };
};
exports.other = (job) => job.name + "!";
`);

describe("runInParallel", () => {
  test("results come back in job order, two processes at a time, each with its own backend", async () => {
    const jobs = [
      { name: "a", ms: 400 },
      { name: "b", ms: 400 },
      { name: "c", ms: 10 },
    ];
    const results = await runInParallel<typeof jobs[number], Record<string, unknown>>(SLEEPY, jobs, { workers: 2, backend: "wasm" });
    assert.deepEqual(results.map((r) => r.name), ["a", "b", "c"]);
    assert.ok(results.every((r) => r.backend === "wasm" && r.sum === 6));
    assert.deepEqual(results.map((r) => (r.context as { index: number }).index), [0, 1, 2]);
    assert.ok(results[2].data instanceof Float32Array, "typed arrays survive the process boundary");
    const [a, b] = results as { pid: number; started: number; ended: number }[];
    assert.notEqual(a.pid, b.pid);
    assert.notEqual(a.pid, process.pid);
    assert.ok(a.started < b.ended && b.started < a.ended, "the first two jobs ran at the same time");
  });

  test("one worker runs jobs one after another; another exported function and the cpu backend", async () => {
    const results = await runInParallel<{ name: string }, string>(SLEEPY, [{ name: "x" }, { name: "y" }], { workers: 1, exportName: "other", backend: "cpu" });
    assert.deepEqual(results, ["x!", "y!"]);
    const shared = await runInParallel<{ name: string; ms: number }, { pid: number; backend: string }>(
      SLEEPY,
      [{ name: "p", ms: 1 }, { name: "q", ms: 1 }],
      { workers: 1, freshProcess: false, backend: "cpu" },
    );
    assert.equal(shared[0].pid, shared[1].pid, "freshProcess: false reuses the worker");
    assert.equal(shared[0].backend, "cpu");
  });

  test("a failing job is named in the error", async () => {
    await assert.rejects(
      runInParallel(SLEEPY, [{ name: "fine", ms: 1 }, { name: "broken", ms: 1, fail: true }], { workers: 2 }),
      (error: unknown) => {
        assert.ok(error instanceof JobError);
        assert.equal(error.index, 1);
        assert.match(error.message, /job 1 \(broken\) failed: failing on purpose: broken/);
        return true;
      },
    );
  });

  test("a worker that dies is reported with its job; a missing export names the module's exports", async () => {
    await assert.rejects(runInParallel(SLEEPY, [{ name: "dies", ms: 1, exit: true }]), /job 0 \(dies\) failed: its worker process ended \(exit code 3\)/);
    await assert.rejects(runInParallel(SLEEPY, [{ name: "n" }], { exportName: "nothing" }), /exports no function "nothing" \(exports: run, other\)/);
    await assert.rejects(runInParallel(SLEEPY, [{}], { workers: 0 }), /workers must be a positive integer/);
    assert.deepEqual(await runInParallel(SLEEPY, []), []);
  });

  test("training jobs (a TypeScript job module) run in two workers and report flat tensor counts", async () => {
    const job: TrainJob = {
      config: tinyConfig(),
      batch: { size: 2, sourceMin: 3, sourceMax: 6, targetMin: 2, targetMax: 4 },
      warmupSteps: 1,
      steps: 3,
      seed: 1,
    };
    const results = await runInParallel<TrainJob, TrainMeasurement>(path.join(__dirname, "..", "src", "lab", "bench", "measure.ts"), [job, { ...job, seed: 2 }], { workers: 2, backend: "wasm" });
    for (const r of results) {
      assert.equal(r.backend, "wasm");
      assert.equal(r.steps.length, 3);
      assert.equal(r.tensorsAtEnd, r.tensorsAfterWarmup);
      assert.ok(r.steps.every((s) => Number.isFinite(s.loss) && s.tokens > 0));
    }
    assert.notEqual(results[0].steps[0].loss, results[1].steps[0].loss, "different seeds, different runs");
  });
});
