// Notebook 06's findings (how the base was made): what span-corruption pretraining alone can do (fill masked
// spans, copy a text back) and cannot (follow an instruction), and what instruction tuning added, from the scores
// of the pretrained and the instruction-tuned model on the same held-out data.
import { percent } from "./common";

/** Scores keyed "task/metric", for one model. */
export type TaskScores = Record<string, number>;

/** What notebook 06 measured on the two committed models. */
export interface BaseModelResults {
  /** Share of masked tokens predicted right (teacher-forced) on held-out span-corruption examples. */
  spanFill: { pretrained: number; instructed: number };
  /** The same on text-infilling examples (copying the whole text back). */
  infillingCopy: { pretrained: number; instructed: number };
  /** Held-out examples each of the two scores above was measured on. */
  chunks: number;
  /** Trained tasks on their held-out templates. */
  heldOutTemplates: { pretrained: TaskScores; instructed: TaskScores };
  /** Tasks never trained on. */
  unseenTasks: { pretrained: TaskScores; instructed: TaskScores };
  /** Test records each task was scored on. */
  examples: number;
}

const mean = (scores: TaskScores) => {
  const values = Object.values(scores);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
};

/** How many tasks rose (by more than 0.01), with the largest rise. */
function taskChanges(before: TaskScores, after: TaskScores): string {
  const changes = Object.keys(after).map((k) => ({ task: k.split("/")[0], change: after[k] - (before[k] ?? 0) }));
  const rose = changes.filter((c) => c.change > 0.01).sort((a, b) => b.change - a.change);
  if (rose.length === 0) return `no task of ${changes.length} rose by more than 0.01`;
  return `it rose on ${rose.length} of ${changes.length}, most on ${rose[0].task}: +${rose[0].change.toFixed(2)}`;
}

/** "raised ... to", "lowered ... to" or "left ... at" a mean, by more than 0.01 or not. */
function moved(before: number, after: number): string {
  if (after > before + 0.01) return `raised the mean from ${before.toFixed(2)} to **${after.toFixed(2)}**`;
  if (after < before - 0.01) return `lowered the mean from ${before.toFixed(2)} to **${after.toFixed(2)}**`;
  return `left the mean at **${after.toFixed(2)}** (${before.toFixed(2)} before)`;
}

/** The closing sentences of notebook 06, each from the measured values. */
export function baseModelFindings(r: BaseModelResults): string[] {
  const templatesBefore = mean(r.heldOutTemplates.pretrained), templatesAfter = mean(r.heldOutTemplates.instructed);
  const unseenBefore = mean(r.unseenTasks.pretrained), unseenAfter = mean(r.unseenTasks.instructed);
  const keptFill = r.spanFill.instructed >= r.spanFill.pretrained - 0.05;
  return [
    `After pretraining alone, on ${r.chunks} held-out chunks of its corpus the model predicts **${percent(r.spanFill.pretrained)}** of the masked tokens ` +
      `and **${percent(r.infillingCopy.pretrained)}** of the tokens when it writes a corrupted text back whole (teacher-forced).`,
    `Asked to follow instructions, the pretrained model scores a mean of **${templatesBefore.toFixed(2)}** on the trained tasks' held-out templates ` +
      `and **${unseenBefore.toFixed(2)}** on the tasks it never saw (${r.examples} test records each): ` +
      (templatesBefore < 0.1 ? "it does not follow instructions." : "it follows some."),
    `On the held-out templates, instruction tuning ${moved(templatesBefore, templatesAfter)} (${taskChanges(r.heldOutTemplates.pretrained, r.heldOutTemplates.instructed)}).`,
    `On the unseen tasks it ${moved(unseenBefore, unseenAfter)} (${taskChanges(r.unseenTasks.pretrained, r.unseenTasks.instructed)}).`,
    `The instruction-tuned model ${keptFill ? "kept" : "lost much of"} its span filling (${percent(r.spanFill.pretrained)} -> ${percent(r.spanFill.instructed)} of masked tokens).`,
  ];
}
