// Classification over customer-service chats: the issue type, how it ended (the outcome), whether it was resolved,
// and which speaker is the customer. Labels are chat_summary's own fact labels (ISSUE_TYPES, OUTCOMES), so a model
// that learns them here has the words a summary states.
import { Random } from "../../../random";
import { Outcome } from "../chat/outcomes";
import { recordsFromChats, recordsWithWantedAnswers } from "./chat-draw";

/** Version of the chat classification generators, written to meta.json. */
export const CHAT_LABELS_GENERATOR_VERSION = "1";

/** The answers of chat_resolved. */
export const RESOLVED_LABELS = ["yes", "no"] as const;
/** Whether a chat's problem was resolved: "yes" or "no". */
export type Resolved = (typeof RESOLVED_LABELS)[number];

/**
 * Resolved: the agent settled the request within the chat. Not resolved: the customer must wait, was passed on,
 * or was turned down. A discount has no entry: it makes up for a problem (a late parcel, a kept subscription)
 * more than it solves it, so chat_resolved never asks about one.
 */
export const RESOLVED_BY_OUTCOME: Readonly<Partial<Record<Outcome, Resolved>>> = {
  "full refund": "yes",
  "partial refund": "yes",
  "store credit": "yes",
  "return label": "yes",
  replacement: "yes",
  troubleshooting: "yes",
  "free repair": "yes",
  "new address": "yes",
  "reset link": "yes",
  unlocked: "yes",
  switched: "yes",
  cancelled: "yes",
  wait: "no",
  specialist: "no",
  declined: "no",
};

/** Chats with their issue type, in the chat generator's proportions. */
export function generateChatIssueTypeRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat) => ({ dialogue: chat.dialogue, issue_type: chat.facts.issue_type }), "chat_issue_type");
}

/** Chats with their outcome, in the chat generator's proportions. */
export function generateChatOutcomeRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat) => ({ dialogue: chat.dialogue, outcome: chat.facts.outcome }), "chat_outcome");
}

/** Chats with "yes"/"no" for resolved, half of each (left to the generator, two in three would be "yes"). */
export function generateChatResolvedRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsWithWantedAnswers(random, count, (r) => r.pick(RESOLVED_LABELS), (chat, wanted) => {
    if (RESOLVED_BY_OUTCOME[chat.facts.outcome] !== wanted) return null;
    return { dialogue: chat.dialogue, resolved: wanted, outcome: chat.facts.outcome };
  }, "chat_resolved");
}

/** Chats with the customer's speaker tag (the customer opens about half of the chats). */
export function generateChatCustomerRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat) => ({ dialogue: chat.dialogue, customer: chat.customer }), "chat_customer");
}
