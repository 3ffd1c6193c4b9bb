// Notebook 02's findings (src/lab/findings/forgetting.ts).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { backwardTransferSentences, fewSeedsNote, ratingFormatSentence } from "../src/lab/findings/forgetting";
import { summarizeSeeds } from "../src/eval/stats";

test("backward transfer: negative or not on generated answers, smaller or not on likelihoods", () => {
  // Generated: -0.40, -0.50 (mean -0.45, sd 0.0707, 95% half-width 12.706 * 0.0707 / sqrt(2) = 0.64).
  const [generated, likelihood] = backwardTransferSentences(summarizeSeeds([-0.4, -0.5]), summarizeSeeds([-0.1, -0.12]));
  assert.equal(generated, "Backward transfer over the base tasks (generated answers): -0.45 \u00b1 0.64 (n=2); per seed -0.40, -0.50 - negative: the new task was learned at the old tasks' expense.");
  assert.equal(likelihood, "On teacher-forced token accuracy the backward transfer is -0.11 \u00b1 0.13 (n=2), smaller in size than on generated answers (-0.45): much of the loss is in what the model says, less in what it knows.");
  const [kept, larger] = backwardTransferSentences(summarizeSeeds([0.01]), summarizeSeeds([-0.2]));
  assert.equal(kept, "Backward transfer over the base tasks (generated answers): 0.01 (n=1, no interval); per seed 0.01 - not negative: learning chats did not cost the old tasks on average.");
  assert.equal(larger, "On teacher-forced token accuracy the backward transfer is -0.20 (n=1, no interval), as large as or larger than on generated answers (0.01).");
  // Equal in size counts as "as large as".
  assert.match(backwardTransferSentences(summarizeSeeds([-0.2]), summarizeSeeds([0.2]))[1], /as large as or larger than on generated answers \(-0\.20\)\.$/);
});

test("the share of rating answers that are not a rating", () => {
  assert.equal(
    ratingFormatSentence([0.6, 0.64], 0),
    "62% of the fine-tuned model's answers to rating prompts were not a rating from 1 to 5 (base: 0%; per seed 60%, 64%).",
  );
  assert.equal(ratingFormatSentence([1], 0.03), "100% of the fine-tuned model's answers to rating prompts were not a rating from 1 to 5 (base: 3%; per seed 100%).");
});

test("a note on few seeds, only below three", () => {
  const full = { seeds: [0, 1, 2], evalExamples: 300 };
  assert.equal(fewSeedsNote(1, full), "With one seed (the quick profile) there are no intervals, so differences of a few hundredths may be noise; the full profile runs seeds 0, 1, 2 on 300 test records per task.");
  assert.match(fewSeedsNote(2, full), /^With 2 seeds \(the quick profile\)/);
  assert.equal(fewSeedsNote(3, full), "");
});
