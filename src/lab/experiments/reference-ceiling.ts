// The inter-reference ceiling of chat_summary: each chat's second summary (same facts and outcome, the generator's
// other wording, see secondSummary) scored against the record's reference, with the corpus ROUGE of the baselines.
// It is what a perfect summarizer that words things differently would score: a ceiling to read a model's number
// against, not a baseline to beat, so it stays out of chatBaselineScores (whose every entry a model must beat).
import { deriveSeed } from "../../data/mixtures";
import { corpusRouge, RougeMetric, RougeOptions, ROUGE_METRICS } from "../../eval/rouge";
import { Random } from "../../random";
import { contentKey, DEFAULT_DATA_SEED, FULL_SIZES } from "../corpus/build";
import { GeneratedChat, generateChat, secondSummary } from "../corpus/chat-summary";
import type { Split } from "../../data/task";

export const REFERENCE_CEILING_DESCRIPTION =
  "a second summary of each chat by the same generator, same facts and outcome, other wording (a ceiling, not a baseline)";

/** Mean ROUGE F-measures of the second summaries, and the share of chats that have only one wording. */
export type ReferenceCeiling = Record<RougeMetric, number> & {
  description: string;
  /** Share of chats whose second summary is the reference itself (no draw found another wording). */
  identical: number;
};

export interface ReferenceCeilingOptions extends RougeOptions {
  /** Seed of the second summaries' draws (each record gets its own stream from it and its id). */
  seed?: number;
  /** The data build's seed the records were generated with. */
  dataSeed?: number;
}

/** Splits in the build's fill order, so test records are found after replaying the test stream alone. */
const REPLAY_ORDER: readonly Split[] = ["test", "validation", "train"];

/**
 * The generated chat behind each record, found by replaying the build's seeded stream of each split (the record
 * keeps the facts but not the setup its summary was written from). Throws for a record the generator did not write
 * with `dataSeed`, such as a real DialogSum record: it has no second summary to draw.
 */
export function generatedChats(records: readonly Record<string, unknown>[], dataSeed: number = DEFAULT_DATA_SEED): GeneratedChat[] {
  const wanted = new Map<string, GeneratedChat | null>(records.map((r) => [contentKey(r), null]));
  let missing = wanted.size;
  for (const split of REPLAY_ORDER) {
    const random = new Random(deriveSeed(dataSeed, "chat_summary", split));
    // The build removes duplicates, so a kept record can come after its index; twice the size is ample.
    for (let i = 0; i < 2 * FULL_SIZES[split] && missing > 0; i++) {
      const chat = generateChat(random);
      const key = contentKey(chat.record);
      if (wanted.get(key) === null) {
        wanted.set(key, chat);
        missing--;
      }
    }
  }
  return records.map((record) => {
    const chat = wanted.get(contentKey(record));
    if (!chat) throw new Error(`chatReferenceCeiling: record ${String(record.id ?? "")} is not a chat the chat_summary generator wrote with data seed ${dataSeed}, so it has no second summary`);
    return chat;
  });
}

/** ROUGE F of each chat's second summary against its reference, over `records` (generated chat_summary records). */
export function chatReferenceCeiling(records: readonly Record<string, unknown>[], options: ReferenceCeilingOptions = {}): ReferenceCeiling {
  if (records.length === 0) throw new Error("chatReferenceCeiling: no records");
  const { seed = 0, dataSeed = DEFAULT_DATA_SEED, ...rouge } = options;
  const chats = generatedChats(records, dataSeed);
  const seconds = chats.map((chat, i) => secondSummary(chat, deriveSeed(seed, "second summary", String(records[i].id ?? i))));
  const corpus = corpusRouge(seconds.map((s) => s.summary), chats.map((c) => c.record.summary), { ...rouge, metrics: ROUGE_METRICS });
  const means = Object.fromEntries(ROUGE_METRICS.map((m) => [m, corpus[m].fmeasure])) as Record<RougeMetric, number>;
  const identical = seconds.filter((s) => s.identical).length / seconds.length;
  return { ...means, description: REFERENCE_CEILING_DESCRIPTION, identical };
}
