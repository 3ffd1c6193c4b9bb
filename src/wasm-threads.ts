// Multi-threaded tfjs-wasm in Node: a run-time workaround of tfjs-backend-wasm 4.22, written by hand because no
// library does it (tfjs's own Node support for threads is an open issue, tensorflow/tfjs#3830).
//
// The package ships tfjs-backend-wasm-threaded-simd.wasm, an Emscripten pthreads build whose JavaScript supports
// Node (worker_threads). Four things stand between it and Node, each worked around while tf.setBackend("wasm")
// runs, and undone when it returns:
// 1. tfjs's flag WASM_HAS_MULTITHREAD_SUPPORT is false whenever IS_NODE: we set it to true.
// 2. tfjs hands `new Worker` a blob: URL of the pthread worker script; Node's Worker wants a file. We record the
//    Blobs tfjs makes (globalThis.Blob) and answer URL.createObjectURL for that script with a real file.
// 3. Each pthread worker loads the module factory from another Blob (fs.readFileSync of a blob: URL fails), and that
//    factory's source, cut out of the main bundle by toString(), names the bundle's own variables require$$0..N
//    (fs, path, perf_hooks, os) and commonjsGlobal. We write it to a file that defines them first, and the worker
//    file ends by pointing the worker's importScripts at it.
// 4. tfjs sizes its thread pool as min(asked, 8, logical cores / 2), the core count from os.cpus() (it assumes two
//    hyper-threads per core), so a 2-core machine gets 1 thread whatever is asked. os.cpus() reports 2 x the asked
//    count during start-up.
// The files go to <tmpdir>/flanlab-wasm-threads/, named by a hash of their content (shared by processes, never
// stale). Anything unexpected throws before a worker starts, and the caller falls back to the single-threaded build.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
// the module object itself, not an import-star copy: Emscripten reads cpus() through it, so that is what we patch
import os = require("os");

/** tfjs-wasm's cap on its thread pool (init_with_threads_count in 4.22; measured: 12 asked, 8 run). */
export const TFJS_MAX_WASM_THREADS = 8;

/** How long the threaded build may take to start (its 8 pthread workers each load the module) before we give up. */
const START_TIMEOUT_MS = 60_000;

/** This machine's logical cores, as Node counts them for scheduling. */
export function machineCores(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

/**
 * FLANLAB_THREADS when unset: "auto" (the machine's cores) or a count. 1: threads are opt-in, because on the shared
 * 2-core machine they measured slower than one thread, for training and far more for generation (bench/NOTES.md).
 */
export const DEFAULT_WASM_THREADS: number | "auto" = 1;

/** FLANLAB_THREADS as a thread count: "auto" = every core, 1 = the single-threaded build, unset = DEFAULT_WASM_THREADS. */
export function parseThreadCount(value: string | undefined, cores = machineCores(), fallback: number | "auto" = DEFAULT_WASM_THREADS): number {
  const text = value?.trim().toLowerCase() || String(fallback);
  if (text === "auto") return cores;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`FLANLAB_THREADS="${value}" is not a thread count: use a whole number >= 1 (1 = single-threaded wasm) or "auto" (this machine's ${cores} cores).`);
  }
  return threads;
}

type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");

function wasmPackage(): WasmPackage {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require("@tensorflow/tfjs-backend-wasm") as WasmPackage;
}

/** The threads tfjs-wasm runs on (1 for the single-threaded build), or undefined before the wasm backend started. */
export function wasmThreadsRunning(): number | undefined {
  try {
    return wasmPackage().getThreadsCount();
  } catch {
    return undefined;
  }
}

/** Undoes one run-time patch. */
type Undo = () => void;

/** tfjs's flag for threads, which it evaluates to false in Node (tfjs only reads it when the backend starts). */
const THREADS_FLAG = "WASM_HAS_MULTITHREAD_SUPPORT";

function allowThreadsInNode(): Undo {
  tf.env().set(THREADS_FLAG, true);
  return () => tf.env().set(THREADS_FLAG, false);
}

/** Replace `owner[key]` until the returned function is called. */
function patch<T extends object, K extends keyof T>(owner: T, key: K, value: T[K]): Undo {
  const original = owner[key];
  owner[key] = value;
  return () => {
    owner[key] = original;
  };
}

/** The source text of every Blob made while patched, for the Blobs tfjs builds from strings. */
function recordBlobTexts(texts: Map<Blob, { text: string; type: string }>): Undo {
  const NodeBlob = globalThis.Blob;
  class RecordingBlob extends NodeBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const [parts, options] = args;
      if (parts?.every((part) => typeof part === "string")) texts.set(this, { text: parts.join(""), type: options?.type ?? "" });
    }
  }
  return patch(globalThis, "Blob", RecordingBlob as typeof Blob);
}

/** os.cpus() with at least `count` entries (tfjs derives its pool size from the length alone). */
function reportCores(count: number): Undo {
  const real = os.cpus;
  return patch(os, "cpus", () => {
    const cpus = real();
    return cpus.length >= count ? cpus : Array.from({ length: count }, (_, i) => cpus[i % cpus.length]);
  });
}

/** Write `text` to a file named by its hash in the shared folder (atomically: written aside, then renamed). */
function writeScript(stem: string, text: string): string {
  const folder = path.join(os.tmpdir(), "flanlab-wasm-threads");
  const file = path.join(folder, `${stem}-${crypto.createHash("sha256").update(text).digest("hex").slice(0, 16)}.js`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(folder, { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(aside, text);
  fs.renameSync(aside, file);
  return file;
}

/** The bundle's module variables (`var require$$0 = require('fs');` ...), read from the bundle that made the factory. */
function bundleRequires(): Map<string, string> {
  const bundle = fs.readFileSync(require.resolve("@tensorflow/tfjs-backend-wasm"), "utf8");
  return new Map([...bundle.matchAll(/^var (require\$\$\d+) = require\('([^']+)'\);$/gm)].map((m) => [m[1], m[2]]));
}

/** The module factory as a file a pthread worker can evaluate: the bundle variables it names, defined first. */
function factoryScript(factorySource: string): string {
  const known = bundleRequires();
  const named = [...new Set(factorySource.match(/\brequire\$\$\d+\b/g) ?? [])];
  const missing = named.filter((name) => !known.has(name));
  if (missing.length > 0) throw new Error(`the threaded module names ${missing.join(", ")}, which its bundle does not define`);
  const prelude = named.map((name) => `var ${name} = require(${JSON.stringify(known.get(name))});`).join("\n");
  return writeScript("factory", `${prelude}\nvar commonjsGlobal = globalThis;\n${factorySource}\n`);
}

/** tfjs's pthread worker script as a file; its last line sends the worker's importScripts of a blob: to the factory file. */
function workerScript(workerSource: string, factoryFile: string): string {
  const redirect = `{ const load = importScripts; self.importScripts = (url) => load(String(url).startsWith("blob:") ? ${JSON.stringify(factoryFile)} : url); }`;
  return writeScript("worker", `${workerSource}\n// flanlab (src/wasm-threads.ts): the factory comes as a Blob Node cannot import; load its file instead\n${redirect}\n`);
}

/**
 * URL.createObjectURL that answers tfjs's pthread worker Blob with a file path. The factory Blob is the one tfjs made
 * as "text/javascript" just before (it goes to the workers in a message, never through createObjectURL).
 */
function serveWorkerFromFile(texts: Map<Blob, { text: string; type: string }>): Undo {
  const original = URL.createObjectURL;
  return patch(URL, "createObjectURL", (blob: Blob) => {
    const worker = texts.get(blob);
    if (!worker) return original(blob);
    const factory = [...texts.values()].find((t) => t.type === "text/javascript" && t !== worker);
    if (!factory) throw new Error("tfjs-wasm asked for its pthread worker without making the module factory first");
    return workerScript(worker.text, factoryScript(factory.text));
  });
}

/** console.warn held back while tfjs starts the backend (its failure message is two lines and a stack); returns them. */
function holdWarnings(held: unknown[][]): Undo {
  return patch(console, "warn", (...args: unknown[]) => void held.push(args));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Why tfjs failed to start the backend, in one line, from the warnings it printed. */
function failureReason(held: unknown[][]): string {
  const stack = held.map((args) => args.map(String).join(" ")).find((line) => !/^Initialization of backend wasm failed/.test(line));
  return stack?.split("\n")[0].replace(/^Error: /, "") ?? "tfjs could not start the wasm backend";
}

/** The parts of the Emscripten module (tfjs's backend.wasm) that hold the pthread workers. */
interface PthreadModule {
  PThread?: { runningWorkers: { unref(): void }[] };
}

/**
 * Emscripten refs the worker of every running pthread, and tfjs's thread pool runs until the process ends: unref
 * them, or Node would never exit on its own. (Node stops unref'd workers at exit.)
 */
function letProcessExit(): void {
  const module = (tf.backend() as unknown as { wasm?: PthreadModule }).wasm;
  module?.PThread?.runningWorkers.forEach((worker) => worker.unref());
}

/**
 * Start tfjs's wasm backend on its multi-threaded SIMD build with `threads` threads (capped by tfjs at
 * TFJS_MAX_WASM_THREADS). Call after setWasmPaths and before any other start of the wasm backend. Resolves with
 * the threads running; rejects with the reason when the threaded build cannot start (then startSingleThreadedWasm).
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  const wasm = wasmPackage();
  wasm.setThreadsCount(threads);
  const texts = new Map<Blob, { text: string; type: string }>();
  const warnings: unknown[][] = [];
  const undo = [allowThreadsInNode(), recordBlobTexts(texts), serveWorkerFromFile(texts), reportCores(2 * threads), holdWarnings(warnings)];
  let started = false;
  try {
    started = await withTimeout(tf.setBackend("wasm"), START_TIMEOUT_MS, "the threaded wasm start");
  } finally {
    undo.reverse().forEach((restore) => restore());
  }
  if (!started) throw new Error(failureReason(warnings));
  warnings.forEach((args) => console.warn(...args));
  letProcessExit();
  return wasm.getThreadsCount();
}

/** Start tfjs's wasm backend on its single-threaded SIMD build (what tfjs does in Node by itself). */
export async function startSingleThreadedWasm(): Promise<void> {
  tf.env().set(THREADS_FLAG, false);
  if (!(await tf.setBackend("wasm"))) throw new Error(`The tfjs "wasm" backend failed to start.`);
}
