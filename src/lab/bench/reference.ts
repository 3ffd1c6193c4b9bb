// The PyTorch reference (bench/reference_t5.py), run in a child process per thread count.
import { spawnSync } from "child_process";
import { PACKAGE_ROOT } from "../paths";
import * as fs from "fs";
import * as path from "path";
import { BenchModel } from "./configs";

export const PYTHON = process.env.FLANLAB_PYTHON ?? "/usr/bin/python3";
export const INSTALL_TORCH = "apt-get install -y python3-torch libopenblas0-pthread   (Debian; then rerun the bench)";

export interface ReferenceStep {
  ms: number;
  sourceLength: number;
  targetLength: number;
  tokens: number;
  loss: number;
  /** Best of the model's 2-D matmuls timed just before this step, GFLOP/s. */
  peakGflops: number;
  peakCpuGflops: number;
  /** CPU time of the process during the step, all threads. */
  cpuMs: number;
}

export interface ReferenceResult {
  torch: string;
  threads: number;
  blasLibraries: string[];
  blasInfo: string | null;
  env: Record<string, string>;
  matmul: { m: number; k: number; n: number; ms: number; gflops: number; cpuGflops: number }[];
  /** A 1024^3 product: wall GFLOP/s and GFLOP per CPU-second (the BLAS's own speed, hardly moved by other load). */
  matmul1024: { ms: number; gflops: number; cpuGflops: number };
  params: number;
  steps: ReferenceStep[];
}

/** The script's path: bench/ beside src/ (or dist/) in a checkout. */
export function referenceScript(): string | undefined {
  for (const candidate of [path.join(PACKAGE_ROOT, "bench", "reference_t5.py"), path.join(process.cwd(), "bench", "reference_t5.py")]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether PyTorch imports; if not, why (for the message that says how to install it). */
export function torchAvailable(): { ok: boolean; why?: string } {
  const probe = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  if (probe.error) return { ok: false, why: `${PYTHON} did not start (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, why: `${PYTHON} cannot import torch` };
  return { ok: true };
}

/** Run the reference with `threads` threads (OpenBLAS's and OpenMP's pools both). */
export function runReference(model: BenchModel, threads: number, matmulShapes: [number, number, number][], seed: number): ReferenceResult {
  const script = referenceScript();
  if (!script) throw new Error("bench/reference_t5.py not found (run the bench from a flanlab checkout).");
  const spec = {
    config: model.config,
    batch: model.batch,
    warmupSteps: model.warmupSteps,
    steps: model.steps,
    threads,
    seed,
    matmulShapes,
  };
  const threadEnv = { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" };
  const result = spawnSync(PYTHON, [script, JSON.stringify(spec)], {
    encoding: "utf8",
    env: { ...process.env, ...threadEnv },
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) {
    throw new Error(`reference_t5.py (${threads} threads) failed with exit code ${result.status}:\n${(result.stderr ?? "").slice(-2000)}`);
  }
  const line = result.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`reference_t5.py printed no RESULT line:\n${result.stdout.slice(-2000)}`);
  return JSON.parse(line.slice("RESULT ".length)) as ReferenceResult;
}
