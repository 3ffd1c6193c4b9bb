// The fine-tuning and evaluation settings the notebooks share, per profile, so that their numbers compare:
// notebook 02's "full fine-tuning" is the same run as notebook 04's and 05's reference.
import { ScheduleKind } from "../../train/schedules";
import { Profile, byProfile } from "./results";

export interface Recipe {
  /** Optimizer updates of one fine-tuning run. */
  steps: number;
  batchSize: number;
  /** The peak learning rate of full fine-tuning from the base, reached after the warm-up. */
  learningRate: number;
  /** The same run from random weights (notebook 01's "from scratch"): its own peak, chosen the same way. */
  scratchLearningRate: number;
  /** LoRA's peak: fewer, zero-initialised weights take a higher rate. */
  loraLearningRate: number;
  /** Linear warm-up over `warmupSteps`, then cosine decay to 0 at the last step. */
  schedule: ScheduleKind;
  warmupSteps: number;
  /** Seeds of runs that are repeated (forgetting, method comparisons). */
  seeds: number[];
  /** Test records scored per task. */
  evalExamples: number;
}

/** The schedule of every lab run: HF's cosine schedule after a linear warm-up over the first tenth of the steps. */
export const CHAT_SCHEDULE: ScheduleKind = "cosine";
export const WARMUP_SHARE = 0.1;

/** The warm-up of a run of `steps` updates (what a run that names no warm-up gets). */
export function warmupStepsFor(steps: number): number {
  return Math.round(steps * WARMUP_SHARE);
}

/**
 * Peak learning rates, chosen on validation chats before any test score was read (docs/base-model.md: flanlab-mini
 * and scratch, 300 steps of 8, cosine after 30 warm-up steps, the best mean ROUGE-L on 250 and 1,000 chats; LoRA with
 * Lab 2's adapter on all chats). A pretrained start takes a higher rate than random weights, which collapse at it.
 */
export const FULL_LEARNING_RATE = 4e-3;
export const SCRATCH_LEARNING_RATE = 2e-3;
export const LORA_LEARNING_RATE = 1e-2;

/**
 * Full fine-tuning on chat_summary with AdamW, warm-up then cosine decay. Quick: minutes on a laptop core (200 steps
 * of 8 = half an epoch of the 3,000 chats), one seed; full: twice the steps (about one epoch), three seeds, the
 * whole test split. The full profile's size is set by compute (about three hours for all notebooks on a 2-core machine, two at
 * a time): notebooks with many runs per seed run fewer of these seeds (`fullSeeds`: 03 two, 04 one).
 */
export function chatRecipe(profile: Profile): Recipe {
  const steps = byProfile(profile, 200, 400);
  return {
    steps,
    batchSize: 8,
    learningRate: FULL_LEARNING_RATE,
    scratchLearningRate: SCRATCH_LEARNING_RATE,
    loraLearningRate: LORA_LEARNING_RATE,
    schedule: CHAT_SCHEDULE,
    warmupSteps: warmupStepsFor(steps),
    seeds: byProfile(profile, [0], [0, 1, 2]),
    evalExamples: byProfile(profile, 100, 300),
  };
}

/** The first `count` seeds of the full recipe: what a notebook with many runs per seed affords in the full profile. */
export function fullSeeds(count: number): number[] {
  return chatRecipe("full").seeds.slice(0, count);
}
