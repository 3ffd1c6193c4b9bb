// Multi-threaded tfjs-wasm (src/wasm-threads.ts): each backend configuration runs in its own child process
// (test/fixtures/wasm-threads-job.ts), because tfjs starts a backend once per process.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { DEFAULT_WASM_THREADS, TFJS_MAX_WASM_THREADS, machineCores, parseThreadCount } from "../src/wasm-threads";
import type { ThreadsJobResult } from "./fixtures/wasm-threads-job";
import { tempDir } from "./helpers";

const JOB = path.join(__dirname, "fixtures", "wasm-threads-job.ts");

interface JobRun {
  status: number | null;
  stderr: string;
  result?: ThreadsJobResult;
}

/** The job in a fresh process on wasm, with this environment on top of ours. */
function runJob(env: Record<string, string | undefined>): JobRun {
  const child = spawnSync(process.execPath, ["--import", pathToFileURL(require.resolve("tsx")).href, JOB], {
    env: { ...process.env, FLANLAB_BACKEND: "wasm", FLANLAB_THREADS: undefined, ...env },
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 64 * 2 ** 20,
  });
  const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  return { status: child.status, stderr: child.stderr, result: line ? (JSON.parse(line.slice("RESULT ".length)) as ThreadsJobResult) : undefined };
}

function resultOf(run: JobRun): ThreadsJobResult {
  assert.equal(run.status, 0, `the job failed:\n${run.stderr}`);
  assert.ok(run.result, "the job printed no RESULT line");
  return run.result;
}

/**
 * The largest difference between two runs, relative to the largest magnitude. Tolerance 1e-5: float32 carries ~7
 * digits (epsilon 1.2e-7), and a sum of a few hundred products accumulated in another order may differ by ~100
 * ulps. (Measured: 0, bit for bit, because XNNPACK gives each thread whole output tiles, each summed in the same order.)
 */
function relativeDifference(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  const scale = Math.max(...a.map(Math.abs), 1e-30);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]))) / scale;
}

const TOLERANCE = 1e-5;

function assertSameResults(threaded: ThreadsJobResult, single: ThreadsJobResult): void {
  for (const key of ["matmul", "logits", "losses"] as const) {
    const difference = relativeDifference(threaded[key], single[key]);
    assert.ok(difference <= TOLERANCE, `${key}: relative difference ${difference} > ${TOLERANCE}`);
  }
}

/** A TMPDIR where the shim's script folder cannot be made (a file sits at its name): threads impossible. */
function blockedTempDir(): string {
  const dir = tempDir("wasm-threads-blocked");
  fs.writeFileSync(path.join(dir, "flanlab-wasm-threads"), "not a folder");
  return dir;
}

describe("FLANLAB_THREADS", () => {
  test('"auto" means every core, unset or empty the default; whole numbers >= 1 are taken as they are', () => {
    assert.equal(parseThreadCount("auto", 8), 8);
    assert.equal(parseThreadCount(" AUTO ", 8), 8);
    assert.equal(parseThreadCount("auto"), machineCores());
    assert.equal(parseThreadCount(undefined, 8, 1), 1);
    assert.equal(parseThreadCount(" ", 8, "auto"), 8);
    assert.equal(parseThreadCount(undefined, 8), DEFAULT_WASM_THREADS === "auto" ? 8 : DEFAULT_WASM_THREADS);
    assert.equal(parseThreadCount("1", 8), 1);
    assert.equal(parseThreadCount(" 3 ", 8), 3);
  });

  test("a bad value is an error naming the variable", () => {
    for (const bad of ["0", "-2", "1.5", "two", "2x"]) {
      assert.throws(() => parseThreadCount(bad, 2), new RegExp(`^Error: FLANLAB_THREADS="${bad.replace(".", "\\.")}" is not a thread count`));
    }
  });
});

describe("multi-threaded wasm (each configuration in its own process)", () => {
  let singleRun: JobRun | undefined;
  /** The single-threaded reference, run once. */
  const single = () => (singleRun ??= runJob({ FLANLAB_THREADS: "1" }));

  test("FLANLAB_THREADS=1 runs the single-threaded build, says so, and prints nothing on stderr", () => {
    const result = resultOf(single());
    assert.equal(result.threads, 1);
    assert.match(result.description, /^flanlab backend: wasm - .*XNNPACK \+ SIMD, one thread\)/);
    assert.equal(single().stderr.trim(), "");
  });

  test("FLANLAB_THREADS=2 starts the threaded build with 2 threads; matmul, forward pass and training steps equal the single-threaded ones", () => {
    const run = runJob({ FLANLAB_THREADS: "2" });
    const result = resultOf(run);
    assert.equal(result.threads, 2);
    assert.match(result.description, /XNNPACK \+ SIMD, 2 threads\)/);
    assert.equal(run.stderr.trim(), "", "no warning when threads start");
    assertSameResults(result, resultOf(single()));
  });

  test(`FLANLAB_THREADS=auto runs on the machine's cores (tfjs caps its pool at ${TFJS_MAX_WASM_THREADS}); unset, on DEFAULT_WASM_THREADS`, () => {
    const everyCore = Math.min(machineCores(), TFJS_MAX_WASM_THREADS);
    assert.equal(resultOf(runJob({ FLANLAB_THREADS: "auto" })).threads, everyCore);
    assert.equal(resultOf(runJob({})).threads, DEFAULT_WASM_THREADS === "auto" ? everyCore : DEFAULT_WASM_THREADS);
  });

  test("when threads cannot start, one line on stderr says why and the single-threaded build runs the same math", () => {
    const run = runJob({ FLANLAB_THREADS: "2", TMPDIR: blockedTempDir() });
    const result = resultOf(run);
    assert.equal(result.threads, 1);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /^flanlab: multi-threaded wasm did not start \(.*EEXIST.*\); running the single-threaded build/);
    assertSameResults(result, resultOf(single()));
  });

  test("a bad FLANLAB_THREADS stops the start with an error naming the variable", () => {
    const run = runJob({ FLANLAB_THREADS: "many" });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /FLANLAB_THREADS="many" is not a thread count/);
  });
});
