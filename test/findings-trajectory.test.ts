// Notebook 04's trajectory findings (src/lab/findings/trajectory.ts) on hand-made curves: when each run reached 90%
// of its final gain and what it had forgotten then; LoRA left of, right of or crossing full fine-tuning at equal
// learning, or no overlap; the Lab 2 share stated plainly against its target.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  CurveLine,
  compareAtEqualLearning,
  equalLearningSentence,
  forgettingAtLearning,
  gainShare,
  gainShareSentence,
  reachOf,
  reachSentence,
  trajectoryFindings,
} from "../src/lab/findings/trajectory";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

/** A curve from (learning, forgetting) pairs, the base first, checkpoints every 10 steps. */
function curve(name: string, pairs: [number, number][], seeds = 1): CurveLine {
  return { name, seeds, points: pairs.map(([learning, forgetting], i) => ({ step: 10 * i, learning, forgetting })) };
}

const FULL = curve("full fine-tuning", [[0.2, 0], [0.3, 0.2], [0.4, 0.3], [0.48, 0.35], [0.5, 0.4]]);
const LORA = curve("LoRA q,v r8", [[0.2, 0], [0.25, 0.02], [0.35, 0.05], [0.4, 0.08], [0.42, 0.1]]);

test("reach: the first checkpoint at 90% of the final gain, forgetting then and at the end", () => {
  const r = reachOf(FULL);
  close(r.gain, 0.3);
  close(r.level, 0.47);
  assert.deepEqual([r.step, r.checkpoint, r.checkpoints, r.lastStep], [30, 3, 4, 40]);
  assert.deepEqual([r.forgettingThen, r.forgettingEnd], [0.35, 0.4]);
  assert.equal(
    reachSentence(r),
    "**full fine-tuning** reached 90% of its final gain (ROUGE-L 0.200 to 0.500, so 0.470) at step 30 of 40 (checkpoint 3 of 4); " +
      "its generated forgetting was 0.350 then and 0.400 at the end: the last 10% of the gain cost 0.050 more forgetting.",
  );
  const flat = reachOf(curve("flat", [[0.2, 0], [0.19, 0.1], [0.2, 0.1]]));
  assert.equal(flat.step, null);
  assert.match(reachSentence(flat), /did not gain over the base \(ROUGE-L 0\.200 at the start, 0\.200 at step 20\).*forgetting at the end 0\.100/);
  assert.match(reachSentence(reachOf(curve("early", [[0.2, 0], [0.5, 0.3], [0.5, 0.3]]))), /step 10 of 20 .*cost about nothing more/);
  assert.equal(
    reachSentence(reachOf(curve("late", [[0.2, 0], [0.25, 0.1], [0.3, 0.2], [0.5, 0.25]]))),
    "**late** reached 90% of its final gain (ROUGE-L 0.200 to 0.500, so 0.470) only at its last checkpoint (step 30, checkpoint 3 of 3): " +
      "it was still learning when the run ended; its generated forgetting then 0.250.",
  );
  assert.throws(() => reachOf(curve("base only", [[0.2, 0]])), /at least one checkpoint/);
});

test("forgetting at a learning level: where the curve first reaches it, interpolated", () => {
  close(forgettingAtLearning(FULL, 0.35) as number, 0.25);
  close(forgettingAtLearning(FULL, 0.2) as number, 0);
  assert.equal(forgettingAtLearning(FULL, 0.6), undefined);
  // A curve that goes up, down and up again: the first crossing counts.
  close(forgettingAtLearning(curve("zigzag", [[0.2, 0], [0.4, 0.1], [0.3, 0.5], [0.5, 0.6]]), 0.35) as number, 0.075);
});

test("equal learning: left, right, mixed, no overlap", () => {
  const left = compareAtEqualLearning(LORA, FULL);
  assert.equal(left.direction, -1);
  assert.deepEqual(left.levels.map((l) => l.toFixed(3)), ["0.273", "0.347", "0.420"]);
  close(left.levels[2], 0.42);
  assert.equal(
    equalLearningSentence(left, "generated"),
    "At equal learning, **LoRA q,v r8**'s curve lies **left of** full fine-tuning's: it forgot less at every level where both curves reach " +
      "(generated forgetting when each first reached the level, LoRA q,v r8 vs full fine-tuning: ROUGE-L 0.273: 0.027 vs 0.147; ROUGE-L 0.347: 0.049 vs 0.247; ROUGE-L 0.420: 0.100 vs 0.312).",
  );
  assert.equal(compareAtEqualLearning(FULL, LORA).direction, 1);
  const crossing = curve("crossing", [[0.2, 0], [0.3, 0.3], [0.4, 0.31], [0.5, 0.32]]);
  const mixed = compareAtEqualLearning(crossing, FULL);
  assert.equal(mixed.direction, 0);
  assert.match(equalLearningSentence(mixed, "generated"), /is not consistently left or right of full fine-tuning's/);
  const none = compareAtEqualLearning(curve("never", [[0.2, 0], [0.205, 0.1]]), FULL);
  assert.equal(none.direction, null);
  assert.deepEqual(none.levels, []);
  assert.match(equalLearningSentence(none, "generated"), /do not overlap in learning above the base/);
});

test("the Lab 2 share: stated plainly, met only when it is", () => {
  const short = gainShare({ name: "LoRA q,v r32 alpha 32 (Lab 2)", reference: "full fine-tuning", base: 0.2, value: 0.41, referenceValue: 0.5, target: 0.8 });
  close(short.share as number, 0.7);
  assert.equal(
    gainShareSentence(short, "100 test chats, 1 seed"),
    "**LoRA q,v r32 alpha 32 (Lab 2) against full fine-tuning:** the adapter gained 70% of full fine-tuning's ROUGE-L gain over the base " +
      "(LoRA q,v r32 alpha 32 (Lab 2) 0.200 to 0.410 (gain 0.210), full fine-tuning 0.200 to 0.500 (gain 0.300); 100 test chats, 1 seed). " +
      "The design target is at least 80%; this run is 10 percentage points short of it.",
  );
  const met = gainShare({ ...short, value: 0.46 });
  assert.match(gainShareSentence(met, "x"), /gained 87% .*That meets the design target of at least 80%\./);
  const exactly = gainShare({ ...short, base: 0, value: 0.8, referenceValue: 1 });
  assert.match(gainShareSentence(exactly, "x"), /meets the design target/);
  const noGain = gainShare({ ...short, referenceValue: 0.2 });
  assert.equal(noGain.share, null);
  assert.match(gainShareSentence(noGain, "x"), /did not gain ROUGE-L over the base, so there is no share to state/);
});

test("the section's findings: the seeds, every curve's reach, each LoRA curve against full fine-tuning (both kinds), the share", () => {
  const share = gainShare({ name: "Lab 2", reference: "full fine-tuning", base: 0.2, value: 0.41, referenceValue: 0.5, target: 0.8 });
  const lines = [FULL, LORA].map((l) => ({ ...l, seeds: 3 }));
  const sentences = trajectoryFindings({ lines, likelihoodLines: lines, reference: "full fine-tuning", compared: ["LoRA q,v r8", "full fine-tuning"], share, shareOver: "x" });
  assert.equal(sentences.length, 1 + 2 + 1 + 1 + 1);
  assert.match(sentences[0], /^Each curve is the mean over 3 seeds, without intervals; forgetting gaps under 0\.01 count as equal\.$/);
  assert.match(sentences[1], /^\*\*full fine-tuning\*\* reached 90%/);
  assert.match(sentences[3], /generated forgetting when each first reached/);
  assert.match(sentences[4], /teacher-forced forgetting when each first reached/);
  assert.match(sentences[5], /short of it/);
  const one = trajectoryFindings({ lines: [FULL, LORA], reference: "full fine-tuning", compared: ["LoRA q,v r8"], share, shareOver: "x" });
  assert.match(one[0], /^Each curve is one seed/);
  assert.equal(one.length, 1 + 2 + 1 + 1);
  assert.throws(() => trajectoryFindings({ lines: [FULL], reference: "full fine-tuning", compared: ["LoRA"], share, shareOver: "x" }), /no curve named "LoRA"/);
});
