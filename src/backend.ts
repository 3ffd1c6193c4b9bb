// Choose the TensorFlow.js backend once, in one place.
// Order of preference: tfjs-node-gpu (CUDA), tfjs-node (native TensorFlow), wasm (XNNPACK, SIMD), cpu (pure JS).
// FLANLAB_BACKEND overrides the choice.
import * as tf from "@tensorflow/tfjs";
import * as path from "path";

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
  if (choice === "wasm") {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(wasmBinariesFolder());
  }
  if (!(await tf.setBackend(choice))) throw new Error(`The tfjs "${choice}" backend failed to start.`);
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

/** One line that says what runs the math, e.g. for the top of a notebook or CLI run. */
export function describeBackend(): string {
  const name = tf.getBackend();
  const choice = chosen ?? name;
  const detail: Record<string, string> = {
    "tensorflow-gpu": "@tensorflow/tfjs-node-gpu (CUDA)",
    tensorflow: "@tensorflow/tfjs-node (native TensorFlow, all cores)",
    wasm: "@tensorflow/tfjs-backend-wasm (XNNPACK + SIMD, one core)",
    cpu: "@tensorflow/tfjs pure-JavaScript cpu kernels (slow reference)",
  };
  return `flanlab backend: ${choice} - ${detail[choice] ?? name}, tfjs ${tf.version_core}`;
}
