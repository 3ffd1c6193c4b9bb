import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend, nativePackageInstalled, parseBackendChoice, wasmThreadsWanted } from "../src/backend";
import { wasmThreadsRunning } from "../src/wasm-threads";

test("FLANLAB_BACKEND values and aliases", () => {
  assert.equal(parseBackendChoice("wasm"), "wasm");
  assert.equal(parseBackendChoice(" CPU "), "cpu");
  assert.equal(parseBackendChoice("tfjs-node"), "tensorflow");
  assert.equal(parseBackendChoice("tfjs-node-gpu"), "tensorflow-gpu");
});

test("a wrong FLANLAB_BACKEND is a clear error that lists the choices", () => {
  assert.throws(() => parseBackendChoice("webgpu"), /FLANLAB_BACKEND="webgpu" is not a backend flanlab knows\. Choices: .*wasm, cpu/);
});

test("the danfojs-node alias of @tensorflow/tfjs-node does not count as tfjs-node", () => {
  // package.json overrides danfojs-node's @tensorflow/tfjs-node with plain @tensorflow/tfjs (see its "overrides")
  assert.equal(nativePackageInstalled("@tensorflow/tfjs-node"), false);
  assert.equal(nativePackageInstalled("@tensorflow/tfjs-node-gpu"), false);
  assert.equal(nativePackageInstalled("@tensorflow/tfjs"), true);
});

test("asking for an uninstalled native backend says what to install", async () => {
  await assert.rejects(initBackend("tfjs-node"), /needs @tensorflow\/tfjs-node, which is not installed \(npm install @tensorflow\/tfjs-node/);
});

test("the automatic choice is the fastest installed backend; each can be chosen and is described", async () => {
  const fastest = nativePackageInstalled("@tensorflow/tfjs-node-gpu")
    ? "tensorflow-gpu"
    : nativePackageInstalled("@tensorflow/tfjs-node")
      ? "tensorflow"
      : "wasm";
  assert.equal(await initBackend(""), fastest);
  assert.match(describeBackend(), new RegExp(`^flanlab backend: ${fastest} - `));
  assert.equal(await initBackend("wasm"), "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(await initBackend("cpu"), "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.match(describeBackend(), /^flanlab backend: cpu - /);
});

test("describeBackend says how many wasm threads run; a bad FLANLAB_THREADS stops initBackend with an error naming it", async () => {
  assert.equal(await initBackend("wasm"), "wasm");
  const threads = wasmThreadsRunning();
  assert.ok(threads !== undefined && threads >= 1);
  assert.match(describeBackend(), threads === 1 ? /XNNPACK \+ SIMD, one thread\)/ : new RegExp(`XNNPACK \\+ SIMD, ${threads} threads\\)`));
  assert.throws(() => wasmThreadsWanted("0"), /^Error: FLANLAB_THREADS="0" is not a thread count/);
  const before = process.env.FLANLAB_THREADS;
  process.env.FLANLAB_THREADS = "lots";
  try {
    await assert.rejects(initBackend("cpu"), /FLANLAB_THREADS="lots" is not a thread count/);
  } finally {
    if (before === undefined) delete process.env.FLANLAB_THREADS;
    else process.env.FLANLAB_THREADS = before;
  }
});
