// Notebook 05's findings (customer chat summarization, the Lab 2 table): the fine-tuned models against the original
// model, against each other and against the best trivial baseline; the improvements in points; the trainable
// share; what the summaries get wrong (invented numbers, loops, facts left out); and the caveats of a short run.
import { compareMethods, compareToBaseline, describeChange } from "../experiments/findings";
import { FactErrorRow, NamedRouge, improvementRows } from "../experiments/lab-table";
import { beatsCopying, bestBaseline, COPYING_MARGIN, percent } from "./common";

/** Per-seed ROUGE-L of the Lab's three models (ORIGINAL has no seed) and the trivial baselines. */
export interface LabRougeL {
  original: number;
  instruct: readonly number[];
  peft: readonly number[];
  baselines: Readonly<Record<string, { rougeL: number }>>;
}

/** What the Lab 2 table says: INSTRUCT and PEFT against ORIGINAL (paired per seed), against each other, and each model against the best trivial baseline. */
export function labTableFindings(r: LabRougeL): string[] {
  const [bestName, best] = bestBaseline(r.baselines);
  const originalL = r.instruct.map(() => r.original);
  const baseline = { name: `${bestName}, the best trivial baseline`, value: best.rougeL };
  const aboveCopying = (name: string, values: readonly number[]) =>
    compareToBaseline({ subject: "ROUGE-L", method: { name, values: [...values] }, baseline, tie: COPYING_MARGIN, belowMeans: "it does not beat copying" });
  return [
    describeChange({ subject: "ROUGE-L", cause: "Full fine-tuning (INSTRUCT)", before: originalL, after: [...r.instruct], digits: 3 }),
    describeChange({ subject: "ROUGE-L", cause: "LoRA (PEFT)", before: originalL, after: [...r.peft], digits: 3 }),
    compareMethods("ROUGE-L", { name: "INSTRUCT", values: [...r.instruct] }, { name: "PEFT", values: [...r.peft] }, 3),
    aboveCopying("INSTRUCT", r.instruct),
    aboveCopying("PEFT", r.peft),
    aboveCopying("ORIGINAL", [r.original]),
  ];
}


/** " Facts stated: amount 40%, ...; best X, worst Y." for one model's fact rows; a sentence when it states none; "" without facts. */
export function factsStatedSentence(rows: readonly Pick<FactErrorRow, "fact" | "stated">[]): string {
  if (rows.length === 0) return "";
  if (rows.every((r) => r.stated === 0)) return " It states none of the chats' facts (issue, product, amount, outcome, order number) in any summary.";
  const worst = rows.reduce((a, b) => (b.stated < a.stated ? b : a));
  const best = rows.reduce((a, b) => (b.stated > a.stated ? b : a));
  return ` Facts stated: ${rows.map((r) => `${r.fact} ${percent(r.stated)}`).join(", ")}; best ${best.fact}, worst ${worst.fact}.`;
}

/** What notebook 05's closing summary states. */
export interface ChatSummaryResults {
  /** Number of test chats, and whether they are real DialogSum or the shipped synthetic ones. */
  examples: number;
  source: string;
  /** ORIGINAL, INSTRUCT and PEFT, in this order (mean over seeds). */
  models: readonly NamedRouge[];
  rougeL: LabRougeL;
  /** Trainable parameters of INSTRUCT and PEFT, and PEFT's share of the model. */
  params: { instruct: number; peft: number; peftShare: number };
  /** Per model name (INSTRUCT, PEFT): summaries with an invented number, how many, and the share that loop. */
  errors: readonly { model: string; summaries: number; withInvented: number; looping: number }[];
  /** Per model and fact: the share of summaries that state it. */
  facts: readonly (Pick<FactErrorRow, "fact" | "stated"> & { model: string })[];
  /** INSTRUCT's fact accuracy on the first seed (undefined without facts). */
  instructFactAccuracy: number | undefined;
  seeds: readonly number[];
  steps: number;
  batchSize: number;
  profile: string;
  fullProfile: { steps: number; batchSize: number; seeds: readonly number[] };
}

/** Notebook 05's closing findings, one sentence each (empty strings where a caveat does not apply). */
export function chatSummaryFindings(r: ChatSummaryResults): string[] {
  const [bestName, best] = bestBaseline(r.rougeL.baselines);
  const signed = (v: string | number) => `${Number(v) >= 0 ? "+" : ""}${v}`;
  const errorsOf = (name: string) => {
    const row = r.errors.find((e) => e.model === name);
    if (!row) throw new Error(`chatSummaryFindings: no error counts of ${name}`);
    return row;
  };
  const eitherBeatsCopying = [r.rougeL.instruct, r.rougeL.peft].some((values) => beatsCopying(values, r.rougeL.baselines));
  return [
    `On ${r.examples} test chats (${r.source === "real" ? "real DialogSum" : "the shipped synthetic chats"}), ROUGE-L: ORIGINAL **${r.models[0].scores.rougeL.toFixed(3)}**, ` +
      `INSTRUCT **${r.models[1].scores.rougeL.toFixed(3)}**, PEFT **${r.models[2].scores.rougeL.toFixed(3)}**; best trivial baseline (${bestName}) ${best.rougeL.toFixed(3)}.`,
    ...improvementRows(r.models).map((g) => `${g.comparison}: ROUGE-1 ${signed(g.rouge1)}, ROUGE-2 ${signed(g.rouge2)}, ROUGE-L ${signed(g.rougeL)} percentage points.`),
    ...labTableFindings(r.rougeL),
    `PEFT trained ${r.params.peft.toLocaleString("en-US")} parameters (${percent(r.params.peftShare)} of the model) against INSTRUCT's ${r.params.instruct.toLocaleString("en-US")}.`,
    ...["INSTRUCT", "PEFT"].map((name) => `${name}: ${errorsOf(name).withInvented} of ${errorsOf(name).summaries} summaries contain a number the chat never mentions, ` +
      `${percent(errorsOf(name).looping)} loop.${factsStatedSentence(r.facts.filter((f) => f.model === name))}`),
    !eitherBeatsCopying
      ? `Neither fine-tuned model clearly beats the best trivial baseline after ${r.steps} steps of ${r.batchSize} examples. Read this as what ${r.steps} steps buy here, ` +
        `not as the ceiling of either method${r.profile === "quick" ? ` (the full profile trains ${r.fullProfile.steps} steps of ${r.fullProfile.batchSize})` : ""}.`
      : "",
    r.instructFactAccuracy !== undefined && r.instructFactAccuracy < 0.3
      ? `INSTRUCT states only ${percent(r.instructFactAccuracy)} of the chats' facts (seed ${r.seeds[0]}): its ROUGE comes mostly from the summaries' wording, not from the chat's content.`
      : "",
    r.seeds.length === 1 ? `One seed per method: differences of a few hundredths may be noise (the full profile runs ${r.fullProfile.seeds.length} seeds).` : "",
  ];
}
