// Optimizers over named variables: AdamW (torch.optim.AdamW) and Adafactor (transformers.optimization.Adafactor),
// plus the gradient helpers the trainer puts between "compute gradients" and "update" (accumulation, clipping).
// Our own small classes rather than tf.Optimizer subclasses: the update is given gradients (so the trainer can
// accumulate and clip first), the state is a flat map of named tensors (saved as optimizer.safetensors), and the
// arithmetic follows PyTorch's line by line, so a run here can be compared with a PyTorch run.
import * as tf from "@tensorflow/tfjs";
import { GradMap } from "./clip";

export type { GradMap } from "./clip";
export type VariableMap = Record<string, tf.Variable>;

export interface Optimizer {
  readonly kind: OptimizerKind;
  /**
   * One update of every variable that has a gradient in `grads` (names in sorted order); variables without one are
   * left alone, as PyTorch skips parameters whose .grad is None. `learningRate` is the scheduled rate (Adafactor
   * with relativeStep ignores it). The gradients stay the caller's to dispose.
   */
  step(grads: GradMap, params: VariableMap, learningRate: number): void;
  /**
   * The state as named float32 tensors: `<param>.<slot>` (PyTorch's slot names: exp_avg, exp_avg_sq, exp_avg_sq_row,
   * exp_avg_sq_col), `<param>.step`, and `optimizer.<kind>.step`; new tensors the caller disposes.
   */
  state(): Record<string, tf.Tensor>;
  /** Replace the state with a copy of `state` (as `state()` returned it, e.g. read back from optimizer.safetensors). */
  loadState(state: Record<string, tf.Tensor>): void;
  /** Number of step() calls so far (restored by loadState). */
  stepCount: number;
  dispose(): void;
}

/** The optimizers flanlab has. */
export const OPTIMIZER_KINDS = ["adamw", "adafactor"] as const;
/** One of OPTIMIZER_KINDS. */
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/** Per-parameter step counts are `<param>.step`, slots `<param>.<slot>`. */
const STEP_KEY = "step";
/** The key of the global step count, which also says which optimizer saved the state. */
const globalStepKey = (kind: OptimizerKind): string => `optimizer.${kind}.step`;

/**
 * What the two optimizers share: per-parameter step counts and slot tensors, the sorted update loop, the
 * state round trip, and disposal. A subclass names its slots and updates one parameter.
 */
abstract class SlotOptimizer implements Optimizer {
  abstract readonly kind: OptimizerKind;
  stepCount = 0;
  /** Slot name -> parameter name -> tensor. */
  protected slots = new Map<string, Map<string, tf.Tensor>>();
  /** Per-parameter update counts (PyTorch's state[p]["step"]): bias correction and beta2_t use them. */
  protected paramSteps = new Map<string, number>();

  protected constructor(private readonly slotNames: readonly string[]) {
    for (const slot of slotNames) this.slots.set(slot, new Map());
  }

  /** Update one parameter at its `t`-th step (called inside a tidy); returns the new slot tensors by slot name. */
  protected abstract update(
    name: string,
    param: tf.Variable,
    grad: tf.Tensor,
    t: number,
    learningRate: number,
  ): Record<string, tf.Tensor>;

  /** A parameter's slot, zeros before its first step. */
  protected slot(slotName: string, name: string, shape: number[]): tf.Tensor {
    const held = this.slots.get(slotName)!.get(name);
    if (held) {
      if (!tf.util.arraysEqual(held.shape, shape)) {
        throw new Error(`${this.kind}: state ${name}.${slotName} has shape [${held.shape}], expected [${shape}].`);
      }
      return held;
    }
    return tf.zeros(shape); // inside the update's tidy: disposed unless it becomes the new state
  }

  step(grads: GradMap, params: VariableMap, learningRate: number): void {
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new Error(`${this.kind}: learning rate must be a number >= 0, got ${learningRate}.`);
    }
    for (const name of Object.keys(grads).sort()) {
      const param = params[name];
      const grad = grads[name];
      if (!param) throw new Error(`${this.kind}: gradient for "${name}", which is not among the parameters.`);
      if (!tf.util.arraysEqual(param.shape, grad.shape)) {
        throw new Error(`${this.kind}: gradient of "${name}" has shape [${grad.shape}], the parameter [${param.shape}].`);
      }
      const t = (this.paramSteps.get(name) ?? 0) + 1;
      const next = tf.tidy(() => this.update(name, param, grad, t, learningRate));
      for (const [slotName, tensor] of Object.entries(next)) {
        const held = this.slots.get(slotName)!;
        held.get(name)?.dispose();
        held.set(name, tensor);
      }
      this.paramSteps.set(name, t);
    }
    this.stepCount++;
  }

  state(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = { [globalStepKey(this.kind)]: tf.scalar(this.stepCount) };
    for (const name of [...this.paramSteps.keys()].sort()) {
      out[`${name}.${STEP_KEY}`] = tf.scalar(this.paramSteps.get(name)!);
      for (const slotName of this.slotNames) {
        const tensor = this.slots.get(slotName)!.get(name);
        if (tensor) out[`${name}.${slotName}`] = tf.clone(tensor);
      }
    }
    return out;
  }

  loadState(state: Record<string, tf.Tensor>): void {
    const suffixes = [STEP_KEY, ...this.slotNames];
    const stepValue = (key: string): number => {
      const tensor = state[key];
      const value = tensor.size === 1 ? tensor.dataSync()[0] : NaN;
      if (!Number.isInteger(value) || value < 0) throw new Error(`${this.kind}.loadState: "${key}" is not a step count.`);
      return value;
    };
    // validate everything before taking anything, so a bad file leaves the optimizer as it was
    const globalKey = globalStepKey(this.kind);
    if (!(globalKey in state)) {
      const other = OPTIMIZER_KINDS.find((kind) => globalStepKey(kind) in state);
      throw new Error(
        `${this.kind}.loadState: no "${globalKey}" entry` + (other ? `: this is ${other} state.` : "; is this optimizer state?"),
      );
    }
    const stepCount = stepValue(globalKey);
    const entries: { key: string; name: string; suffix: string }[] = [];
    for (const key of Object.keys(state).sort()) {
      if (key === globalKey) continue;
      const suffix = suffixes.find((s) => key.endsWith(`.${s}`));
      if (!suffix) {
        throw new Error(
          `${this.kind}.loadState: "${key}" is not ${this.kind} state (slots: ${suffixes.join(", ")}); ` +
            `was it saved by another optimizer?`,
        );
      }
      entries.push({ key, name: key.slice(0, -suffix.length - 1), suffix });
    }
    const paramSteps = new Map<string, number>();
    for (const { key, name, suffix } of entries) if (suffix === STEP_KEY) paramSteps.set(name, stepValue(key));
    const slots = new Map<string, Map<string, tf.Tensor>>(this.slotNames.map((s) => [s, new Map()]));
    for (const { key, name, suffix } of entries) {
      if (suffix !== STEP_KEY) slots.get(suffix)!.set(name, tf.tidy(() => tf.cast(state[key], "float32")));
    }
    this.dispose();
    this.slots = slots;
    this.paramSteps = paramSteps;
    this.stepCount = stepCount;
  }

  dispose(): void {
    this.slots.forEach((held) => {
      held.forEach((t) => t.dispose());
      held.clear();
    });
    this.paramSteps.clear();
    this.stepCount = 0;
  }
}

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * torch.optim.AdamW (amsgrad=False): p *= 1 - lr*wd; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 */
export class AdamW extends SlotOptimizer {
  readonly kind = "adamw" as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    super(["exp_avg", "exp_avg_sq"]);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    for (const [key, value] of Object.entries({ beta1: this.beta1, beta2: this.beta2 })) {
      if (!(value >= 0 && value < 1)) throw new Error(`AdamW: ${key} must be in [0, 1), got ${value}.`);
    }
    if (!(this.eps >= 0)) throw new Error(`AdamW: eps must be >= 0, got ${this.eps}.`);
    if (!(this.weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be >= 0, got ${this.weightDecay}.`);
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, t: number, lr: number): Record<string, tf.Tensor> {
    const { beta1, beta2, eps, weightDecay } = this;
    const decayed = weightDecay !== 0 ? tf.mul(param, 1 - lr * weightDecay) : param;
    const expAvg = tf.add(tf.mul(this.slot("exp_avg", name, param.shape), beta1), tf.mul(grad, 1 - beta1));
    const expAvgSq = tf.add(tf.mul(this.slot("exp_avg_sq", name, param.shape), beta2), tf.mul(tf.square(grad), 1 - beta2));
    const stepSize = lr / (1 - beta1 ** t);
    const denominator = tf.add(tf.div(tf.sqrt(expAvgSq), Math.sqrt(1 - beta2 ** t)), eps);
    param.assign(tf.sub(decayed, tf.mul(tf.div(expAvg, denominator), stepSize)));
    return { exp_avg: expAvg, exp_avg_sq: expAvgSq };
  }
}

export interface AdafactorOptions {
  /** Regularisation of the squared gradient and floor of the parameter scale; default [1e-30, 1e-3]. */
  eps?: [number, number];
  /** Largest RMS of an update before it is scaled down (default 1.0). */
  clipThreshold?: number;
  /** beta2_t = 1 - t^decayRate (default -0.8). */
  decayRate?: number;
  /** First-moment coefficient; undefined/null (default) keeps no first moment. */
  beta1?: number | null;
  weightDecay?: number;
  /** Multiply the rate by max(eps[1], RMS(param)) (default false, the usual T5 fine-tuning setting). */
  scaleParameter?: boolean;
  /** Use min(1e-2, 1/sqrt(t)) instead of the given rate (default false). */
  relativeStep?: boolean;
  /** With relativeStep: min(1e-6 t, 1/sqrt(t)) (default false). */
  warmupInit?: boolean;
}

/** Adafactor's own time-dependent rate (HF Adafactor._get_lr without the parameter scale). */
export function adafactorRelativeStep(t: number, warmupInit = false): number {
  return Math.min(warmupInit ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t));
}

/**
 * transformers.optimization.Adafactor (Shazeer and Stern 2018). Parameters of rank >= 2 keep factored second
 * moments (running means of g^2 + eps over the last axis, "row", and over the second-to-last, "col"); rank 0-1
 * keep a full one. The update g / sqrt(v) is scaled down to RMS <= clipThreshold, times the rate; then the
 * optional first moment, decoupled weight decay p -= wd * lr * p, and p -= update.
 * Defaults are the usual T5 fine-tuning ones (lr 1e-3 from the schedule, relativeStep and scaleParameter off);
 * note HF's class defaults are relativeStep and scaleParameter on.
 */
export class Adafactor extends SlotOptimizer {
  readonly kind = "adafactor" as const;
  readonly eps: [number, number];
  readonly clipThreshold: number;
  readonly decayRate: number;
  readonly beta1: number | null;
  readonly weightDecay: number;
  readonly scaleParameter: boolean;
  readonly relativeStep: boolean;
  readonly warmupInit: boolean;

  constructor(options: AdafactorOptions = {}) {
    super(["exp_avg", "exp_avg_sq", "exp_avg_sq_row", "exp_avg_sq_col"]);
    this.eps = options.eps ?? [1e-30, 1e-3];
    this.clipThreshold = options.clipThreshold ?? 1.0;
    this.decayRate = options.decayRate ?? -0.8;
    this.beta1 = options.beta1 ?? null;
    this.weightDecay = options.weightDecay ?? 0;
    this.scaleParameter = options.scaleParameter ?? false;
    this.relativeStep = options.relativeStep ?? false;
    this.warmupInit = options.warmupInit ?? false;
    if (this.warmupInit && !this.relativeStep) throw new Error("Adafactor: warmupInit requires relativeStep.");
    if (this.beta1 !== null && !(this.beta1 >= 0 && this.beta1 < 1)) {
      throw new Error(`Adafactor: beta1 must be in [0, 1) or null, got ${this.beta1}.`);
    }
    if (!(this.clipThreshold > 0)) throw new Error(`Adafactor: clipThreshold must be > 0, got ${this.clipThreshold}.`);
    if (!(this.decayRate < 0)) throw new Error(`Adafactor: decayRate must be < 0, got ${this.decayRate}.`);
  }

  /** The shapes of the slots a parameter of this shape uses. */
  private slotShapes(shape: number[]): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    if (this.beta1 !== null) out.exp_avg = shape;
    if (shape.length >= 2) {
      out.exp_avg_sq_row = shape.slice(0, -1);
      out.exp_avg_sq_col = [...shape.slice(0, -2), shape[shape.length - 1]];
    } else {
      out.exp_avg_sq = shape;
    }
    return out;
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, t: number, lr: number): Record<string, tf.Tensor> {
    const shapes = this.slotShapes(param.shape);
    const rms = (x: tf.Tensor): tf.Scalar => tf.sqrt(tf.mean(tf.square(x))) as tf.Scalar;
    const baseRate = this.relativeStep ? adafactorRelativeStep(t, this.warmupInit) : lr;
    const rate: tf.Scalar = this.scaleParameter ? tf.mul(tf.maximum(rms(param), this.eps[1]), baseRate) : tf.scalar(baseRate);
    const beta2t = 1 - t ** this.decayRate;
    const squared = tf.add(tf.square(grad), this.eps[0]);
    const next: Record<string, tf.Tensor> = {};
    let update: tf.Tensor;
    if (param.rank >= 2) {
      const row = tf.add(tf.mul(this.slot("exp_avg_sq_row", name, shapes.exp_avg_sq_row), beta2t), tf.mul(tf.mean(squared, -1), 1 - beta2t));
      const col = tf.add(tf.mul(this.slot("exp_avg_sq_col", name, shapes.exp_avg_sq_col), beta2t), tf.mul(tf.mean(squared, -2), 1 - beta2t));
      // v ~ outer(row, col) / mean(row): the rank-1 approximation of the running mean of g^2
      const rowFactor = tf.expandDims(tf.rsqrt(tf.div(row, tf.mean(row, -1, true))), -1);
      const colFactor = tf.expandDims(tf.rsqrt(col), -2);
      update = tf.mul(tf.mul(rowFactor, colFactor), grad);
      next.exp_avg_sq_row = row;
      next.exp_avg_sq_col = col;
    } else {
      const expAvgSq = tf.add(tf.mul(this.slot("exp_avg_sq", name, param.shape), beta2t), tf.mul(squared, 1 - beta2t));
      update = tf.mul(tf.rsqrt(expAvgSq), grad);
      next.exp_avg_sq = expAvgSq;
    }
    update = tf.div(update, tf.maximum(tf.div(rms(update), this.clipThreshold), 1));
    update = tf.mul(update, rate);
    if (this.beta1 !== null) {
      const expAvg = tf.add(tf.mul(this.slot("exp_avg", name, param.shape), this.beta1), tf.mul(update, 1 - this.beta1));
      next.exp_avg = expAvg;
      update = expAvg;
    }
    const decayed = this.weightDecay !== 0 ? tf.sub(param, tf.mul(param, tf.mul(rate, this.weightDecay))) : param;
    param.assign(tf.sub(decayed, update));
    return next;
  }
}

/** The options of one optimizer, tagged by its kind. */
export type OptimizerOptions = ({ kind: "adamw" } & AdamWOptions) | ({ kind: "adafactor" } & AdafactorOptions);

/** An AdamW or Adafactor optimizer from its options. */
export function makeOptimizer(options: OptimizerOptions): Optimizer {
  switch (options.kind) {
    case "adamw":
      return new AdamW(options);
    case "adafactor":
      return new Adafactor(options);
    default:
      throw new Error(`makeOptimizer: unknown optimizer "${(options as { kind: string }).kind}". Choices: ${OPTIMIZER_KINDS.join(", ")}.`);
  }
}

// ---- gradients -------------------------------------------------------------------------------------------

/** The trainable variables of a parameter map, by name (what `computeGradients` and `step` take). */
export function trainableVariableMap(params: Record<string, tf.Tensor>): VariableMap {
  const out: VariableMap = {};
  for (const name of Object.keys(params).sort()) {
    const tensor = params[name];
    if (tensor instanceof tf.Variable && tensor.trainable) out[name] = tensor;
  }
  return out;
}

export interface Gradients {
  /** The loss's value (synced to the host). */
  loss: number;
  /** Gradient per variable name, for the variables the loss depends on; the caller disposes them. */
  grads: GradMap;
}

/** The loss and its gradients with respect to the trainable variables in `variables`, keyed by their map names. */
export function computeGradients(loss: () => tf.Scalar, variables: VariableMap): Gradients {
  const names = Object.keys(variables).sort().filter((name) => variables[name].trainable);
  if (names.length === 0) throw new Error("computeGradients: no trainable variables (check the trainable filter).");
  const { value, grads } = tf.variableGrads(loss, names.map((name) => variables[name]));
  const out: GradMap = {};
  for (const name of names) {
    const grad = grads[variables[name].name];
    if (grad) out[name] = grad;
  }
  const lossValue = value.dataSync()[0];
  value.dispose();
  return { loss: lossValue, grads: out };
}

/**
 * total + grads, for gradient accumulation over micro-batches. Takes ownership of both maps (their tensors are
 * disposed) and returns a new one; `total` undefined starts a sum.
 */
export function accumulateGradients(total: GradMap | undefined, grads: GradMap): GradMap {
  if (!total) return { ...grads };
  const out: GradMap = {};
  for (const name of [...new Set([...Object.keys(total), ...Object.keys(grads)])].sort()) {
    const a = total[name];
    const b = grads[name];
    out[name] = a && b ? tf.add(a, b) : (a ?? b).clone();
    a?.dispose();
    b?.dispose();
  }
  return out;
}

/** grads * factor (e.g. 1 / accumulation steps). Takes ownership of `grads`, returns new tensors. */
export function scaleGradients(grads: GradMap, factor: number): GradMap {
  const out: GradMap = {};
  for (const name of Object.keys(grads).sort()) {
    out[name] = tf.tidy(() => tf.mul(grads[name], factor));
    grads[name].dispose();
  }
  return out;
}

export function disposeGradients(grads: GradMap | undefined): void {
  if (grads) Object.values(grads).forEach((g) => g.dispose());
}
