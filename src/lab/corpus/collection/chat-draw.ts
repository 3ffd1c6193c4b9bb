// Chats for the instruction collection, drawn from chat_summary's own generator (same shops, products, problems
// and wording), so that the collection teaches the skills a chat summary needs without ever showing a summary.
// A task keeps the chats it can ask about (the order number stated, one dollar amount, ...) and draws again for
// the others. The build gives every task its own seed stream (deriveSeed(seed, task, split)), so these chats are
// not chat_summary's; src/lab/tasks/collection.ts also skips any that happens to equal one.
import { Random } from "../../../random";
import { ChatSummaryRecord, generateChatSummaryRecord } from "../chat-summary";
import { ISSUES, IssueKind } from "../chat/issues";

/** Chats drawn per kept record before giving up: a filter that rejects this often is a bug, not bad luck. */
const MAX_DRAWS_PER_RECORD = 500;

/** A task's reading of one chat: its record, or null when the chat cannot be asked about. */
export type ChatReader = (chat: ChatSummaryRecord, random: Random) => Record<string, unknown> | null;

/** `count` records, each from the first drawn chat that `read` accepts. */
export function recordsFromChats(random: Random, count: number, read: ChatReader, task: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  while (records.length < count) records.push(firstAccepted(random, read, task));
  return records;
}

/**
 * `count` records whose answers follow `want` rather than the chat generator's proportions: each record first
 * draws the answer it wants, then takes the first chat that `read` accepts for it.
 */
export function recordsWithWantedAnswers<T>(
  random: Random,
  count: number,
  want: (random: Random) => T,
  read: (chat: ChatSummaryRecord, wanted: T) => Record<string, unknown> | null,
  task: string,
): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  while (records.length < count) {
    const wanted = want(random);
    records.push(firstAccepted(random, (chat) => read(chat, wanted), task));
  }
  return records;
}

function firstAccepted(random: Random, read: ChatReader, task: string): Record<string, unknown> {
  for (let draw = 0; draw < MAX_DRAWS_PER_RECORD; draw++) {
    const record = read(generateChatSummaryRecord(random), random);
    if (record !== null) return record;
  }
  throw new Error(`${task}: no chat out of ${MAX_DRAWS_PER_RECORD} drawn fits the task.`);
}

/** Where an issue's facts come from: an order, an account or a subscription plan. */
export function issueKind(issueType: string): IssueKind {
  const issue = ISSUES.find((i) => i.type === issueType);
  if (!issue) throw new Error(`unknown chat issue type "${issueType}".`);
  return issue.kind;
}

/** Every dollar amount written in a text ("$45.99"), in order, repeats included. */
export function dollarAmounts(text: string): string[] {
  return text.match(/\$\d+\.\d\d/g) ?? [];
}

/** Runs of six or more digits: the only shape order numbers take (zip codes have 5 digits, card endings 4). */
export function longDigitRuns(text: string): string[] {
  return text.match(/\d{6,}/g) ?? [];
}
