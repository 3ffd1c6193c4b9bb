// Choose the TensorFlow.js backend once, in one place.
// Order of preference: tfjs-node-gpu (CUDA), tfjs-node (native TensorFlow), wasm (XNNPACK, SIMD), cpu (pure JS).
// FLANLAB_BACKEND overrides the choice; FLANLAB_THREADS sets wasm's threads (src/wasm-threads.ts).
import * as tf from "@tensorflow/tfjs";
import * as path from "path";
import { parseThreadCount, startSingleThreadedWasm, startThreadedWasm, wasmThreadsRunning } from "./wasm-threads";

/** The tfjs backends flanlab can run on, fastest first (FLANLAB_BACKEND picks one). */
export const BACKEND_CHOICES = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
/** One of BACKEND_CHOICES. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Friendly aliases accepted in FLANLAB_BACKEND. */
const ALIASES: Record<string, BackendChoice> = {
  "tensorflow-gpu": "tensorflow-gpu",
  "tfjs-node-gpu": "tensorflow-gpu",
  gpu: "tensorflow-gpu",
  tensorflow: "tensorflow",
  "tfjs-node": "tensorflow",
  node: "tensorflow",
  wasm: "wasm",
  cpu: "cpu",
};

/** The npm package that provides each backend (cpu and wasm ship with flanlab). */
const NATIVE_PACKAGE: Partial<Record<BackendChoice, string>> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

/** FLANLAB_BACKEND's value as a backend choice; an unknown value is an error that lists the choices. */
export function parseBackendChoice(value: string): BackendChoice {
  const choice = ALIASES[value.trim().toLowerCase()];
  if (!choice) {
    throw new Error(
      `FLANLAB_BACKEND="${value}" is not a backend flanlab knows. Choices: ${Object.keys(ALIASES).join(", ")} ` +
        `(tfjs-node-gpu and tfjs-node need their npm package installed).`,
    );
  }
  return choice;
}

/**
 * Whether a native package is really installed. The name check matters: danfojs-node's dependency on
 * @tensorflow/tfjs-node is overridden to plain @tensorflow/tfjs (package.json "overrides"), which npm may hoist
 * under the tfjs-node name.
 */
export function nativePackageInstalled(pkg: string): boolean {
  try {
    const manifest = require(`${pkg}/package.json`) as { name?: string };
    return manifest.name === pkg;
  } catch {
    return false;
  }
}

/** The folder of tfjs-backend-wasm's .wasm binaries (with a trailing separator, as setWasmPaths wants it). */
export function wasmBinariesFolder(): string {
  return path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
}

async function activate(choice: BackendChoice): Promise<void> {
  const pkg = NATIVE_PACKAGE[choice];
  if (pkg) {
    if (!nativePackageInstalled(pkg)) {
      throw new Error(`Backend "${choice}" needs ${pkg}, which is not installed (npm install ${pkg}; see README).`);
    }
    require(pkg); // registers the "tensorflow" backend with the shared tfjs-core
    if (!(await tf.setBackend("tensorflow"))) throw new Error(`${pkg} is installed but its backend failed to start.`);
    return;
  }
  if (choice === "wasm") return startWasm(wasmThreadsWanted());
  if (!(await tf.setBackend(choice))) throw new Error(`The tfjs "${choice}" backend failed to start.`);
}

/** FLANLAB_THREADS: wasm's threads ("auto" = the machine's cores, 1 = the single-threaded build; unset: DEFAULT_WASM_THREADS). */
export function wasmThreadsWanted(value: string | undefined = process.env.FLANLAB_THREADS): number {
  return parseThreadCount(value);
}

let wasmPathsSet = false;

/**
 * The wasm backend, multi-threaded when `threads` > 1 and the threaded build starts; else (one line on stderr says
 * why) the single-threaded SIMD build. Once started, tfjs keeps the instance: a later start only switches back to it.
 */
async function startWasm(threads: number): Promise<void> {
  if (!wasmPathsSet) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    (require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm")).setWasmPaths(wasmBinariesFolder());
    wasmPathsSet = true;
  }
  if (tf.findBackend("wasm")) {
    if (!(await tf.setBackend("wasm"))) throw new Error(`The tfjs "wasm" backend failed to start.`);
    return;
  }
  if (threads > 1) {
    try {
      await startThreadedWasm(threads);
      return;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      console.error(`flanlab: multi-threaded wasm did not start (${why}); running the single-threaded build (FLANLAB_THREADS=1 skips the attempt).`);
    }
  }
  await startSingleThreadedWasm();
}

function automaticOrder(): BackendChoice[] {
  return BACKEND_CHOICES.filter((choice) => {
    const pkg = NATIVE_PACKAGE[choice];
    return !pkg || nativePackageInstalled(pkg);
  });
}

let chosen: BackendChoice | undefined;

/**
 * Start the backend: FLANLAB_BACKEND (or `requested`) if set, else the fastest installed one.
 * Safe to call many times; returns the choice.
 */
export async function initBackend(requested: string | undefined = process.env.FLANLAB_BACKEND): Promise<BackendChoice> {
  const wanted = requested && requested.trim() !== "" ? parseBackendChoice(requested) : undefined;
  wasmThreadsWanted(); // a bad FLANLAB_THREADS is an error even when the automatic order would skip past wasm
  if (chosen && (!wanted || wanted === chosen)) return chosen;
  const candidates = wanted ? [wanted] : automaticOrder();
  let lastError: unknown;
  for (const choice of candidates) {
    try {
      await activate(choice);
      await tf.ready();
      chosen = choice;
      return choice;
    } catch (error) {
      lastError = error;
      if (wanted) throw error;
    }
  }
  throw new Error(`No tfjs backend could start: ${String(lastError)}`);
}

function threadsInWords(threads: number): string {
  return threads === 1 ? "one thread" : `${threads} threads`;
}

/** One line that says what runs the math, e.g. for the top of a notebook or CLI run. */
export function describeBackend(): string {
  const name = tf.getBackend();
  const choice = chosen ?? name;
  const detail: Record<string, string> = {
    "tensorflow-gpu": "@tensorflow/tfjs-node-gpu (CUDA)",
    tensorflow: "@tensorflow/tfjs-node (native TensorFlow, all cores)",
    wasm: `@tensorflow/tfjs-backend-wasm (XNNPACK + SIMD, ${threadsInWords(wasmThreadsRunning() ?? 1)})`,
    cpu: "@tensorflow/tfjs pure-JavaScript cpu kernels (slow reference)",
  };
  return `flanlab backend: ${choice} - ${detail[choice] ?? name}, tfjs ${tf.version_core}`;
}
