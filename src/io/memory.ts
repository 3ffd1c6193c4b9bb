// How much memory a model needs to run, LoRA-tune or fully fine-tune on each backend, and a check that fails with
// that explanation before anything is loaded, instead of a crash halfway through.
//
// flanlab keeps every weight in float32 whatever the checkpoint's dtype (BF16 and F16 are widened when loaded).
// The textbook count per parameter: weights 4 bytes; for each trainable one a 4-byte gradient and the optimizer's
// state (AdamW: 8 bytes; Adafactor without momentum: a row and a column vector per matrix). tfjs adds two things
// that PyTorch does not have: autodiff keeps every intermediate tensor of the forward pass until the backward pass
// is done (activations several times PyTorch's), and the backward pass holds temporaries about the size of the
// weights (transposed weights and weight gradients, the fast path on wasm - ops.ts; with LoRA too, for the frozen
// weights). How much, measured on the wasm and cpu backends over one gradient computation (model code of d1c7e52):
//   1. tf.memory() peaks over 14 small T5 shapes, fitted with nine size terms to within 1.5 % (RAW_ACTIVATIONS,
//      RAW_OVERHEAD); on flan-t5-small's shape the fit predicts the peak within 2 %;
//   2. numBytes counts reshaped views again, so on flan-t5-small's shape what memory really holds was measured too:
//      the WebAssembly heap's growth on wasm, the distinct tensor buffers on cpu (REAL, as shares of the raw figures).
// Estimates are good to about +-15 % on those backends; test/memory.test.ts fails when the model code changes what
// it keeps. The tensorflow backends (tfjs-node, -gpu) use cpu's figures (not measured: no tfjs-node here).
//
// The wasm backend addresses at most 4 GiB: WebAssembly memory has 32-bit addresses (tfjs-backend-wasm's binaries
// declare 65,536 pages of 64 KiB as their maximum). tfjs-node and cpu are limited by the machine's RAM, tfjs-node-gpu
// by the GPU's memory, which flanlab cannot query (set FLANLAB_MEMORY_LIMIT_GB).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { getBackend } from "@tensorflow/tfjs";
import { nativePackageInstalled } from "../backend";
import { T5Config, makeConfig } from "../model/config";
import { LoraConfig, loraShapes, makeLoraConfig } from "../model/lora";
import { publicT5Config } from "../model/public-configs";
import { countParameters, parameterSpecs } from "../model/params";

export const GiB = 1024 ** 3;
/** WebAssembly's 32-bit address space: the most the wasm backend's heap can grow to. */
export const WASM_MAX_BYTES = 4 * GiB;

export type MemoryMode = "inference" | "lora" | "full";
export type MemoryOptimizer = "adamw" | "adafactor";
export type MemoryBackend = "wasm" | "cpu" | "tensorflow" | "tensorflow-gpu";

/** What will run: the mode (inference, LoRA, full), optimizer, batch and sequence lengths. */
export interface MemoryPlan {
  /** Only run it (generate, evaluate), train a LoRA adapter, or train every weight. */
  mode: MemoryMode;
  /** Default adamw. */
  optimizer?: MemoryOptimizer;
  /** The adapter for mode "lora"; default PEFT's (r 8 on q and v). */
  lora?: Partial<LoraConfig>;
  /** Examples per forward pass (per micro-batch with gradient accumulation). Default 8 (training), 32 (inference). */
  batchSize?: number;
  /** Tokens per input and per target (padded lengths). Default 512 and 128. */
  sourceLength?: number;
  targetLength?: number;
  /** > 1 keeps a second set of gradients (the running sum). */
  gradientAccumulation?: number;
}

/** What a plan needs, by part (weights, gradients, optimizer state, activations), on one backend. */
export interface MemoryEstimate {
  backend: MemoryBackend;
  plan: Required<Omit<MemoryPlan, "lora">> & { lora?: LoraConfig };
  /** Parameters of the base model, and those that train (the adapter's for LoRA, all for full fine-tuning). */
  parameters: number;
  trainable: number;
  bytes: {
    /** float32 weights (and the adapter). */
    weights: number;
    gradients: number;
    optimizer: number;
    /** The backward pass's weight-sized temporary copies (measured; 0 for inference). */
    overhead: number;
    /** Intermediate tensors of `batchSize` examples. */
    activations: number;
  };
  /** weights + gradients + optimizer: the textbook figure "before activations". */
  textbook: number;
  /** Everything: the figure the check compares with the backend's limit. */
  total: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Measured figures (see the header)

interface ActivationCoefficients {
  /** Per source token and encoder layer: x d_model, x d_ff, x inner (heads x d_kv); per source token^2, layer, head. */
  sd: number; sf: number; si: number; ss: number;
  /** Per target token and decoder layer: x d_model, x d_ff; (target + source) x inner; (target x (source + target)) x head. */
  td: number; tf: number; ti: number; tt: number;
  /** Per target token x vocabulary (logits, softmax and their gradients). */
  tv: number;
}

/**
 * Floats per example over one gradient computation (full fine-tuning), as tf.memory().numBytes counts them: the
 * fitted "raw" figures. numBytes counts a reshaped view of a buffer again, so it overstates what memory holds.
 */
const RAW_ACTIVATIONS: Record<"wasm" | "other", ActivationCoefficients> = {
  wasm: { sd: 50.8, sf: 9.8, si: 24.5, ss: 13.0, td: 26.9, tf: 30.8, ti: 34.3, tt: 11.1, tv: 4.1 },
  other: { sd: 51.0, sf: 10.2, si: 14.6, ss: 9.1, td: 26.1, tf: 29.2, ti: 30.2, tt: 7.0, tv: 4.1 },
};
/** Raw (numBytes) backward temporaries in float32 copies of all base weights, beyond the gradients; LoRA's raw activations. */
const RAW_OVERHEAD: Record<"wasm" | "other", Record<MemoryMode, number>> = {
  wasm: { full: 1.2, lora: 1.6, inference: 0 },
  other: { full: 1.2, lora: 1.6, inference: 0 },
};
const RAW_LORA_ACTIVATIONS = 1.15;

/**
 * What memory really holds, measured on flan-t5-small's shape (1-2 examples of 64+16 and 256+64 tokens): on wasm the
 * growth of the WebAssembly heap (what meets the 4 GiB), on cpu the bytes of distinct tensor buffers plus 10 % (for
 * garbage not yet collected).
 * Activations as a share of the raw figures (of full fine-tuning's, for every mode); the overhead again in copies of
 * the weights. Inference: greedy generation's heap growth for 8 examples of 256 and 512 tokens, rounded up.
 */
const REAL: Record<"wasm" | "other", { activations: Record<MemoryMode, number>; overhead: Record<MemoryMode, number> }> = {
  wasm: { activations: { full: 0.64, lora: 0.74, inference: 0.2 }, overhead: { full: 1.45, lora: 1.55, inference: 0 } },
  other: { activations: { full: 0.6, lora: 0.66, inference: 0.2 }, overhead: { full: 0.6, lora: 0.85, inference: 0 } },
};

const family = (backend: MemoryBackend): "wasm" | "other" => (backend === "wasm" ? "wasm" : "other");

/** Raw floats of intermediate tensors for one example (full fine-tuning, numBytes basis). */
function rawActivationFloats(config: T5Config, source: number, target: number, backend: MemoryBackend): number {
  const c = RAW_ACTIVATIONS[family(backend)];
  const inner = config.num_heads * config.d_kv;
  const encoder = config.num_layers;
  const decoder = config.num_decoder_layers ?? config.num_layers;
  return (
    source * encoder * (c.sd * config.d_model + c.sf * config.d_ff + c.si * inner) +
    source * source * encoder * config.num_heads * c.ss +
    target * decoder * (c.td * config.d_model + c.tf * config.d_ff) +
    (target + source) * decoder * inner * c.ti +
    target * (source + target) * decoder * config.num_heads * c.tt +
    target * config.vocab_size * c.tv
  );
}

/** Bytes of intermediate tensors memory holds for one example of `source` + `target` tokens. */
export function activationBytesPerExample(config: T5Config, mode: MemoryMode, source: number, target: number, backend: MemoryBackend): number {
  return 4 * rawActivationFloats(config, source, target, backend) * REAL[family(backend)].activations[mode];
}

/**
 * The peak of tf.memory().numBytes over one gradient computation (weights, gradients, temporaries, activations; no
 * optimizer state) that the raw figures predict: what test/memory.test.ts compares with a measurement, so that a
 * change in the model code that changes what it keeps is noticed.
 */
export function predictedTensorBytesPeak(config: T5Config, mode: "full" | "lora", batch: number, source: number, target: number, backend: MemoryBackend): number {
  const e = estimateMemory(config, { mode, batchSize: batch, sourceLength: source, targetLength: target }, backend);
  const raw = 4 * rawActivationFloats(config, source, target, backend) * batch * (mode === "lora" ? RAW_LORA_ACTIVATIONS : 1);
  return e.bytes.weights + e.bytes.gradients + 4 * e.parameters * RAW_OVERHEAD[family(backend)][mode] + raw;
}

/** Floats of optimizer state for parameters of these shapes. */
function optimizerFloats(shapes: number[][], optimizer: MemoryOptimizer): number {
  let total = 0;
  for (const shape of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (optimizer === "adamw") total += 2 * size;
    else total += shape.length >= 2 ? shape[shape.length - 2] + shape[shape.length - 1] : size; // factored second moment
  }
  return total;
}

/** Memory of a plan on a backend (no tensors built). */
export function estimateMemory(config: T5Config, plan: MemoryPlan, backend: MemoryBackend): MemoryEstimate {
  const training = plan.mode !== "inference";
  const full: MemoryEstimate["plan"] = {
    mode: plan.mode,
    optimizer: plan.optimizer ?? "adamw",
    batchSize: plan.batchSize ?? (training ? 8 : 32),
    sourceLength: plan.sourceLength ?? 512,
    targetLength: plan.targetLength ?? 128,
    gradientAccumulation: plan.gradientAccumulation ?? 1,
    ...(plan.mode === "lora" ? { lora: makeLoraConfig(plan.lora ?? {}, "LoRA plan") } : {}),
  };
  const parameters = countParameters(config);
  const trainableShapes =
    plan.mode === "full" ? [...parameterSpecs(config).values()].map((s) => s.shape) : plan.mode === "lora" ? [...loraShapes(config, full.lora!).values()] : [];
  const trainable = trainableShapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
  const adapter = plan.mode === "lora" ? trainable : 0;
  const bytes = {
    weights: 4 * (parameters + adapter),
    gradients: 4 * trainable * (full.gradientAccumulation > 1 ? 2 : 1),
    optimizer: training ? 4 * optimizerFloats(trainableShapes, full.optimizer) : 0,
    overhead: 4 * parameters * REAL[family(backend)].overhead[plan.mode],
    activations: full.batchSize * activationBytesPerExample(config, plan.mode, full.sourceLength, full.targetLength, backend),
  };
  const textbook = bytes.weights + bytes.gradients + bytes.optimizer;
  return { backend, plan: full, parameters, trainable, bytes, textbook, total: textbook + bytes.overhead + bytes.activations };
}

// ---------------------------------------------------------------------------------------------------------------
// Limits

export interface MemoryLimit {
  /** Bytes, or undefined when unknown (tensorflow-gpu without FLANLAB_MEMORY_LIMIT_GB). */
  bytes: number | undefined;
  /** What the limit is, in words. */
  what: string;
}

type Env = Record<string, string | undefined>;

/** What a backend can hold: 4 GiB on wasm, RAM on cpu and tensorflow, FLANLAB_MEMORY_LIMIT_GB when set. */
export function memoryLimit(backend: MemoryBackend, env: Env = process.env, totalMemory = os.totalmem()): MemoryLimit {
  const override = env.FLANLAB_MEMORY_LIMIT_GB;
  if (override !== undefined && override.trim() !== "") {
    const gb = Number(override);
    if (!(gb > 0)) throw new Error(`FLANLAB_MEMORY_LIMIT_GB="${override}" must be a positive number of GB.`);
    const bytes = gb * 1e9;
    return { bytes: backend === "wasm" ? Math.min(bytes, WASM_MAX_BYTES) : bytes, what: `FLANLAB_MEMORY_LIMIT_GB=${override}` };
  }
  const ram = `this machine's ${formatMemorySize(totalMemory)} of RAM`;
  switch (backend) {
    case "wasm":
      return totalMemory < WASM_MAX_BYTES
        ? { bytes: totalMemory, what: ram }
        : { bytes: WASM_MAX_BYTES, what: "the 4 GiB the wasm backend can address (WebAssembly memory has 32-bit addresses)" };
    case "tensorflow-gpu":
      return { bytes: undefined, what: "the GPU's memory (unknown to flanlab: set FLANLAB_MEMORY_LIMIT_GB)" };
    default:
      return { bytes: totalMemory, what: ram };
  }
}

/**
 * The backend running now, by the names above. tfjs calls both native ones "tensorflow": the GPU one is meant when
 * FLANLAB_BACKEND asks for it, or, with FLANLAB_BACKEND unset, when its package is installed (backend.ts tries it first).
 */
export function currentMemoryBackend(tfBackend: string = getBackend(), env: Env = process.env): MemoryBackend {
  if (tfBackend === "wasm" || tfBackend === "cpu") return tfBackend;
  if (tfBackend !== "tensorflow") return "cpu";
  const requested = (env.FLANLAB_BACKEND ?? "").trim();
  if (requested !== "") return /gpu/i.test(requested) ? "tensorflow-gpu" : "tensorflow";
  return nativePackageInstalled("@tensorflow/tfjs-node-gpu") ? "tensorflow-gpu" : "tensorflow";
}

// ---------------------------------------------------------------------------------------------------------------
// The check

/** Thrown when a plan would not fit the backend's memory; carries the estimate and the limit. */
export class MemoryError extends Error {
  constructor(message: string, readonly estimate: MemoryEstimate, readonly limit: MemoryLimit) {
    super(message);
    this.name = "MemoryError";
  }
}

/** Bytes as a short decimal size: "242 MB", "1.9 GB". */
export function formatMemorySize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

const OPTIMIZER_NAMES: Record<MemoryOptimizer, string> = { adamw: "AdamW", adafactor: "Adafactor" };

/** "full fine-tuning with AdamW", "LoRA (r 8 on q, v) with AdamW", "running it". */
export function describePlan(plan: MemoryEstimate["plan"]): string {
  if (plan.mode === "inference") return "running it (generation, evaluation)";
  const what = plan.mode === "full" ? "full fine-tuning" : `LoRA (r ${plan.lora!.r} on ${[plan.lora!.target_modules].flat().join(", ")})`;
  return `${what} with ${OPTIMIZER_NAMES[plan.optimizer]}`;
}

/** One line: the total and its parts. */
export function formatMemoryEstimate(e: MemoryEstimate): string {
  const b = e.bytes;
  const parts = [`weights ${formatMemorySize(b.weights)}`];
  if (b.gradients > 0) parts.push(`gradients ${formatMemorySize(b.gradients)}`);
  if (b.optimizer > 0) parts.push(`${OPTIMIZER_NAMES[e.plan.optimizer]} state ${formatMemorySize(b.optimizer)}`);
  if (b.overhead > 0) parts.push(`backward temporaries ${formatMemorySize(b.overhead)}`);
  parts.push(`activations of ${e.plan.batchSize} example${e.plan.batchSize === 1 ? "" : "s"} of ${e.plan.sourceLength}+${e.plan.targetLength} tokens ${formatMemorySize(b.activations)}`);
  return `about ${formatMemorySize(e.total)} (${parts.join(", ")})`;
}

/** The largest batch (at most 1024) whose estimate fits in `limit`, 0 when not even one example fits. */
export function largestBatch(config: T5Config, plan: MemoryPlan, backend: MemoryBackend, limit: number): number {
  const fits = (b: number) => estimateMemory(config, { ...plan, batchSize: b }, backend).total <= limit;
  if (!fits(1)) return 0;
  let lo = 1;
  let hi = 1024;
  if (fits(hi)) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface CheckOptions {
  backend: MemoryBackend;
  /** The model's name in messages. */
  name?: string;
  env?: Env;
  totalMemory?: number;
}

/**
 * Throw a MemoryError that explains the estimate, the limit and what would fit, when `plan` does not fit the
 * backend; return the estimate otherwise. FLANLAB_SKIP_MEMORY_CHECK=1 turns the error off (the estimates are
 * approximate: about +-15 % on the measured backends).
 */
export function checkMemory(config: T5Config, plan: MemoryPlan, options: CheckOptions): MemoryEstimate {
  const env = options.env ?? process.env;
  const estimate = estimateMemory(config, plan, options.backend);
  const limit = memoryLimit(options.backend, env, options.totalMemory);
  if (limit.bytes === undefined || estimate.total <= limit.bytes || env.FLANLAB_SKIP_MEMORY_CHECK === "1") return estimate;
  const name = options.name ?? config._name_or_path ?? "this model";
  const lines = [
    `${name}: ${describePlan(estimate.plan)} on the ${options.backend} backend needs ${formatMemoryEstimate(estimate)}: ` +
      `more than ${limit.what}.`,
  ];
  lines.push(...alternatives(config, estimate, limit.bytes, options.backend));
  lines.push("  The figures are estimates (about +-15 %); FLANLAB_SKIP_MEMORY_CHECK=1 tries anyway, FLANLAB_MEMORY_LIMIT_GB sets the limit.");
  throw new MemoryError(lines.join("\n"), estimate, limit);
}

/** What would fit instead: a smaller batch, shorter sequences, LoRA or Adafactor, another backend, a smaller model. */
function alternatives(config: T5Config, e: MemoryEstimate, limit: number, backend: MemoryBackend): string[] {
  const out: string[] = ["  What fits instead:"];
  const base: MemoryPlan = { ...e.plan };
  const batch = largestBatch(config, base, backend, limit);
  if (batch > 0) out.push(`  - a batch of ${batch} (gradient accumulation keeps the effective batch: --grad-accum)`);
  const shorter = { ...base, sourceLength: Math.min(base.sourceLength ?? 512, 256), targetLength: Math.min(base.targetLength ?? 128, 64) };
  const shorterBatch = largestBatch(config, shorter, backend, limit);
  if (batch === 0 && shorterBatch > 0) out.push(`  - inputs of at most 256 and targets of 64 tokens, with a batch of ${shorterBatch}`);
  const options: [string, MemoryPlan][] = [];
  if (e.plan.mode === "full" && e.plan.optimizer === "adamw") options.push(["Adafactor instead of AdamW (--optimizer adafactor)", { ...base, optimizer: "adafactor" }]);
  if (e.plan.mode === "full") options.push(["LoRA instead of full fine-tuning (--lora-r 8)", { ...base, mode: "lora", lora: undefined }]);
  for (const [label, plan] of options) {
    const b = largestBatch(config, plan, backend, limit);
    if (b > 0) out.push(`  - ${label}, with a batch of up to ${b}`);
  }
  if (backend === "wasm") {
    const ram = estimateMemory(config, { ...base, batchSize: e.plan.batchSize }, "tensorflow");
    out.push(`  - the tensorflow backend (npm install @tensorflow/tfjs-node, then FLANLAB_BACKEND=tensorflow): limited by RAM, not 4 GiB; it would need ${formatMemorySize(ram.total)}`);
  }
  if (out.length === 1) out.push("  - a smaller model (google/flan-t5-small), or a machine with more memory (PyTorch with Accelerate or DeepSpeed, README)");
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks from a folder (config.json only: nothing is loaded) and the README's table

/**
 * Check a model folder's config.json against the plan before its weights are read (default: the running backend).
 * Throws a MemoryError when it does not fit; undefined when the folder has no config.json (loading will say so).
 */
export function checkModelFolder(folder: string, plan: MemoryPlan, backend: MemoryBackend = currentMemoryBackend(), name = folder): MemoryEstimate | undefined {
  const file = path.join(folder, "config.json");
  if (!fs.existsSync(file)) return undefined; // loading reports the missing file
  const config = makeConfig(JSON.parse(fs.readFileSync(file, "utf8")) as Partial<T5Config>, file);
  return checkMemory(config, plan, { backend, name });
}

export const TABLE_MODELS = ["t5-small", "flan-t5-small", "flan-t5-base", "flan-t5-large"] as const;
/** The lengths and batch the table assumes: one example of 256 input and 64 target tokens. */
export const TABLE_SHAPE = { batchSize: 1, sourceLength: 256, targetLength: 64 } as const;
const TABLE_PLANS: [string, MemoryPlan][] = [
  ["run", { mode: "inference" }],
  ["LoRA (r 8, q,v; AdamW)", { mode: "lora" }],
  ["full, Adafactor", { mode: "full", optimizer: "adafactor" }],
  ["full, AdamW", { mode: "full", optimizer: "adamw" }],
];

/** Whether a plan fits wasm's 4 GiB: "yes, batch <= N", "only inputs <= 128 tokens" (running), or "no". */
export function wasmVerdict(config: T5Config, plan: MemoryPlan): string {
  const batch = largestBatch(config, plan, "wasm", WASM_MAX_BYTES);
  if (batch >= 1024) return "yes";
  if (batch > 0) return `yes, batch <= ${batch}`;
  const short = { ...plan, sourceLength: 128, targetLength: 32 };
  return plan.mode === "inference" && largestBatch(config, short, "wasm", WASM_MAX_BYTES) > 0 ? "only inputs <= 128 tokens" : "no";
}

/** The least that running a model needs (one short example): what loading checks when nothing more is known. */
export const LOAD_CHECK_PLAN: MemoryPlan = { mode: "inference", batchSize: 1, sourceLength: 64, targetLength: 16 };

/** The README's memory table: per model and plan, the textbook figure, and flanlab's total on wasm and on tensorflow. */
export function memoryTableMarkdown(): string {
  const rows = [
    "| model | parameters | plan | weights + gradients + optimizer | flanlab on wasm | flanlab on tfjs-node / cpu | fits wasm's 4 GiB |",
    "|---|---:|---|---:|---:|---:|---|",
  ];
  for (const model of TABLE_MODELS) {
    const config = publicT5Config(model)!;
    for (const [label, plan] of TABLE_PLANS) {
      const shaped = { ...TABLE_SHAPE, ...plan };
      const wasm = estimateMemory(config, shaped, "wasm");
      const other = estimateMemory(config, shaped, "tensorflow");
      const fits = wasmVerdict(config, shaped);
      rows.push(
        `| ${model} | ${(wasm.parameters / 1e6).toFixed(1)} M | ${label} | ${formatMemorySize(wasm.textbook)} | ${formatMemorySize(wasm.total)} | ` +
          `${formatMemorySize(other.total)} | ${fits} |`,
      );
    }
  }
  return rows.join("\n");
}
