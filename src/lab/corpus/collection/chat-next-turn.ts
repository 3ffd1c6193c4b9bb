// Dialogue continuation: a chat cut just before one of the agent's turns, and that turn to write. The cut falls on
// any agent turn after the first line, so the replies range from a greeting or a question for the order number to
// the resolution, which is often two or three sentences.
import { Random } from "../../../random";
import { recordsFromChats } from "./chat-draw";

/** Version of the next-turn generator, written to meta.json. */
export const CHAT_NEXT_TURN_GENERATOR_VERSION = "1";

/** Indexes of the lines the agent speaks, the opening line excluded (a reply needs something to reply to). */
export function agentTurnIndexes(dialogue: string, customer: string): number[] {
  return dialogue
    .split("\n")
    .map((line, index) => ({ index, agent: !line.startsWith(`${customer}:`) }))
    .filter((t) => t.agent && t.index > 0)
    .map((t) => t.index);
}

/** Whole chats with the customer's tag and the index (0-based line) of the agent turn to write. */
export function generateChatNextTurnRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat, r) => {
    const turns = agentTurnIndexes(chat.dialogue, chat.customer);
    if (turns.length === 0) return null;
    return { dialogue: chat.dialogue, customer: chat.customer, turn: r.pick(turns) };
  }, "chat_next_turn");
}
