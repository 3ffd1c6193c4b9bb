// The fine-tuning and evaluation settings the notebooks share, per profile, so that their numbers compare:
// notebook 02's "full fine-tuning" is the same run as notebook 04's and 05's reference.
import { Profile, byProfile } from "./results";

export interface Recipe {
  /** Optimizer updates of one fine-tuning run. */
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Seeds of runs that are repeated (forgetting, method comparisons). */
  seeds: number[];
  /** Test records scored per task. */
  evalExamples: number;
}

/**
 * Full fine-tuning on chat_summary with AdamW at a constant learning rate. Quick: minutes on a laptop core
 * (200 steps of 8 = half an epoch of the 3,000 chats); full: twice the steps (about one epoch), three seeds, the whole
 * test split. The full profile's size is set by compute (about an hour for all notebooks on a 2-core machine, two
 * at a time): notebooks with many runs per seed run fewer of these seeds (`fullSeeds`: 03 two, 04 one).
 */
export function chatRecipe(profile: Profile): Recipe {
  return {
    steps: byProfile(profile, 200, 400),
    batchSize: 8,
    learningRate: 1e-3,
    seeds: byProfile(profile, [0, 1], [0, 1, 2]),
    evalExamples: byProfile(profile, 100, 300),
  };
}

/** LoRA's usual learning rate is higher than full fine-tuning's (fewer, zero-initialised weights). */
export const LORA_LEARNING_RATE = 3e-3;

/** The first `count` seeds of the full recipe: what a notebook with many runs per seed affords in the full profile. */
export function fullSeeds(count: number): number[] {
  return chatRecipe("full").seeds.slice(0, count);
}
