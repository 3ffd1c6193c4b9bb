// Command-line flags of the benchmark, shared by `flanlab bench` and `npm run bench`.
import { parseArgs } from "util";
import { BENCH_MODELS } from "./configs";
import { BENCH_USAGE, BenchOptions } from "./run";

export function parseBenchArgs(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      models: { type: "string" },
      steps: { type: "string" },
      "no-reference": { type: "boolean" },
      threads: { type: "string" },
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
  const threads = values.threads ? values.threads.split(",").map((t) => count("threads", t, 1, 1)) : [1, 2];
  return {
    models,
    reference: !values["no-reference"],
    referenceThreads: threads,
    generation: !values["no-generation"],
    parallelModel: values["no-parallel"] ? undefined : (values.parallel ?? "probe"),
    leakSteps: count("leak-steps", values["leak-steps"], 0),
    steps: values.steps === undefined ? undefined : count("steps", values.steps, 1, 1),
    out: values.out,
    seed: count("seed", values.seed, 1),
    log: (line) => console.log(line),
  };
}
