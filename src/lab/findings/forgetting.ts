// Notebook 02's findings (catastrophic forgetting): backward transfer on generated answers and on likelihoods, the
// share of rating answers that lost the format, and what more seeds would add.
import { SeedSummary, formatSeedSummary, summarizeSeeds } from "../../eval/stats";
import { percent } from "./common";

/**
 * Two sentences on backward transfer over seeds: on generated answers (negative: the new task was learned at the
 * old tasks' expense), then on teacher-forced token accuracy, compared in size with the first.
 */
export function backwardTransferSentences(generated: SeedSummary, teacherForced: SeedSummary): string[] {
  return [
    `Backward transfer over the base tasks (generated answers): ${formatSeedSummary(generated, 2)}; per seed ${generated.values.map((v) => v.toFixed(2)).join(", ")}` +
      (generated.mean < 0 ? " - negative: the new task was learned at the old tasks' expense." : " - not negative: learning chats did not cost the old tasks on average."),
    `On teacher-forced token accuracy the backward transfer is ${formatSeedSummary(teacherForced, 2)}` +
      (Math.abs(teacherForced.mean) < Math.abs(generated.mean)
        ? `, smaller in size than on generated answers (${generated.mean.toFixed(2)}): much of the loss is in what the model says, less in what it knows.`
        : `, as large as or larger than on generated answers (${generated.mean.toFixed(2)}).`),
  ];
}

/** "62% of the fine-tuned model's answers to rating prompts were not a rating from 1 to 5 (base: 0%; per seed 60%, 64%)." */
export function ratingFormatSentence(perSeed: readonly number[], base: number): string {
  const s = summarizeSeeds(perSeed);
  return `${percent(s.mean)} of the fine-tuned model's answers to rating prompts were not a rating from 1 to 5 (base: ${percent(base)}; per seed ${s.values.map(percent).join(", ")}).`;
}

/** With fewer than three seeds: the intervals are wide, and what the full profile runs instead; "" otherwise. */
export function fewSeedsNote(seeds: number, full: { seeds: readonly number[]; evalExamples: number }): string {
  if (seeds >= 3) return "";
  if (seeds === 1) return `With one seed (the quick profile) there are no intervals, so differences of a few hundredths may be noise; the full profile runs seeds ${full.seeds.join(", ")} on ${full.evalExamples} test records per task.`;
  return `With ${seeds} seed${seeds === 1 ? "" : "s"} (the quick profile) the intervals are wide; the full profile runs seeds ${full.seeds.join(", ")} on ${full.evalExamples} test records per task.`;
}
