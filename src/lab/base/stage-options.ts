// The training recipe every stage of the lab's base models shares (pretraining, instruction tuning, and the older
// flanlab-tiny): AdamW with weight decay 0.01, cosine decay after a linear warm-up, gradient clipping at 1.0, a
// metrics line every 10 steps, progress on stderr. Each stage adds its own data, evaluation and run folder.
import { terminalProgress } from "../../train/progress";
import { TrainerOptions } from "../../train/trainer";

/** What a stage chooses: its budget, schedule, seed and how often it evaluates. */
export interface StageRecipe {
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  seed: number;
  evalEvery: number;
}

/** The trainer options of a stage: the shared recipe with the stage's own evaluation, run folder and record. */
export function stageTrainerOptions(
  recipe: StageRecipe,
  stage: { run: string; tokenizerFolder: string; evaluate: TrainerOptions["evaluate"]; describe: Record<string, unknown> },
): TrainerOptions {
  return {
    steps: recipe.steps,
    batchSize: recipe.batchSize,
    optimizer: { kind: "adamw", weightDecay: 0.01 },
    learningRate: recipe.learningRate,
    schedule: { kind: "cosine", warmupSteps: recipe.warmupSteps },
    maxGradNorm: 1.0,
    seed: recipe.seed,
    logEvery: 10,
    evalEvery: recipe.evalEvery,
    evaluate: stage.evaluate,
    outDir: stage.run,
    tokenizerFolder: stage.tokenizerFolder,
    progress: terminalProgress(process.stderr, 50),
    describe: stage.describe,
  };
}
