// chat_next_turn (trained): a customer-service chat up to one of the agent's turns -> that turn, scored by ROUGE.
// The record keeps the whole chat and the turn's line index; the input shows the lines before it. Replies run
// from "Hi, I'm Tom." to a two- or three-sentence resolution. Records: src/lab/corpus/collection/chat-next-turn.ts.
import { TaskDefinition } from "../../../data/task";
import { SPEAKER_TAGS, otherSpeaker } from "./chat-dialogue";
import { chatTask } from "./chat-task";
import { requireOneOf } from "./checks";
import { instructionTemplates } from "./templates";

/** chat_next_turn: the chat so far -> the agent's next message (generation, ROUGE-L). */
export const chatNextTurnTask: TaskDefinition = chatTask({
  name: "chat_next_turn",
  description:
    "Write the support agent's next message in a customer-service chat, given the chat so far (speakers #Person1# " +
    "and #Person2#; the prompt names the agent's tag): a greeting, a question for the order number or email, a " +
    "lookup, or the resolution, as the chat generator's agents write them.",
  templates: instructionTemplates("chat_next_turn", "{reply}", [
    "{context}\n\nWhat does {agent} say next?",
    "Continue this customer service chat with the next message from {agent}.\n\n{context}\n\nNext message:",
    "Here is the start of a support chat. {agent} is the agent.\n\n{context}\n\nWrite {agent}'s reply.",
    "Chat so far:\n{context}\n\nNext message from the support agent:",
    "You are {agent}, a customer support agent. Reply to the customer.\n\n{context}\n\nYour reply:",
    "{context}\n\nHow should the agent ({agent}) respond?",
  ], [
    "Predict the agent's next turn in this conversation ({agent} is the agent).\n\n{context}\n\nAgent:",
    "{context}\n\nWrite the next line of the dialogue, the one {agent} says.",
  ]),
  fields(record) {
    const lines = String(record.dialogue).split("\n");
    const turn = Number(record.turn);
    const agent = otherSpeaker(String(record.customer));
    return { context: lines.slice(0, turn).join("\n"), reply: lines[turn].slice(`${agent}: `.length), agent, customer: String(record.customer) };
  },
  check(record, lines, where) {
    const customer = requireOneOf(record, "customer", SPEAKER_TAGS, where);
    const turn = record.turn;
    if (typeof turn !== "number" || !Number.isInteger(turn) || turn < 1 || turn >= lines.length) {
      throw new Error(`${where}: field "turn" must be a line index from 1 to ${lines.length - 1}, got ${JSON.stringify(turn)}.`);
    }
    if (lines[turn].speaker === customer) throw new Error(`${where}: field "turn" (${turn}) points at a line of the customer (${customer}), not the agent.`);
  },
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs (the chat before the turn) mean 115, p95 220, max 311
  // tokens; replies mean 27, p95 61, max 88 (a resolution with a date and an amount).
  maxInputTokens: 336,
  maxTargetTokens: 96,
});
