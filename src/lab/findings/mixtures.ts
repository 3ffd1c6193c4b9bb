// Notebook 03's findings (multi-task mixtures): per variant, the change of the base tasks' mean score, the share of
// chat-only fine-tuning's forgetting that replay avoided and what it cost on chats, zero-shot changes on held-out
// templates and the held-out task, and a ranking of the mixing rates.
import { mean } from "../../eval/bootstrap";
import { summarizeSeeds } from "../../eval/stats";
import { compareMethods, describeChange } from "../experiments/findings";

/** What one model scored (one seed), the figures the findings compare. */
export interface MixtureFigures {
  /** The new task's primary metric (chat_summary ROUGE-L), training templates. */
  chat: number;
  /** Mean primary metric over the base tasks, training templates. */
  baseMean: number;
  /** Mean primary metric over the base tasks, held-out templates. */
  heldOutTemplates: number;
  /** The new task's primary metric on its held-out templates. */
  chatHeldOutTemplates: number;
  /** The held-out task's primary metric (zero-shot). */
  heldOutTask: number;
  /** The held-out task's teacher-forced token accuracy. */
  heldOutTaskForced: number;
}

/** A training stream (chat only, or a replay mixture at one rate) and its figures per seed, seeds in the same order for every arm. */
export interface MixtureArm {
  name: string;
  /** Share of the new task in the stream. */
  share: number;
  perSeed: readonly MixtureFigures[];
}

/** What notebook 03 measured. */
export interface MixtureStudy {
  /** The new task, e.g. "chat_summary". */
  task: string;
  heldOutTask: { name: string; metric: string };
  /** The full profile's number of seeds (for the one-seed caveat). */
  fullSeeds: number;
  /** The base model (no seed). */
  base: MixtureFigures;
  chatOnly: MixtureArm;
  /** The replay mixtures, one per rate. */
  mixtures: readonly MixtureArm[];
}

/** One row of the "forgetting avoided" table. */
export interface ReplayRow {
  variant: string;
  "chat share": number;
  "drop of base mean": number;
  /** Share of chat-only's drop of the base mean that the mixture did not suffer; NaN when chat only dropped 0.02 or less. */
  "forgetting avoided": number;
  "chat rougeL": number;
  "chat rougeL, chat only": number;
}

/** Chat-only fine-tuning's drops by less than this count as "little forgetting": no share avoided is computed. */
const LITTLE_FORGETTING = 0.02;

const series = (arm: MixtureArm, key: keyof MixtureFigures) => arm.perSeed.map((f) => f[key]);
const baseSeries = (study: MixtureStudy, key: keyof MixtureFigures) => study.chatOnly.perSeed.map(() => study.base[key]);
const chatOnlyDrop = (study: MixtureStudy) => mean(baseSeries(study, "baseMean")) - mean(series(study.chatOnly, "baseMean"));
const countWord = (n: number) => ["no", "one", "two", "three", "four", "five", "six"][n] ?? String(n);

/** Per replay mixture: the drop of the base mean, the share of chat-only's forgetting it avoided, and its chat ROUGE-L against chat only's. */
export function replayRows(study: MixtureStudy): ReplayRow[] {
  const onlyDrop = chatOnlyDrop(study);
  return study.mixtures.map((arm) => {
    const drop = mean(baseSeries(study, "baseMean")) - mean(series(arm, "baseMean"));
    return {
      variant: arm.name, "chat share": arm.share, "drop of base mean": drop,
      "forgetting avoided": onlyDrop > LITTLE_FORGETTING ? 1 - drop / onlyDrop : NaN,
      "chat rougeL": mean(series(arm, "chat")), "chat rougeL, chat only": mean(series(study.chatOnly, "chat")),
    };
  });
}

/** The change of the base tasks' mean score per arm, whether there was forgetting to avoid, and each mixture's chat ROUGE-L against chat only's. */
export function replayFindings(study: MixtureStudy): string[] {
  const arms = [study.chatOnly, ...study.mixtures];
  const findings = arms.map((arm) => describeChange({ subject: "the base tasks' mean score", cause: `Fine-tuning on ${arm.name}`, before: baseSeries(study, "baseMean"), after: series(arm, "baseMean"), digits: 3 }));
  const onlyDrop = chatOnlyDrop(study);
  if (onlyDrop <= LITTLE_FORGETTING) findings.push(`Chat-only fine-tuning lowered the base mean by only ${onlyDrop.toFixed(3)}: there was little forgetting for replay to avoid, so "forgetting avoided" is not computed.`);
  for (const arm of study.mixtures) {
    findings.push(compareMethods(`${study.task} ROUGE-L`, { name: study.chatOnly.name, values: series(study.chatOnly, "chat") }, { name: arm.name, values: series(arm, "chat") }, 3));
  }
  return findings;
}

/** Per zero-shot figure (held-out templates of the new task and of the base tasks, the held-out task) and per arm: its change from the base model. */
export function zeroShotFindings(study: MixtureStudy): string[] {
  const held = study.heldOutTask.name;
  const subjects: [string, keyof MixtureFigures][] = [
    [`${study.task} ROUGE-L on its held-out templates`, "chatHeldOutTemplates"],
    ["the base tasks' mean score on their held-out templates", "heldOutTemplates"],
    [`${held} (held-out task, zero-shot) ${study.heldOutTask.metric}`, "heldOutTask"],
    [`${held} teacher-forced token accuracy`, "heldOutTaskForced"],
  ];
  const arms = [study.chatOnly, ...study.mixtures];
  return subjects.flatMap(([subject, key]) =>
    arms.map((arm) => describeChange({ subject, cause: `Fine-tuning on ${arm.name}`, before: baseSeries(study, key), after: series(arm, key), digits: 3 })));
}

/**
 * Which mixture came first on a figure: "about the same" when the means span less than 0.02; with several seeds,
 * "within seed noise" of any runner-up whose 95% interval overlaps the leader's.
 */
export function rateRanking(what: string, mixtures: readonly { name: string; values: readonly number[] }[]): string {
  const scored = mixtures.map((m) => ({ name: m.name, seeds: summarizeSeeds(m.values) })).sort((a, b) => b.seeds.mean - a.seeds.mean);
  const spread = scored[0].seeds.mean - scored[scored.length - 1].seeds.mean;
  const detail = `${scored.map((x) => `${x.name} ${x.seeds.mean.toFixed(3)}`).join(", ")}; a spread of ${spread.toFixed(3)}`;
  if (spread < 0.02) return `On ${what} the ${countWord(scored.length)} rates came out about the same (${detail}).`;
  const first = scored[0].seeds.interval;
  const seeds = scored[0].seeds.n;
  const close = scored.slice(1).filter((x) => first && x.seeds.interval && first.low <= x.seeds.interval.high).map((x) => x.name);
  if (close.length > 0) {
    return `On ${what} **${scored[0].name}** came first on average, but within seed noise of ${close.join(" and ")} (${detail}; the 95% intervals over ${seeds} seeds overlap).`;
  }
  return `On ${what} **${scored[0].name}** came first (${detail}${first ? `; its 95% interval over ${seeds} seeds is clear of the others'` : ""}).`;
}

/** The held-out task before and after every arm: a floor effect when every model scores about 0, else which arms beat the base. */
export function heldOutTaskSentence(study: MixtureStudy): string {
  const held = study.heldOutTask.name;
  const after = [study.chatOnly, ...study.mixtures].map((arm) => ({ name: arm.name, score: mean(series(arm, "heldOutTask")), forced: mean(series(arm, "heldOutTaskForced")) }));
  const baseScore = study.base.heldOutTask;
  const scores = `base ${baseScore.toFixed(2)}, ` + after.map((a) => `${a.name} ${a.score.toFixed(2)}`).join(", ");
  const forced = `teacher-forced token accuracy: base ${study.base.heldOutTaskForced.toFixed(3)}, ` + after.map((a) => `${a.name} ${a.forced.toFixed(3)}`).join(", ");
  const better = after.filter((a) => a.score > baseScore + 0.02);
  if (Math.max(baseScore, ...after.map((a) => a.score)) < 0.02) {
    return `Held-out task ${held} (zero-shot): every model scores about 0 before and after (${scores}). This model cannot do the unseen task at all, ` +
      `so the generated score cannot show transfer either way (a floor effect); the ${forced}. The FLAN paper saw held-out tasks gain from instruction tuning only at large scale.`;
  }
  return `Held-out task ${held} (zero-shot): ${scores}; ${forced}. ` + (better.length > 0
    ? `${better.map((a) => a.name).join(", ")} did better on the unseen task than the base.`
    : "No variant did better on the unseen task than the base: one more instruction-tuned task did not transfer to a new one at this scale, as the FLAN paper found for its small models.");
}

/** Notebook 03's closing findings: chat only, each mixture, the rankings of the rates, and the held-out task. */
export function mixtureSummary(study: MixtureStudy): string[] {
  const fmt = (x: number) => x.toFixed(2);
  const chatOnlyChat = mean(series(study.chatOnly, "chat"));
  const ranking = (what: string, key: keyof MixtureFigures) => rateRanking(what, study.mixtures.map((arm) => ({ name: arm.name, values: series(arm, key) })));
  const seeds = study.chatOnly.perSeed.length;
  return [
    `Chat-only fine-tuning took ${study.task} ROUGE-L from **${fmt(study.base.chat)}** (base, zero-shot) to **${fmt(chatOnlyChat)}** ` +
      `and the base tasks' mean score from **${fmt(study.base.baseMean)}** to **${fmt(mean(series(study.chatOnly, "baseMean")))}**` +
      (chatOnlyDrop(study) > LITTLE_FORGETTING ? " (forgetting)." : ": it forgot little here."),
    ...replayRows(study).map((r, i) => `**${r.variant}** (chat share ${fmt(r["chat share"])}): base mean ${fmt(mean(series(study.mixtures[i], "baseMean")))}` +
      (Number.isNaN(r["forgetting avoided"]) ? "" : `, ${(100 * r["forgetting avoided"]).toFixed(0)}% of chat-only's forgetting avoided`) +
      `; chat ROUGE-L ${fmt(r["chat rougeL"])} (${r["chat rougeL"] >= chatOnlyChat ? "+" : ""}${fmt(r["chat rougeL"] - chatOnlyChat)} against chat only).`),
    ranking("the base tasks' mean score", "baseMean"),
    ranking(`${study.task} ROUGE-L`, "chat"),
    ranking("the base tasks' held-out templates", "heldOutTemplates"),
    seeds === 1 ? `One seed: differences of a few hundredths may be noise; the full profile runs ${study.fullSeeds} seeds.` : "",
    heldOutTaskSentence(study),
  ];
}
