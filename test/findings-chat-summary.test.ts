// Notebook 05's findings (src/lab/findings/chat-summary.ts), from hand-made Lab 2 results.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ChatSummaryResults, chatSummaryFindings, factsStatedSentence, labTableFindings } from "../src/lab/findings/chat-summary";
import { bestBaseline } from "../src/lab/findings/common";

const baselines = { bestTurnOracle: { rougeL: 0.208 }, firstCustomerTurn: { rougeL: 0.12 }, summarySkeleton: { rougeL: 0.208 } };

test("the best trivial baseline: highest ROUGE-L, the first on ties", () => {
  assert.deepEqual(bestBaseline(baselines), ["bestTurnOracle", { rougeL: 0.208 }]);
  assert.deepEqual(bestBaseline({ a: { rougeL: 0.1 }, b: { rougeL: 0.3 } })[0], "b");
  assert.throws(() => bestBaseline({}), /no baselines/);
});

test("the Lab table's findings: against ORIGINAL, against each other, and against copying", () => {
  const findings = labTableFindings({ original: 0.05, instruct: [0.25, 0.26, 0.255], peft: [0.12, 0.13, 0.11], baselines });
  assert.equal(findings.length, 6);
  assert.match(findings[0], /^Full fine-tuning \(INSTRUCT\) raised ROUGE-L from 0\.050 to 0\.255 in all 3 seeds/);
  assert.match(findings[1], /^LoRA \(PEFT\) raised ROUGE-L from 0\.050 to 0\.120 in all 3 seeds/);
  assert.match(findings[2], /^On ROUGE-L, INSTRUCT scored higher than PEFT \(INSTRUCT 0\.255 over 3 seeds, PEFT 0\.120 over 3 seeds\)\.$/);
  assert.match(findings[3], /^INSTRUCT's ROUGE-L .* is 0\.047 above bestTurnOracle, the best trivial baseline \(0\.208\), the whole interval above it\.$/);
  assert.match(findings[4], /^PEFT's ROUGE-L .* is 0\.088 below bestTurnOracle, the best trivial baseline \(0\.208\), the whole interval below it: it does not beat copying\.$/);
  assert.equal(findings[5], "ORIGINAL's ROUGE-L (0.050) is 0.158 below bestTurnOracle, the best trivial baseline (0.208): it does not beat copying.");
});

test("which facts the summaries state", () => {
  assert.equal(factsStatedSentence([]), "");
  assert.equal(factsStatedSentence([{ fact: "amount", stated: 0 }, { fact: "product", stated: 0 }]), " It states none of the chats' facts (issue, product, amount, outcome, order number) in any summary.");
  assert.equal(
    factsStatedSentence([{ fact: "amount", stated: 0.4 }, { fact: "product", stated: 0.9 }, { fact: "outcome", stated: 0.05 }]),
    " Facts stated: amount 40%, product 90%, outcome 5%; best product, worst outcome.",
  );
});

const rouge = (rougeL: number) => ({ rouge1: rougeL + 0.1, rouge2: rougeL / 2, rougeL, rougeLsum: rougeL });

const results: ChatSummaryResults = {
  examples: 100, source: "shipped",
  models: [{ name: "ORIGINAL MODEL", scores: rouge(0.05) }, { name: "INSTRUCT MODEL", scores: rouge(0.2) }, { name: "PEFT MODEL", scores: rouge(0.1) }],
  rougeL: { original: 0.05, instruct: [0.2], peft: [0.1], baselines },
  params: { instruct: 678000, peft: 24576, peftShare: 0.0349 },
  errors: [
    { model: "ORIGINAL", summaries: 100, withInvented: 50, looping: 0.9 },
    { model: "INSTRUCT", summaries: 100, withInvented: 12, looping: 0.25 },
    { model: "PEFT", summaries: 100, withInvented: 3, looping: 0 },
  ],
  facts: [{ model: "INSTRUCT", fact: "amount", stated: 0.2 }, { model: "INSTRUCT", fact: "product", stated: 0.3 }, { model: "PEFT", fact: "amount", stated: 0 }],
  instructFactAccuracy: 0.25, seeds: [0], steps: 200, batchSize: 8, profile: "quick", fullProfile: { steps: 400, batchSize: 8, seeds: [0, 1, 2] },
};

test("notebook 05's closing findings: a short quick run, every caveat", () => {
  const lines = chatSummaryFindings(results);
  assert.equal(lines[0], "On 100 test chats (the shipped synthetic chats), ROUGE-L: ORIGINAL **0.050**, INSTRUCT **0.200**, PEFT **0.100**; best trivial baseline (bestTurnOracle) 0.208.");
  assert.equal(lines[1], "INSTRUCT MODEL over ORIGINAL MODEL: ROUGE-1 +15, ROUGE-2 +7.5, ROUGE-L +15 percentage points.");
  assert.equal(lines[3], "PEFT MODEL over INSTRUCT MODEL: ROUGE-1 -10, ROUGE-2 -5, ROUGE-L -10 percentage points.");
  assert.deepEqual(lines.slice(4, 10), labTableFindings(results.rougeL));
  assert.equal(lines[10], "PEFT trained 24,576 parameters (3% of the model) against INSTRUCT's 678,000.");
  assert.equal(lines[11], "INSTRUCT: 12 of 100 summaries contain a number the chat never mentions, 25% loop. Facts stated: amount 20%, product 30%; best product, worst amount.");
  assert.equal(lines[12], "PEFT: 3 of 100 summaries contain a number the chat never mentions, 0% loop. It states none of the chats' facts (issue, product, amount, outcome, order number) in any summary.");
  assert.equal(lines[13], "Neither fine-tuned model clearly beats the best trivial baseline after 200 steps of 8 examples. Read this as what 200 steps buy here, not as the ceiling of either method (the full profile trains 400 steps of 8).");
  assert.equal(lines[14], "INSTRUCT states only 25% of the chats' facts (seed 0): its ROUGE comes mostly from the summaries' wording, not from the chat's content.");
  assert.equal(lines[15], "One seed per method: differences of a few hundredths may be noise (the full profile runs 3 seeds).");
});

test("notebook 05's closing findings: caveats that do not apply are empty", () => {
  // One seed beats copying only by at least 0.02: 0.22 is not enough against 0.208, 0.25 is.
  assert.notEqual(chatSummaryFindings({ ...results, rougeL: { ...results.rougeL, instruct: [0.22] } })[13], "");
  assert.equal(chatSummaryFindings({ ...results, rougeL: { ...results.rougeL, instruct: [0.25] } })[13], "");
  const lines = chatSummaryFindings({
    ...results, source: "real", profile: "full", seeds: [0, 1, 2], instructFactAccuracy: undefined, facts: [],
    rougeL: { ...results.rougeL, instruct: [0.25, 0.26, 0.255], peft: [0.1, 0.1, 0.1] },
  });
  assert.match(lines[0], /^On 100 test chats \(real DialogSum\)/);
  assert.match(lines[11], /25% loop\.$/);
  assert.deepEqual(lines.slice(13), ["", "", ""]);
  assert.equal(chatSummaryFindings({ ...results, instructFactAccuracy: 0.3 })[14], "");
  assert.match(chatSummaryFindings({ ...results, profile: "full" })[13], /not as the ceiling of either method\.$/);
  assert.throws(() => chatSummaryFindings({ ...results, errors: [] }), /no error counts of INSTRUCT/);
});
