// Trivial summarization baselines for chat_summary (and any DialogSum-shaped data): what ROUGE a model earns
// without understanding the chat. A fine-tuned model is worth reporting only above these.
//   bestTurnOracle     the single turn closest to the reference (an upper bound for "copy one turn"; it peeks at
//                      the reference, so no real system can reach it by choosing a turn)
//   firstCustomerTurn  the customer's first turn (usually the problem statement, the "lead" baseline of chats)
//   summarySkeleton    the most common reference shape with its facts and names left out ("template only")
// Speaker tags are stripped from turns before scoring.
import { corpusRouge, RougeMetric, RougeOptions, rougeScores, ROUGE_METRICS } from "../../eval/rouge";

export interface DialogueTurn {
  /** The speaker tag as written, e.g. "#Person1#". */
  speaker: string;
  text: string;
}

const TURN = /^\s*(#[^#:\s]+#)\s*:\s?(.*)$/;

/** The turns of a DialogSum-style dialogue, one per line; a line without a tag continues the previous turn. */
export function dialogueTurns(dialogue: string): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  for (const line of dialogue.split("\n")) {
    if (line.trim() === "") continue;
    const m = TURN.exec(line);
    if (m) turns.push({ speaker: m[1], text: m[2].trim() });
    else if (turns.length > 0) turns[turns.length - 1].text += ` ${line.trim()}`;
    else turns.push({ speaker: "", text: line.trim() });
  }
  return turns;
}

/** The turn (tag stripped) with the highest ROUGE-L F against the reference; the first one on ties. */
export function bestTurnOracle(dialogue: string, reference: string, options: RougeOptions = {}): string {
  let best = "";
  let bestF = -1;
  for (const turn of dialogueTurns(dialogue)) {
    const f = rougeScores(turn.text, reference, { ...options, metrics: ["rougeL"] }).rougeL.fmeasure;
    if (f > bestF) {
      best = turn.text;
      bestF = f;
    }
  }
  return best;
}

/** The first turn by `customer` (e.g. "#Person2#"), tag stripped; "" when the customer never speaks. */
export function firstCustomerTurn(dialogue: string, customer: string): string {
  return dialogueTurns(dialogue).find((t) => t.speaker === customer)?.text ?? "";
}

/** Placeholder for a blanked value in a skeleton. */
export const SLOT = "<slot>";

/**
 * A reference summary with its record-specific content blanked: the facts (issue type, order number, product,
 * amount, outcome), the customer's and agent's names, anything with a digit, and capitalized words inside a
 * sentence (shop, plan, weekday, city). What is left is the wording a template could have produced.
 */
export function skeletonOf(record: Record<string, unknown>): string {
  const { summary, facts, names } = chatFields(record);
  const values = [...Object.values(facts), ...names].filter((v): v is string => typeof v === "string" && v.length > 0);
  values.sort((a, b) => b.length - a.length);
  let text = summary;
  for (const value of values) text = text.split(value).join(SLOT);
  return text
    .split(/(?<=[.!?]) /)
    .map((sentence) =>
      sentence
        .replace(/[^\s()]*\d[^\s()]*/g, (token) => (/[.,;:!?]$/.test(token) ? `${SLOT}${token.slice(-1)}` : SLOT))
        .replace(/(?<=\S )(?!#)[A-Z][A-Za-z-]*/g, SLOT),
    )
    .join(" ");
}

/** The most frequent skeleton of the training references (the first seen on ties), with its slots left empty. */
export function summarySkeleton(trainRecords: readonly Record<string, unknown>[]): string {
  if (trainRecords.length === 0) throw new Error("summarySkeleton: no training records");
  const counts = new Map<string, number>();
  for (const record of trainRecords) {
    const skeleton = skeletonOf(record);
    counts.set(skeleton, (counts.get(skeleton) ?? 0) + 1);
  }
  let best = "";
  let bestCount = 0;
  for (const [skeleton, count] of counts) {
    if (count > bestCount) {
      best = skeleton;
      bestCount = count;
    }
  }
  return emptySlots(best);
}

/** "order <slot>, the <slot>." -> "order, the." */
export function emptySlots(skeleton: string): string {
  return skeleton
    .split(SLOT)
    .join("")
    .replace(/\s+/g, " ")
    .replace(/ ([,.;:!?)])/g, "$1")
    .replace(/\( ?\)/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export type BaselineName = "bestTurnOracle" | "firstCustomerTurn" | "summarySkeleton";

export const BASELINE_DESCRIPTIONS: Record<BaselineName, string> = {
  bestTurnOracle: "the one turn closest to the reference (an oracle: it peeks at the reference)",
  firstCustomerTurn: "the customer's first turn",
  summarySkeleton: "the most common reference wording, facts and names left out",
};

/** Mean ROUGE F-measures of one baseline, and what it does. */
export type BaselineScore = Record<RougeMetric, number> & { description: string };

/** Mean ROUGE F of each baseline over `records`; the skeleton is learned from `trainRecords`. */
export function chatBaselineScores(
  records: readonly Record<string, unknown>[],
  trainRecords: readonly Record<string, unknown>[],
  options: RougeOptions = {},
): Record<BaselineName, BaselineScore> {
  if (records.length === 0) throw new Error("chatBaselineScores: no records");
  const fields = records.map(chatFields);
  const references = fields.map((f) => f.summary);
  const skeleton = summarySkeleton(trainRecords);
  const predictions: Record<BaselineName, string[]> = {
    bestTurnOracle: fields.map((f) => bestTurnOracle(f.dialogue, f.summary, options)),
    firstCustomerTurn: fields.map((f) => firstCustomerTurn(f.dialogue, f.customer)),
    summarySkeleton: fields.map(() => skeleton),
  };
  const result = {} as Record<BaselineName, BaselineScore>;
  for (const name of Object.keys(predictions) as BaselineName[]) {
    const corpus = corpusRouge(predictions[name], references, { ...options, metrics: ROUGE_METRICS });
    const means = Object.fromEntries(ROUGE_METRICS.map((m) => [m, corpus[m].fmeasure])) as Record<RougeMetric, number>;
    result[name] = { ...means, description: BASELINE_DESCRIPTIONS[name] };
  }
  return result;
}

interface ChatFields {
  dialogue: string;
  summary: string;
  customer: string;
  facts: Record<string, unknown>;
  names: unknown[];
}

/** The fields the baselines read; records without `customer` (plain DialogSum) count #Person1# as the customer. */
function chatFields(record: Record<string, unknown>): ChatFields {
  const { dialogue, summary } = record;
  if (typeof dialogue !== "string" || typeof summary !== "string") {
    throw new Error(`chat baselines: record ${String(record.id ?? "")} needs string fields "dialogue" and "summary"`);
  }
  const facts = typeof record.facts === "object" && record.facts !== null ? (record.facts as Record<string, unknown>) : {};
  return {
    dialogue,
    summary,
    customer: typeof record.customer === "string" ? record.customer : "#Person1#",
    facts,
    names: [record.customer_name, record.agent_name],
  };
}
