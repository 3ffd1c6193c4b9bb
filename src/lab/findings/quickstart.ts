// Notebook 00's findings (the quickstart): step time, whether the loss fell, what greedy generation reproduced, and
// whether saving and loading kept the logits.

/** What the quickstart measured. */
export interface QuickstartResults {
  backend: string;
  /** Examples in the one training batch. */
  examples: number;
  secondsPerStep: number;
  steps: number;
  losses: readonly number[];
  /** Training targets that greedy generation reproduced exactly. */
  matched: number;
  /** Largest absolute logit difference after saving and loading. */
  reloadDifference: number;
}

/** The quickstart's closing Markdown: four findings, then what a model this small has (not) learned. */
export function quickstartFindings(r: QuickstartResults): string {
  const first = r.losses[0], last = r.losses[r.losses.length - 1];
  return [
    `- On the **${r.backend}** backend, one training step on ${r.examples} examples took **${(r.secondsPerStep * 1000).toFixed(0)} ms**.`,
    `- The training loss went from **${first.toFixed(2)}** to **${last.toFixed(2)}** in ${r.steps} steps ` +
      (last < first ? `(${(100 * (1 - last / first)).toFixed(0)}% lower).` : `: it did **not** fall.`),
    `- Greedy generation reproduced **${r.matched} of ${r.examples}** training targets exactly` +
      (r.matched === r.examples ? ": the model has memorized its tiny training set."
        : r.matched === 0 ? ": a few dozen steps on random weights are not enough to memorize even these answers."
        : ": it memorized some answers (often the short ones) and not others."),
    `- Saving and loading changed the logits by at most **${r.reloadDifference}** ` + (r.reloadDifference === 0 ? "(bit-exact)." : "."),
    "",
    `A model this small that has seen ${r.examples} examples has learned nothing general. The next notebooks start from a base ` +
      "model trained on a mixture of instruction tasks, fine-tune it on one task and measure what it forgets.",
  ].join("\n");
}
