// Notebook 04's findings (src/lab/findings/lora.ts), from hand-made runs and contrasts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  RunContrast,
  RunMeans,
  SweepRun,
  bestByLearning,
  contrastSweepRuns,
  formatOrKnowledgeMarkdown,
  formatOrKnowledgeSentence,
  forgettingOrderSentence,
  knowledgeSentence,
  loraSummary,
  otherSettingsMarkdown,
  otherSettingsSentence,
  qvLoraVerdict,
  rankedByForgetting,
  recipeReachSentence,
  replayComparisonMarkdown,
  runMeans,
  sweepValues,
  switchingSentence,
} from "../src/lab/findings/lora";
import { Contrast } from "../src/lab/experiments/lora-sweep";
import { TaskScore } from "../src/lab/experiments/scoring";

const contrast = (direction: -1 | 0 | 1, sentence = `direction ${direction}`): Contrast => ({ direction, difference: direction / 10, halfWidth: 0.01, over: "test examples", sentence });
const pair = (learning: -1 | 0 | 1, forgetting: -1 | 0 | 1): RunContrast => ({ learning: contrast(learning, `learning ${learning}`), forgetting: contrast(forgetting, `forgetting ${forgetting}`) });

test("does 'q,v LoRA learns less and forgets as much' hold: every combination of directions", () => {
  assert.equal(qvLoraVerdict(pair(-1, 0)), "**The earlier finding holds here**: LoRA on q,v (r=8) learned less than full fine-tuning and forgot about as much.");
  assert.equal(qvLoraVerdict(pair(-1, 1)), "**The earlier finding holds here, and more so**: LoRA on q,v (r=8) learned less than full fine-tuning and forgot *more*.");
  assert.equal(qvLoraVerdict(pair(-1, -1)), "**Half of the earlier finding holds**: q,v LoRA learned less than full fine-tuning, but it also forgot less - the trade-off Biderman et al. report.");
  assert.equal(qvLoraVerdict(pair(0, -1)), "**The earlier finding does not hold here**: q,v LoRA did not learn less than full fine-tuning, and it forgot less.");
  assert.equal(qvLoraVerdict(pair(1, 1)), "**The earlier finding does not hold here**: q,v LoRA did not learn less than full fine-tuning, but it forgot more.");
  assert.equal(qvLoraVerdict(pair(0, 0)), "**The earlier finding does not hold here**: q,v LoRA did not learn less than full fine-tuning, and forgot about as much.");
});

const means = (name: string, learning: number, generated: number, teacherForced: number, qvChange: number): RunMeans => ({ name, learning, generated, teacherForced, qvChange });
const full = means("full fine-tuning", 0.25, 0.4, 0.1, 0.02);
const qv = means("LoRA q,v r8", 0.2, 0.42, 0.3, 0.5);
const replay = means("replay 2:1", 0.24, 0.05, 0.02, 0.015);

test("format or knowledge, and q,v LoRA's knowledge against full fine-tuning's", () => {
  assert.equal(formatOrKnowledgeSentence(full), "**full fine-tuning** lost 0.40 on generated answers and 0.10 on teacher-forced accuracy: it lost mostly the answer format (the likelihoods kept most of the knowledge).");
  assert.equal(formatOrKnowledgeSentence(qv), "**LoRA q,v r8** lost 0.42 on generated answers and 0.30 on teacher-forced accuracy: it lost knowledge too (the likelihoods of the right answers fell by more than half as much as the generated scores).");
  assert.equal(knowledgeSentence(qv, full), "On likelihoods, q,v LoRA lost more of the base's knowledge than full fine-tuning (teacher-forced forgetting 0.30 vs 0.10), moving q and v by 50% of their norm against full fine-tuning's 2%.");
  assert.equal(knowledgeSentence({ ...qv, teacherForced: 0.02 }, full), "On likelihoods, q,v LoRA kept more of the base's knowledge than full fine-tuning (teacher-forced forgetting 0.08 lower).");
  assert.equal(knowledgeSentence({ ...qv, teacherForced: 0.12 }, full), "On likelihoods, q,v LoRA and full fine-tuning forgot about as much (teacher-forced forgetting within 0.05 of each other).");
});

test("the format-or-knowledge section: a hypothesis only when the adapter lost more and moved its weights more", () => {
  const surprise = formatOrKnowledgeMarkdown({ full, qv, replay, fullMovedLmHead: true, dModel: 64, lowestRate: 1e-3 });
  const lines = surprise.split("\n");
  assert.equal(lines.length, 6);
  assert.equal(lines[0], `- ${formatOrKnowledgeSentence(full)}`);
  assert.equal(lines[2], `- ${formatOrKnowledgeSentence(replay)}`);
  assert.equal(lines[3], "- Weight changes: q,v LoRA moved the q and v weights by 50.0% of their norm on average, full fine-tuning by 2.0% (and it also moved every other layer, lm_head included).");
  assert.equal(lines[4], "");
  assert.match(lines[5], /^This is the surprise of this notebook: .* in a model with d_model 64, whose weights are small/);
  const movedLess = formatOrKnowledgeMarkdown({ full, qv: { ...qv, qvChange: 0.01 }, replay, fullMovedLmHead: false, dModel: 64, lowestRate: 1e-3 }).split("\n");
  assert.match(movedLess[3], /full fine-tuning by 2\.0% \(and other layers\)\.$/);
  assert.equal(movedLess[5], "The adapter lost more of the base's knowledge than full fine-tuning (teacher-forced forgetting 0.20 higher), although it moved q and v less than full fine-tuning did: the size of the change alone does not explain it.");
  const kept = { ...qv, teacherForced: 0.02 };
  assert.equal(formatOrKnowledgeMarkdown({ full, qv: kept, replay, fullMovedLmHead: true, dModel: 64, lowestRate: 1e-3 }).split("\n")[5], knowledgeSentence(kept, full));
});

test("the other LoRA settings against full fine-tuning", () => {
  const a = { name: "LoRA a", ...pair(-1, 0) }, b = { name: "LoRA b", ...pair(0, 0) }, c = { name: "LoRA c", ...pair(-1, -1) };
  assert.equal(otherSettingsMarkdown([]), "No other LoRA setting was run in this profile.\n");
  assert.equal(otherSettingsSentence([]), "None of (none run) changed the picture.");
  assert.equal(otherSettingsMarkdown([a]), "None of the other LoRA settings tried (LoRA a) changes it: each learned less than full fine-tuning and none forgot less.\n\n- learning -1\n- forgetting 0");
  assert.equal(otherSettingsSentence([a]), "None of LoRA a changed the picture.");
  assert.equal(otherSettingsMarkdown([a, b]).split("\n")[0], "Learned about as much as full fine-tuning or more: **LoRA b**. None forgot less than full fine-tuning.");
  assert.equal(otherSettingsSentence([a, b]), "Learned as much as full fine-tuning (within noise) or more: LoRA b.");
  assert.equal(otherSettingsMarkdown([a, c]).split("\n")[0], "Every other LoRA setting learned less than full fine-tuning. Forgot less than full fine-tuning: **LoRA c**.");
  assert.equal(otherSettingsSentence([a, c]), "Every other LoRA setting learned less than full fine-tuning. Forgot less than full fine-tuning: LoRA c.");
  assert.equal(otherSettingsMarkdown([a, b, c]).split("\n").length, 2 + 6);
});

test("rankings by forgetting, the best run, and the comparison with replay", () => {
  assert.equal(bestByLearning([qv, full, { ...full, name: "tie" }]).name, "full fine-tuning");
  assert.deepEqual(rankedByForgetting([full, qv, replay], "generated").map((r) => r.name), ["replay 2:1", "full fine-tuning", "LoRA q,v r8"]);
  assert.equal(
    forgettingOrderSentence([full, qv, replay]),
    "Ranked by forgetting on likelihoods (teacher-forced, least first): replay 2:1 0.02 < full fine-tuning 0.10 < LoRA q,v r8 0.30. " +
      "On generated answers: replay 2:1 0.05 < full fine-tuning 0.40 < LoRA q,v r8 0.42. The two orders agree.",
  );
  assert.match(forgettingOrderSentence([full, { ...qv, generated: 0.3 }]), /The two orders differ: which run forgets least depends/);
  const markdown = replayComparisonMarkdown("LoRA q,v r8", pair(-1, 1), pair(0, -1), [full, qv]).split("\n");
  assert.deepEqual(markdown.slice(0, 7), ["The best LoRA run on chats is **LoRA q,v r8**.", "", "- learning -1", "- forgetting 1", "- learning 0", "- forgetting -1", ""]);
  assert.equal(markdown[7], forgettingOrderSentence([full, qv]));
});

test("how far the recipe gets, and switching adapters", () => {
  const reach = { profile: "quick", fullLearning: 0.25, skeleton: 0.2, steps: 200, fullProfile: { steps: 400, batchSize: 8 } };
  assert.equal(recipeReachSentence(reach),
    "**How far the quick recipe gets.** Full fine-tuning reached chat ROUGE-L 0.25; the trivial \"summary skeleton\" (one fixed wording, no facts) scores 0.20 on the same chats, " +
    "so with 200 steps every run is still near the start of learning this task; the ranking of methods may change with longer training (the full profile trains 400 steps of 8).");
  assert.match(recipeReachSentence({ ...reach, profile: "full" }), /^\*\*How far this recipe gets\.\*\* .*may change with longer training\.$/);
  assert.match(recipeReachSentence({ ...reach, fullLearning: 0.4 }), /scores 0\.20 on the same chats: the runs learned well beyond the fixed wording\.$/);
  const exact = { differences: [0, 0, 0], baseAloneDifference: 0, routedForgetting: 0, runForgetting: [0.3, 0.2] };
  assert.equal(switchingSentence(exact),
    "**Switching** adapters on one base reproduced each trained model and the base exactly (logit difference 0); with no adapter active the base-task scores are the base's (routed forgetting 0.000, bit-exact), " +
    "so serving chats with an adapter and everything else with the bare base avoided the forgetting that every fine-tuned model here showed.");
  const inexact = switchingSentence({ differences: [3e-6, 0, 1e-7], baseAloneDifference: 1e-7, routedForgetting: 0.001, runForgetting: [0.3, 0.005] });
  assert.match(inexact, /base reproduced them up to 3\.0e-6; .*\(routed forgetting 0\.001\), so serving .* is one way to keep the base tasks \(some fine-tuned runs here also forgot little: see the table\)\.$/);
});

function score(task: string, primary: number, perExample: number[], metric = "rougeL"): TaskScore {
  return {
    task, primary, generated: { [metric]: primary }, teacherForcedAccuracy: 0.5, meanLogLikelihood: -1,
    samples: perExample.map((v, i) => ({ input: `${task} ${i}`, references: ["r"], recordId: String(i), templateId: "t", prediction: "p", scores: { [metric]: v } })),
  };
}
const sweepRun = (name: string, chat: number[], sentiment: number[], generated: number, weightChange: Record<string, number>): SweepRun => ({
  spec: { name },
  scores: { chat_summary: score("chat_summary", chat.reduce((a, b) => a + b, 0) / chat.length, chat), sentiment: score("sentiment", 0, sentiment, "accuracy") },
  forgetting: { generated, teacherForced: generated / 2, rank: null },
  weightChange,
});

test("a sweep's runs: means over seeds, per-example values, and contrasts", () => {
  const ctx = {
    task: "chat_summary", baseTasks: ["sentiment"], primaryMetric: (t: string) => (t === "sentiment" ? "accuracy" : "rougeL"),
    baseScores: { sentiment: score("sentiment", 1, [1, 1, 1, 1], "accuracy") },
  };
  const runs = [
    sweepRun("full", [0.4, 0.5, 0.45, 0.5], [0, 0, 1, 0], 0.75, { "encoder.block.0.layer.0.SelfAttention.q": 0.1, "encoder.block.0.layer.0.SelfAttention.v": 0.3, lm_head: 0.5 }),
    sweepRun("lora", [0.1, 0.1, 0.15, 0.1], [0, 0, 0, 0], 1, { "encoder.block.0.layer.0.SelfAttention.q": 0.4 }),
  ];
  const m = runMeans(runs, "full", "chat_summary");
  assert.equal(m.name, "full");
  assert.ok(Math.abs(m.learning - 0.4625) < 1e-12);
  assert.equal(m.generated, 0.75);
  assert.equal(m.teacherForced, 0.375);
  assert.ok(Math.abs(m.qvChange - 0.2) < 1e-12, "q and v layers only, lm_head left out");
  assert.throws(() => runMeans(runs, "replay", "chat_summary"), /no run named "replay" \(runs: full, lora\)/);
  const learning = sweepValues(runs, "lora", "learning", ctx);
  assert.equal(learning.name, "lora");
  assert.deepEqual(learning.perSeed, [runs[1].scores.chat_summary.primary]);
  assert.deepEqual(learning.perExample, [0.1, 0.1, 0.15, 0.1]);
  assert.deepEqual(sweepValues(runs, "full", "forgetting", ctx).perSeed, [0.75]);
  assert.deepEqual(sweepValues(runs, "full", "forgetting", ctx).perExample, [1, 1, 0, 1]);
  const versus = contrastSweepRuns(runs, "lora", "full", ctx);
  assert.equal(versus.learning.over, "test examples");
  assert.equal(versus.learning.direction, -1);
  assert.match(versus.learning.sentence, /^On chat_summary ROUGE-L \(learning\), lora is lower than full/);
  assert.match(versus.forgetting.sentence, /^On forgetting of the base tasks \(generated; higher = forgot more\), lora and full are within noise/);
});

test("notebook 04's closing summary", () => {
  const input = {
    task: "chat_summary", profile: "quick", seeds: 1, steps: 200, seconds: 390, fullProfile: { steps: 400, batchSize: 8 },
    full, qv, best: replay, replay, runs: [full, qv, replay],
    params: { qvTrainable: 12288, qvTotal: 690000, fullTrainable: 678000, flanT5BasePercent: 0.3587 },
    verdict: "VERDICT", knowledge: "KNOWLEDGE", skeleton: 0.2, others: [], fullVsReplay: pair(0, 1),
    disk: { largestAdapter: 98_304, modelBytes: 2_712_000 },
    merge: { maxDifference: 4.3e-6, logitScale: 31.4, sameSummaries: 4, summaries: 4 },
    switching: { differences: [0, 0], baseAloneDifference: 0, routedForgetting: 0, runForgetting: [0.4] },
  };
  const lines = loraSummary(input);
  assert.equal(lines.length, 10);
  assert.equal(lines[0], "**Trainable share.** LoRA q,v r8 trains 12,288 parameters (1.78% of the model); full fine-tuning trains all 678,000. On FLAN-T5-base the same adapter would be 0.36%.");
  assert.equal(lines[1], "**Learning and forgetting.** VERDICT (chat_summary ROUGE-L: full 0.25, q,v LoRA 0.20, best LoRA (replay 2:1) 0.24, replay 0.24; generated forgetting: replay 2:1 0.05, full fine-tuning 0.40, LoRA q,v r8 0.42.)");
  assert.equal(lines[2], "**Knowledge.** KNOWLEDGE");
  assert.equal(lines[3], recipeReachSentence({ profile: "quick", fullLearning: 0.25, skeleton: 0.2, steps: 200, fullProfile: { steps: 400, batchSize: 8 } }));
  assert.equal(lines[4], "**Other settings.** None of (none run) changed the picture.");
  assert.equal(lines[5], "**Replay.** forgetting 1");
  assert.equal(lines[6], "**On disk** an adapter is at most 98.3 kB, 3.6% of the base's 2.7 MB model.safetensors.");
  assert.equal(lines[7], "**Merging** changed the logits by at most 4.3e-6 (float rounding; logits reach 31), and 4 of 4 greedy summaries were identical merged and unmerged.");
  assert.equal(lines[8], switchingSentence(input.switching));
  assert.equal(lines[9], "This notebook ran in 6.5 minutes (profile quick, 1 seed, 200 steps per run).");
  assert.match(loraSummary({ ...input, profile: "full", seeds: 2, steps: 400 })[9], /\(profile full, 2 seeds, 400 steps per run\)\.$/);
});
