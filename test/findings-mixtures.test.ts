// Notebook 03's findings (src/lab/findings/mixtures.ts), from a hand-made study of chat only and three mixtures.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { MixtureFigures, MixtureStudy, heldOutTaskSentence, mixtureSummary, rateRanking, replayFindings, replayRows, zeroShotFindings } from "../src/lab/findings/mixtures";

const f = (chat: number, baseMean: number, heldOutTask = 0, heldOutTaskForced = 0.3): MixtureFigures =>
  ({ chat, baseMean, heldOutTemplates: baseMean - 0.1, chatHeldOutTemplates: chat / 2, heldOutTask, heldOutTaskForced });

// Two seeds. Chat only drops the base mean from 0.80 to 0.42 (by 0.38); the mixtures drop it by 0.09, 0.19 and 0.14.
const study: MixtureStudy = {
  task: "chat_summary",
  heldOutTask: { name: "code_translation", metric: "exactMatch" },
  fullSeeds: 2,
  base: f(0, 0.8),
  chatOnly: { name: "chat only", share: 1, perSeed: [f(0.3, 0.4), f(0.32, 0.44)] },
  mixtures: [
    { name: "replay equal", share: 0.2, perSeed: [f(0.2, 0.7), f(0.22, 0.72)] },
    { name: "replay proportional:1500", share: 0.5, perSeed: [f(0.26, 0.6), f(0.28, 0.62)] },
    { name: "replay temperature:2", share: 0.4, perSeed: [f(0.25, 0.66), f(0.27, 0.66)] },
  ],
};
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test("forgetting avoided: the share of chat-only's drop of the base mean that a mixture did not suffer", () => {
  const rows = replayRows(study);
  assert.deepEqual(rows.map((r) => r.variant), ["replay equal", "replay proportional:1500", "replay temperature:2"]);
  close(rows[0]["drop of base mean"], 0.09);
  close(rows[0]["forgetting avoided"], 1 - 0.09 / 0.38);
  close(rows[1]["forgetting avoided"], 0.5);
  close(rows[2]["chat rougeL"], 0.26);
  close(rows[2]["chat rougeL, chat only"], 0.31);
  assert.equal(rows[1]["chat share"], 0.5);
  // When chat only forgot 0.02 or less there is nothing to avoid: NaN, and a sentence says why.
  const little = { ...study, chatOnly: { ...study.chatOnly, perSeed: [f(0.3, 0.79), f(0.32, 0.79)] } };
  assert.ok(replayRows(little).every((r) => Number.isNaN(r["forgetting avoided"])));
  assert.ok(replayFindings(little).includes(`Chat-only fine-tuning lowered the base mean by only 0.010: there was little forgetting for replay to avoid, so "forgetting avoided" is not computed.`));
});

test("replay findings: the base mean's change per arm, then each mixture's chat ROUGE-L against chat only's", () => {
  const findings = replayFindings(study);
  assert.equal(findings.length, 7);
  assert.match(findings[0], /^Fine-tuning on chat only (lowered|made no difference to) the base tasks' mean score/);
  assert.match(findings[0], /0\.800 -> 0\.420|from 0\.800 to 0\.420/);
  assert.match(findings[1], /^Fine-tuning on replay equal .*the base tasks' mean score/);
  assert.match(findings[4], /^On chat_summary ROUGE-L, chat only and replay equal/);
  assert.match(findings[6], /replay temperature:2 0\.260 over 2 seeds/);
  assert.ok(!findings.some((s) => s.includes("little forgetting")));
});

test("zero-shot findings: four figures, each for every arm", () => {
  const findings = zeroShotFindings(study);
  assert.equal(findings.length, 16);
  assert.match(findings[0], /^Fine-tuning on chat only .*chat_summary ROUGE-L on its held-out templates/);
  assert.match(findings[5], /^Fine-tuning on replay equal .*the base tasks' mean score on their held-out templates/);
  assert.match(findings[8], /code_translation \(held-out task, zero-shot\) exactMatch/);
  assert.match(findings[15], /^Fine-tuning on replay temperature:2 .*code_translation teacher-forced token accuracy/);
  // Every seed at the base's value: an interval of zero width that includes zero.
  assert.match(findings[15], /made no difference to code_translation teacher-forced token accuracy that we can distinguish from noise \(0\.300 -> 0\.300; change \+0\.000 \u00b1 0\.000/);
});

test("ranking the rates: about the same, first within noise, or first", () => {
  assert.equal(
    rateRanking("x", [{ name: "a", values: [0.5] }, { name: "b", values: [0.51] }, { name: "c", values: [0.505] }]),
    "On x the three rates came out about the same (b 0.510, c 0.505, a 0.500; a spread of 0.010).",
  );
  // Two seeds: 95% half-widths of 12.706 * 0.0141 / sqrt(2) = 0.127, so the leader's interval overlaps the others'.
  assert.equal(
    rateRanking("y", [{ name: "a", values: [0.6, 0.62] }, { name: "b", values: [0.7, 0.72] }, { name: "c", values: [0.2, 0.22] }]),
    "On y **b** came first on average, but within seed noise of a (b 0.710, a 0.610, c 0.210; a spread of 0.500; the 95% intervals over 2 seeds overlap).",
  );
  assert.equal(
    rateRanking("z", [{ name: "a", values: [0.6, 0.61, 0.62] }, { name: "b", values: [0.7, 0.71, 0.72] }]),
    "On z **b** came first (b 0.710, a 0.610; a spread of 0.100; its 95% interval over 3 seeds is clear of the others').",
  );
  assert.equal(rateRanking("w", [{ name: "a", values: [0.6] }, { name: "b", values: [0.7] }]), "On w **b** came first (b 0.700, a 0.600; a spread of 0.100).");
});

test("the held-out task: a floor effect, a gain over the base, or none", () => {
  assert.match(heldOutTaskSentence(study), /^Held-out task code_translation \(zero-shot\): every model scores about 0 before and after \(base 0\.00, chat only 0\.00, replay equal 0\.00, .*\)\. This model cannot do the unseen task at all/);
  assert.match(heldOutTaskSentence(study), /a floor effect\); the teacher-forced token accuracy: base 0\.300, chat only 0\.300, /);
  const arm = (name: string, score: number) => ({ name, share: 0.5, perSeed: [f(0.2, 0.7, score), f(0.2, 0.7, score)] });
  const gained = { ...study, base: f(0, 0.8, 0.1), chatOnly: arm("chat only", 0.1), mixtures: [arm("replay equal", 0.2), arm("replay b", 0.11)] };
  assert.equal(
    heldOutTaskSentence(gained),
    "Held-out task code_translation (zero-shot): base 0.10, chat only 0.10, replay equal 0.20, replay b 0.11; teacher-forced token accuracy: base 0.300, chat only 0.300, replay equal 0.300, replay b 0.300. replay equal did better on the unseen task than the base.",
  );
  const none = { ...gained, mixtures: [arm("replay b", 0.11)] };
  assert.match(heldOutTaskSentence(none), /\. No variant did better on the unseen task than the base: one more instruction-tuned task did not transfer/);
});

test("notebook 03's closing findings", () => {
  const lines = mixtureSummary(study);
  assert.equal(lines[0], "Chat-only fine-tuning took chat_summary ROUGE-L from **0.00** (base, zero-shot) to **0.31** and the base tasks' mean score from **0.80** to **0.42** (forgetting).");
  assert.equal(lines[1], "**replay equal** (chat share 0.20): base mean 0.71, 76% of chat-only's forgetting avoided; chat ROUGE-L 0.21 (-0.10 against chat only).");
  assert.match(lines[4], /^On the base tasks' mean score \*\*replay equal\*\* came first/);
  assert.match(lines[5], /^On chat_summary ROUGE-L /);
  assert.match(lines[6], /^On the base tasks' held-out templates /);
  assert.equal(lines[7], "", "two seeds: no one-seed caveat");
  assert.match(lines[8], /^Held-out task code_translation/);
  const one = (arm: MixtureStudy["chatOnly"]) => ({ ...arm, perSeed: arm.perSeed.slice(0, 1) });
  const oneSeed = { ...study, chatOnly: { ...study.chatOnly, perSeed: [f(0.24, 0.79)] }, mixtures: study.mixtures.map(one) };
  const quick = mixtureSummary(oneSeed);
  assert.match(quick[0], /to \*\*0\.79\*\*: it forgot little here\.$/);
  assert.equal(quick[1], "**replay equal** (chat share 0.20): base mean 0.70; chat ROUGE-L 0.20 (-0.04 against chat only).");
  assert.match(quick[3], /chat ROUGE-L 0\.25 \(\+0\.01 against chat only\)\.$/);
  assert.equal(quick[7], "One seed: differences of a few hundredths may be noise; the full profile runs 2 seeds.");
});
