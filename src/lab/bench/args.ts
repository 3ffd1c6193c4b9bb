// Command-line flags of the benchmark, shared by `flanlab bench` and `npm run bench`.
import { parseArgs } from "util";
import { TFJS_MAX_WASM_THREADS, machineCores } from "../../wasm-threads";
import { BENCH_MODELS } from "./configs";
import { BENCH_USAGE, BenchOptions } from "./run";

/** The wasm thread counts the bench compares by default: 1, 2, ... up to the cores (tfjs runs at most 8). */
export function defaultWasmThreads(cores = machineCores()): number[] {
  return Array.from({ length: Math.max(1, Math.min(cores, TFJS_MAX_WASM_THREADS)) }, (_, i) => i + 1);
}

/** The bench's options from its command line (`--help` prints BENCH_USAGE and exits). */
export function parseBenchArgs(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      models: { type: "string" },
      steps: { type: "string" },
      "no-reference": { type: "boolean" },
      threads: { type: "string" },
      "wasm-threads": { type: "string" },
      "no-generation": { type: "boolean" },
      parallel: { type: "string" },
      "no-parallel": { type: "boolean" },
      "leak-steps": { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(BENCH_USAGE);
    process.exit(0);
  }
  const count = (flag: string, text: string | undefined, fallback: number, min = 0): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`bench: --${flag} must be an integer >= ${min}, got "${text}".`);
    return value;
  };
  // --models none: only the 2-worker measurement and the leak check
  const models = values.models === "none" ? [] : values.models ? values.models.split(",").map((m) => m.trim()).filter(Boolean) : [...BENCH_MODELS];
  for (const m of models) {
    if (!(BENCH_MODELS as readonly string[]).includes(m)) throw new Error(`bench: unknown model "${m}". Choices: ${BENCH_MODELS.join(", ")}.`);
  }
  const list = (flag: string, text: string | undefined, fallback: number[]) => (text ? text.split(",").map((t) => count(flag, t, 1, 1)) : fallback);
  const threads = list("threads", values.threads, [1, 2]);
  return {
    models,
    reference: !values["no-reference"],
    referenceThreads: threads,
    wasmThreads: list("wasm-threads", values["wasm-threads"], defaultWasmThreads()),
    generation: !values["no-generation"],
    parallelModel: values["no-parallel"] ? undefined : (values.parallel ?? "probe"),
    leakSteps: count("leak-steps", values["leak-steps"], 0),
    steps: values.steps === undefined ? undefined : count("steps", values.steps, 1, 1),
    out: values.out,
    seed: count("seed", values.seed, 1),
    log: (line) => console.log(line),
  };
}
