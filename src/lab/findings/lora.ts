// Notebook 04's findings (LoRA): whether "q,v LoRA learns less and forgets as much" holds, format or knowledge
// lost, the other LoRA settings and replay against full fine-tuning, and the closing summary (trainable share,
// how far the recipe gets, adapters on disk, merging and switching).
import { mean } from "../../eval/bootstrap";
import { Contrast, Forgetting, RunValues, contrastRuns, formatBytes, meanWeightChange, perExampleForgetting, perExamplePrimary } from "../experiments/lora-sweep";
import { TaskScore } from "../experiments/scoring";

/** What the findings need of a run of the sweep (a ScoredRun has it), one per run name and seed. */
export interface SweepRun {
  spec: { name: string };
  scores: Record<string, TaskScore>;
  forgetting: Forgetting;
  weightChange: Record<string, number>;
}

/** Where the runs were scored: the new task, the base tasks, and the base model's scores on them. */
export interface SweepContext {
  task: string;
  baseTasks: readonly string[];
  baseScores: Record<string, TaskScore>;
  primaryMetric: (task: string) => string;
}

/** A run name's means over its seeds: learning (the new task's primary metric), forgetting two ways, and how far it moved q and v. */
export interface RunMeans {
  name: string;
  learning: number;
  /** Mean base-task drop on generated answers. */
  generated: number;
  /** Mean base-task drop on teacher-forced token accuracy. */
  teacherForced: number;
  /** Mean |dW|/|W| over the q and v layers. */
  qvChange: number;
}

/** Learning and forgetting of one run against another (contrastRuns on each). */
export interface RunContrast {
  learning: Contrast;
  forgetting: Contrast;
}

function runsNamed(runs: readonly SweepRun[], name: string): SweepRun[] {
  const mine = runs.filter((r) => r.spec.name === name);
  if (mine.length === 0) throw new Error(`no run named "${name}" (runs: ${[...new Set(runs.map((r) => r.spec.name))].join(", ")})`);
  return mine;
}

/** The means over seeds of the runs named `name`. */
export function runMeans(runs: readonly SweepRun[], name: string, task: string): RunMeans {
  const mine = runsNamed(runs, name);
  const by = (f: (r: SweepRun) => number) => mean(mine.map(f));
  return {
    name,
    learning: by((r) => r.scores[task].primary),
    generated: by((r) => r.forgetting.generated),
    teacherForced: by((r) => r.forgetting.teacherForced),
    qvChange: by((r) => meanWeightChange(r.weightChange, ["q", "v"])),
  };
}

/** One figure of the runs named `name`: per seed (in run order), and per test example of the first seed. */
export function sweepValues(runs: readonly SweepRun[], name: string, figure: "learning" | "forgetting", ctx: SweepContext): RunValues {
  const mine = runsNamed(runs, name);
  return {
    name,
    perSeed: mine.map((r) => (figure === "learning" ? r.scores[ctx.task].primary : r.forgetting.generated)),
    perExample: figure === "learning" ? perExamplePrimary(mine[0].scores, [ctx.task], ctx.primaryMetric)
      : perExampleForgetting(ctx.baseScores, mine[0].scores, ctx.baseTasks, ctx.primaryMetric),
  };
}

/** Run `name` against run `other`: learning (the new task's primary metric) and forgetting of the base tasks (generated). */
export function contrastSweepRuns(runs: readonly SweepRun[], name: string, other: string, ctx: SweepContext): RunContrast {
  return {
    learning: contrastRuns(`${ctx.task} ROUGE-L (learning)`, sweepValues(runs, name, "learning", ctx), sweepValues(runs, other, "learning", ctx)),
    forgetting: contrastRuns("forgetting of the base tasks (generated; higher = forgot more)", sweepValues(runs, name, "forgetting", ctx), sweepValues(runs, other, "forgetting", ctx)),
  };
}

/** Whether the earlier finding, "q,v LoRA (r=8) learned less than full fine-tuning and forgot as much", holds for this contrast of q,v LoRA with full fine-tuning. */
export function qvLoraVerdict(qv: RunContrast): string {
  const learnedLess = qv.learning.direction < 0;
  const forgot = qv.forgetting.direction;
  if (learnedLess && forgot === 0) return `**The earlier finding holds here**: LoRA on q,v (r=8) learned less than full fine-tuning and forgot about as much.`;
  if (learnedLess && forgot > 0) return `**The earlier finding holds here, and more so**: LoRA on q,v (r=8) learned less than full fine-tuning and forgot *more*.`;
  if (learnedLess) return `**Half of the earlier finding holds**: q,v LoRA learned less than full fine-tuning, but it also forgot less - the trade-off Biderman et al. report.`;
  return `**The earlier finding does not hold here**: q,v LoRA did not learn less than full fine-tuning` +
    (forgot < 0 ? `, and it forgot less.` : forgot > 0 ? `, but it forgot more.` : `, and forgot about as much.`);
}

/** Format or knowledge: a run lost mostly the format when its teacher-forced forgetting is under half its generated forgetting. */
export function formatOrKnowledgeSentence(run: RunMeans): string {
  const kind = run.teacherForced < 0.5 * run.generated ? "it lost mostly the answer format (the likelihoods kept most of the knowledge)"
    : "it lost knowledge too (the likelihoods of the right answers fell by more than half as much as the generated scores)";
  return `**${run.name}** lost ${run.generated.toFixed(2)} on generated answers and ${run.teacherForced.toFixed(2)} on teacher-forced accuracy: ${kind}.`;
}

/** Teacher-forced forgetting pools tokens (no per-example interval): a gap of at least this much counts as a difference. */
const KNOWLEDGE_GAP = 0.05;

/** q,v LoRA against full fine-tuning on likelihoods: lost more of the knowledge, kept more, or about as much. */
export function knowledgeSentence(qv: RunMeans, full: RunMeans): string {
  const gap = qv.teacherForced - full.teacherForced;
  if (gap >= KNOWLEDGE_GAP) {
    return `On likelihoods, q,v LoRA lost more of the base's knowledge than full fine-tuning (teacher-forced forgetting ${qv.teacherForced.toFixed(2)} vs ${full.teacherForced.toFixed(2)}), ` +
      `moving q and v by ${(100 * qv.qvChange).toFixed(0)}% of their norm against full fine-tuning's ${(100 * full.qvChange).toFixed(0)}%.`;
  }
  if (gap <= -KNOWLEDGE_GAP) return `On likelihoods, q,v LoRA kept more of the base's knowledge than full fine-tuning (teacher-forced forgetting ${(-gap).toFixed(2)} lower).`;
  return `On likelihoods, q,v LoRA and full fine-tuning forgot about as much (teacher-forced forgetting within 0.05 of each other).`;
}

/**
 * Notebook 04's "format or knowledge" section: per run (full, q,v LoRA, replay) what it lost, how far q,v LoRA and
 * full fine-tuning moved q and v, then what that says (with a hypothesis when the adapter lost more knowledge and
 * moved its weights more). Markdown.
 */
export function formatOrKnowledgeMarkdown(r: { full: RunMeans; qv: RunMeans; replay: RunMeans; fullMovedLmHead: boolean; dModel: number; lowestRate: number }): string {
  const gap = r.qv.teacherForced - r.full.teacherForced;
  const conclusion = gap >= KNOWLEDGE_GAP && r.qv.qvChange > r.full.qvChange
    ? `This is the surprise of this notebook: the low-rank adapter lost *more* of the base's knowledge than full fine-tuning, ` +
      `and it changed the weights it adapts far more than full fine-tuning changed the same weights. A likely reason (a hypothesis, not tested here): ` +
      `Adam moves every entry of A and B by about the learning rate per step whatever the gradient's size, and the product A B (times alpha / r = 2) ` +
      `adds up r such moves per weight, so at LoRA's usual higher learning rate the change grows much faster than full fine-tuning's; ` +
      `in a model with d_model ${r.dModel}, whose weights are small, that change swamps what q and v knew, in every layer. Full fine-tuning ` +
      `spreads a smaller change over all layers, lm_head included. The learning-rate points of the sweep test one side of this: ` +
      `if the hypothesis is right, a lower learning rate should forget less (the full profile's sweep goes down to ${r.lowestRate.toExponential(0)}).`
    : gap >= KNOWLEDGE_GAP
      ? `The adapter lost more of the base's knowledge than full fine-tuning (teacher-forced forgetting ${gap.toFixed(2)} higher), although it moved q and v less than full fine-tuning did: the size of the change alone does not explain it.`
      : knowledgeSentence(r.qv, r.full);
  return [
    `- ${formatOrKnowledgeSentence(r.full)}`, `- ${formatOrKnowledgeSentence(r.qv)}`, `- ${formatOrKnowledgeSentence(r.replay)}`,
    `- Weight changes: q,v LoRA moved the q and v weights by ${(100 * r.qv.qvChange).toFixed(1)}% of their norm on average, ` +
      `full fine-tuning by ${(100 * r.full.qvChange).toFixed(1)}% (and ${r.fullMovedLmHead ? "it also moved every other layer, lm_head included" : "other layers"}).`,
    "",
    conclusion,
  ].join("\n");
}

/** The other LoRA settings, each contrasted with full fine-tuning. */
export type SettingContrast = RunContrast & { name: string };

function settingsThat(changes: readonly SettingContrast[]) {
  return {
    learnsAsMuch: changes.filter((c) => c.learning.direction >= 0).map((c) => c.name),
    forgetsLess: changes.filter((c) => c.forgetting.direction < 0).map((c) => c.name),
  };
}

/** Does any other LoRA setting change the verdict: which learned about as much as full fine-tuning, which forgot less; then every contrast. Markdown. */
export function otherSettingsMarkdown(changes: readonly SettingContrast[]): string {
  const { learnsAsMuch, forgetsLess } = settingsThat(changes);
  const list = (names: string[]) => names.map((n) => `**${n}**`).join(", ");
  const head = changes.length === 0 ? "No other LoRA setting was run in this profile."
    : learnsAsMuch.length === 0 && forgetsLess.length === 0
      ? `None of the other LoRA settings tried (${changes.map((c) => c.name).join(", ")}) changes it: each learned less than full fine-tuning and none forgot less.`
      : [learnsAsMuch.length ? `Learned about as much as full fine-tuning or more: ${list(learnsAsMuch)}.` : "Every other LoRA setting learned less than full fine-tuning.",
         forgetsLess.length ? `Forgot less than full fine-tuning: ${list(forgetsLess)}.` : "None forgot less than full fine-tuning."].join(" ");
  return [head, "", ...changes.flatMap((c) => [`- ${c.learning.sentence}`, `- ${c.forgetting.sentence}`])].join("\n");
}

/** The same question in one sentence, for the closing summary. */
export function otherSettingsSentence(changes: readonly SettingContrast[]): string {
  const { learnsAsMuch, forgetsLess } = settingsThat(changes);
  if (!learnsAsMuch.length && !forgetsLess.length) return `None of ${changes.map((c) => c.name).join(", ") || "(none run)"} changed the picture.`;
  return [learnsAsMuch.length ? `Learned as much as full fine-tuning (within noise) or more: ${learnsAsMuch.join(", ")}.` : "Every other LoRA setting learned less than full fine-tuning.",
    forgetsLess.length ? `Forgot less than full fine-tuning: ${forgetsLess.join(", ")}.` : ""].filter((x) => x).join(" ");
}

/** The run that learned most (the first on ties). */
export function bestByLearning(runs: readonly RunMeans[]): RunMeans {
  if (runs.length === 0) throw new Error("bestByLearning: no runs");
  return runs.reduce((a, b) => (b.learning > a.learning ? b : a));
}

/** Runs ordered by one kind of forgetting, least first (ties keep their order). */
export function rankedByForgetting(runs: readonly RunMeans[], kind: "generated" | "teacherForced"): RunMeans[] {
  return [...runs].sort((a, b) => a[kind] - b[kind]);
}

/** "a 0.10, b 0.20" (with " < " between, for a ranking): run names with one kind of forgetting. */
export function forgettingList(runs: readonly RunMeans[], kind: "generated" | "teacherForced", separator = ", "): string {
  return runs.map((r) => `${r.name} ${r[kind].toFixed(2)}`).join(separator);
}

/** The runs ranked by forgetting on likelihoods and on generated answers, and whether the two orders agree. */
export function forgettingOrderSentence(runs: readonly RunMeans[]): string {
  const byTeacherForced = rankedByForgetting(runs, "teacherForced");
  const byGenerated = rankedByForgetting(runs, "generated");
  const sameOrder = byTeacherForced.every((x, i) => x.name === byGenerated[i].name);
  return `Ranked by forgetting on likelihoods (teacher-forced, least first): ${forgettingList(byTeacherForced, "teacherForced", " < ")}. ` +
    `On generated answers: ${forgettingList(byGenerated, "generated", " < ")}. ` +
    (sameOrder ? "The two orders agree." : "The two orders differ: which run forgets least depends on whether we look at the answers or at the likelihoods.");
}

/** The best LoRA run and full fine-tuning, each against replay, then the forgetting rankings of every run. Markdown. */
export function replayComparisonMarkdown(best: string, bestVsReplay: RunContrast, fullVsReplay: RunContrast, runs: readonly RunMeans[]): string {
  return [
    `The best LoRA run on chats is **${best}**.`, "",
    `- ${bestVsReplay.learning.sentence}`, `- ${bestVsReplay.forgetting.sentence}`,
    `- ${fullVsReplay.learning.sentence}`, `- ${fullVsReplay.forgetting.sentence}`, "",
    forgettingOrderSentence(runs),
  ].join("\n");
}

/** How far the recipe gets: full fine-tuning's chat ROUGE-L against the summary skeleton (near the start of learning when within 0.1 of it). */
export function recipeReachSentence(r: { profile: string; fullLearning: number; skeleton: number; steps: number; fullProfile: { steps: number; batchSize: number } }): string {
  return `**How far ${r.profile === "quick" ? "the quick" : "this"} recipe gets.** Full fine-tuning reached chat ROUGE-L ${r.fullLearning.toFixed(2)}; the trivial "summary skeleton" (one fixed wording, no facts) scores ` +
    `${r.skeleton.toFixed(2)} on the same chats` + (r.fullLearning < r.skeleton + 0.1
      ? `, so with ${r.steps} steps every run is still near the start of learning this task; the ranking of methods may change with longer training${r.profile === "quick" ? ` (the full profile trains ${r.fullProfile.steps} steps of ${r.fullProfile.batchSize})` : ""}.`
      : `: the runs learned well beyond the fixed wording.`);
}

/** Switching adapters on one base: exact or up to what logit difference, and what routing base-task prompts to the bare base kept. */
export function switchingSentence(r: { differences: readonly number[]; baseAloneDifference: number; routedForgetting: number; runForgetting: readonly number[] }): string {
  const exact = r.differences.every((d) => d === 0);
  return `**Switching** adapters on one base ${exact ? "reproduced each trained model and the base exactly (logit difference 0)" : `reproduced them up to ${Math.max(...r.differences).toExponential(1)}`}; ` +
    `with no adapter active the base-task scores are the base's (routed forgetting ${r.routedForgetting.toFixed(3)}${r.baseAloneDifference === 0 ? ", bit-exact" : ""}), ` +
    (r.runForgetting.every((f) => f > r.routedForgetting + 0.01)
      ? `so serving chats with an adapter and everything else with the bare base avoided the forgetting that every fine-tuned model here showed.`
      : `so serving chats with an adapter and everything else with the bare base is one way to keep the base tasks (some fine-tuned runs here also forgot little: see the table).`);
}

/** What notebook 04's closing summary states. */
export interface LoraSummaryInput {
  task: string;
  profile: string;
  seeds: number;
  steps: number;
  seconds: number;
  /** The full profile's recipe. */
  fullProfile: { steps: number; batchSize: number };
  /** Means of full fine-tuning, q,v LoRA (r=8), the best LoRA run and replay; every run, for the forgetting list. */
  full: RunMeans;
  qv: RunMeans;
  best: RunMeans;
  replay: RunMeans;
  runs: readonly RunMeans[];
  /** Trainable parameters of q,v LoRA (of all) and of full fine-tuning; the same adapter's share of FLAN-T5-base. */
  params: { qvTrainable: number; qvTotal: number; fullTrainable: number; flanT5BasePercent: number };
  verdict: string;
  knowledge: string;
  /** The summary skeleton's chat ROUGE-L. */
  skeleton: number;
  others: readonly SettingContrast[];
  fullVsReplay: RunContrast;
  disk: { largestAdapter: number; modelBytes: number };
  merge: { maxDifference: number; logitScale: number; sameSummaries: number; summaries: number };
  switching: { differences: readonly number[]; baseAloneDifference: number; routedForgetting: number; runForgetting: readonly number[] };
}

/** Notebook 04's closing findings, one sentence each. */
export function loraSummary(r: LoraSummaryInput): string[] {
  const { largestAdapter, modelBytes } = r.disk;
  return [
    `**Trainable share.** LoRA q,v r8 trains ${r.params.qvTrainable.toLocaleString("en-US")} parameters (${((100 * r.params.qvTrainable) / r.params.qvTotal).toFixed(2)}% of the model); ` +
      `full fine-tuning trains all ${r.params.fullTrainable.toLocaleString("en-US")}. ` +
      `On FLAN-T5-base the same adapter would be ${r.params.flanT5BasePercent.toFixed(2)}%.`,
    `**Learning and forgetting.** ${r.verdict} (${r.task} ROUGE-L: full ${r.full.learning.toFixed(2)}, q,v LoRA ${r.qv.learning.toFixed(2)}, ` +
      `best LoRA (${r.best.name}) ${r.best.learning.toFixed(2)}, replay ${r.replay.learning.toFixed(2)}; ` +
      `generated forgetting: ${forgettingList(rankedByForgetting(r.runs, "generated"), "generated")}.)`,
    `**Knowledge.** ${r.knowledge}`,
    recipeReachSentence({ profile: r.profile, fullLearning: r.full.learning, skeleton: r.skeleton, steps: r.steps, fullProfile: r.fullProfile }),
    `**Other settings.** ` + otherSettingsSentence(r.others),
    `**Replay.** ${r.fullVsReplay.forgetting.sentence}`,
    `**On disk** an adapter is at most ${formatBytes(largestAdapter)}, ${((100 * largestAdapter) / modelBytes).toFixed(1)}% of the base's ${formatBytes(modelBytes)} model.safetensors.`,
    `**Merging** changed the logits by at most ${r.merge.maxDifference.toExponential(1)} (float rounding; logits reach ${r.merge.logitScale.toFixed(0)}), ` +
      `and ${r.merge.sameSummaries} of ${r.merge.summaries} greedy summaries were identical merged and unmerged.`,
    switchingSentence(r.switching),
    `This notebook ran in ${(r.seconds / 60).toFixed(1)} minutes (profile ${r.profile}, ${r.seeds} seed${r.seeds > 1 ? "s" : ""}, ${r.steps} steps per run).`,
  ];
}
