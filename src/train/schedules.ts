// Learning-rate schedules as pure functions: the number of updates already applied -> the learning rate of the next.
// The shapes are Hugging Face's (transformers/optimization.py) times a peak rate, so a run here and a run with the
// HF Trainer see the same rate at the same step. Like HF's LambdaLR, `schedule(0)` is the rate of the first update:
// with warmup that is 0, the first update changes nothing (Adam's moments still start), exactly as in HF.

export type Schedule = (step: number) => number;

/** The learning-rate schedules flanlab has. */
export const SCHEDULE_KINDS = ["constant", "linear", "cosine", "inverse_sqrt"] as const;
/** One of SCHEDULE_KINDS. */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export interface ScheduleOptions {
  kind: ScheduleKind;
  /** The rate reached at the end of warmup. */
  peak: number;
  /** Linear ramp 0 -> peak over this many updates (0 = start at the peak). */
  warmupSteps?: number;
  /** Updates in the whole run: linear and cosine reach 0 there. */
  totalSteps?: number;
  /** Cosine: number of waves over the decay; 0.5 (HF's default) is a half cosine from peak to 0. */
  numCycles?: number;
  /** Inverse square root: the time scale of the decay (HF's default: warmupSteps, or 10000 without warmup). */
  timescale?: number;
}

/** The warmup ramp's factor, or undefined once warmup is over (HF: step / max(1, warmup)). */
function warmupFactor(step: number, warmupSteps: number): number | undefined {
  return step < warmupSteps ? step / Math.max(1, warmupSteps) : undefined;
}

function checkStep(step: number): void {
  if (!Number.isFinite(step) || step < 0) throw new Error(`schedule: step must be a number >= 0, got ${step}.`);
}

/** HF get_constant_schedule / get_constant_schedule_with_warmup. */
export function constantSchedule(peak: number, warmupSteps = 0): Schedule {
  return (step) => {
    checkStep(step);
    return peak * (warmupFactor(step, warmupSteps) ?? 1);
  };
}

/** HF get_linear_schedule_with_warmup: 0 -> peak over warmup, then linearly to 0 at totalSteps (and 0 after). */
export function linearSchedule(peak: number, warmupSteps: number, totalSteps: number): Schedule {
  return (step) => {
    checkStep(step);
    const warm = warmupFactor(step, warmupSteps);
    if (warm !== undefined) return peak * warm;
    return peak * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  };
}

/**
 * HF get_cosine_schedule_with_warmup: after warmup, peak * 0.5 * (1 + cos(pi * numCycles * 2 * progress)), floored
 * at 0. As in HF, past totalSteps the cosine rises again (a run is meant to stop at totalSteps).
 */
export function cosineSchedule(peak: number, warmupSteps: number, totalSteps: number, numCycles = 0.5): Schedule {
  return (step) => {
    checkStep(step);
    const warm = warmupFactor(step, warmupSteps);
    if (warm !== undefined) return peak * warm;
    const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
  };
}

/**
 * HF get_inverse_sqrt_schedule (after big_vision): linear warmup, then peak / sqrt((step + timescale - warmup) / timescale).
 * With the default timescale = warmupSteps this is peak * sqrt(warmup / step), continuous at the end of warmup.
 * T5's own "rsqrt" schedule, lr = 1 / sqrt(max(step, 10000)), is the same decay with a constant 0.01 instead of a
 * ramp for the first 10000 steps: `inverse_sqrt` with peak 0.01 and warmupSteps 10000 differs only in the ramp.
 */
export function inverseSqrtSchedule(peak: number, warmupSteps: number, timescale?: number): Schedule {
  const scale = timescale ?? (warmupSteps || 10_000);
  const shift = scale - warmupSteps;
  return (step) => {
    checkStep(step);
    const warm = warmupFactor(step, warmupSteps);
    if (warm !== undefined) return peak * warm;
    return peak / Math.sqrt((step + shift) / scale);
  };
}

/** One schedule from options (the trainer's and the CLI's entry point). */
export function makeSchedule(options: ScheduleOptions): Schedule {
  const { kind, peak } = options;
  const warmupSteps = options.warmupSteps ?? 0;
  if (!Number.isFinite(peak) || peak < 0) throw new Error(`makeSchedule: peak must be a number >= 0, got ${peak}.`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new Error(`makeSchedule: warmupSteps must be an integer >= 0, got ${warmupSteps}.`);
  }
  const needTotal = (): number => {
    const total = options.totalSteps;
    if (total === undefined || !Number.isInteger(total) || total <= 0) {
      throw new Error(`makeSchedule: the "${kind}" schedule needs totalSteps (an integer > 0), got ${total}.`);
    }
    if (total < warmupSteps) throw new Error(`makeSchedule: warmupSteps (${warmupSteps}) exceeds totalSteps (${total}).`);
    return total;
  };
  switch (kind) {
    case "constant":
      return constantSchedule(peak, warmupSteps);
    case "linear":
      return linearSchedule(peak, warmupSteps, needTotal());
    case "cosine":
      return cosineSchedule(peak, warmupSteps, needTotal(), options.numCycles ?? 0.5);
    case "inverse_sqrt":
      if (options.timescale !== undefined && !(options.timescale > 0)) {
        throw new Error(`makeSchedule: timescale must be > 0, got ${options.timescale}.`);
      }
      return inverseSqrtSchedule(peak, warmupSteps, options.timescale);
    default:
      throw new Error(`makeSchedule: unknown schedule "${kind as string}". Choices: ${SCHEDULE_KINDS.join(", ")}.`);
  }
}
