// runInParallel shares the cores out between its worker processes: N workers x T wasm threads <= cores.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { wasmThreadsWanted } from "../src/backend";
import { defaultThreadsPerWorker, runInParallel } from "../src/parallel";
import { TFJS_MAX_WASM_THREADS, machineCores } from "../src/wasm-threads";
import { tempDir } from "./helpers";

/** A job that reports the threads its process was given and runs. */
function threadsJobModule(): string {
  const file = path.join(tempDir("parallel-threads"), "job.js");
  fs.writeFileSync(
    file,
    `exports.run = async (job, context) => {
  await new Promise((resolve) => setTimeout(resolve, job.ms));
  return { variable: process.env.FLANLAB_THREADS, running: context.threads, backend: context.backend };
};
`,
  );
  return file;
}

type Report = { variable: string; running: number; backend: string };

test("the default threads per worker: the cores shared out, at least 1, at most the parent's FLANLAB_THREADS", () => {
  assert.equal(defaultThreadsPerWorker(1, 2, 2), 2);
  assert.equal(defaultThreadsPerWorker(2, 2, 2), 1);
  assert.equal(defaultThreadsPerWorker(3, 2, 2), 1, "more workers than cores: one thread each, never 0");
  assert.equal(defaultThreadsPerWorker(2, 8, 8), 4);
  assert.equal(defaultThreadsPerWorker(2, 16, 3), 3, "the parent's FLANLAB_THREADS caps it");
  assert.equal(defaultThreadsPerWorker(1, 8, 1), 1, "FLANLAB_THREADS=1 stays single-threaded in the children");
});

test("workers x threads <= cores: two workers share the cores, one worker gets them all (FLANLAB_THREADS=auto here)", async (t) => {
  const job = threadsJobModule();
  const cores = machineCores();
  const before = process.env.FLANLAB_THREADS;
  process.env.FLANLAB_THREADS = "auto";
  t.after(() => (before === undefined ? delete process.env.FLANLAB_THREADS : (process.env.FLANLAB_THREADS = before)));
  assert.equal(wasmThreadsWanted(), cores);
  const two = await runInParallel<{ ms: number }, Report>(job, [{ ms: 1 }, { ms: 1 }], { workers: 2, backend: "wasm" });
  const perWorker = Math.max(1, Math.floor(cores / 2));
  for (const r of two) {
    assert.equal(r.backend, "wasm");
    assert.equal(r.variable, String(perWorker));
    assert.equal(r.running, Math.min(perWorker, TFJS_MAX_WASM_THREADS));
  }
  if (cores >= 2) assert.ok(2 * two[0].running <= cores);
  const [one] = await runInParallel<{ ms: number }, Report>(job, [{ ms: 1 }], { workers: 1, backend: "wasm" });
  assert.equal(one.variable, String(cores));
  assert.equal(one.running, Math.min(cores, TFJS_MAX_WASM_THREADS));
});

test("threadsPerWorker and FLANLAB_THREADS in env override the default", async () => {
  const job = threadsJobModule();
  const [given] = await runInParallel<{ ms: number }, Report>(job, [{ ms: 1 }], { workers: 1, backend: "wasm", threadsPerWorker: 1 });
  assert.deepEqual([given.variable, given.running], ["1", 1]);
  const [fromEnv] = await runInParallel<{ ms: number }, Report>(job, [{ ms: 1 }], { workers: 1, backend: "wasm", env: { FLANLAB_THREADS: "1" } });
  assert.deepEqual([fromEnv.variable, fromEnv.running], ["1", 1]);
  const [cpu] = await runInParallel<{ ms: number }, Report>(job, [{ ms: 1 }], { workers: 1, backend: "cpu" });
  assert.equal(cpu.running, undefined, "no wasm threads on another backend");
});
