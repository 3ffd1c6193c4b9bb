// Customer-service chats without their summaries: the chat_summary generator's dialogues, drawn from the
// pretraining's own seed stream, so a model meets the chats' language before it is ever asked to summarize one.
// Most keep DialogSum's "#Person1#:" tags; some name the speakers by role or by the names the chat states.
// A chat that chat_summary ships (any split) is never used: the caller passes those dialogues to avoid.
import { Random } from "../../../random";
import { generateChatSummaryRecord } from "../chat-summary";

/** Version of the chat documents; bump when their text changes. */
export const CHAT_DOCUMENT_VERSION = "1";

/** Draws before giving up on finding a chat that is not to be avoided. */
const MAX_ATTEMPTS = 50;

/** A dialogue reduced to its turn texts, speakers left out, so relabeled speakers cannot hide a shipped chat. */
export function dialogueKey(dialogue: string): string {
  return dialogue
    .split("\n")
    .map((turn) => turn.slice(turn.indexOf(": ") + 2))
    .join("\n");
}

/** One chat as a document; `avoid` holds dialogueKey()s that must not come out. */
export function chatDocument(random: Random, avoid: ReadonlySet<string> = new Set()): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const record = generateChatSummaryRecord(random);
    if (avoid.has(dialogueKey(record.dialogue))) continue;
    const style = random.weightedIndex([6, 2, 2]);
    if (style === 0) return record.dialogue;
    const customerTag = record.customer;
    const label = (tag: string): string => {
      const isCustomer = tag === customerTag;
      if (style === 1) return isCustomer ? "Customer" : "Agent";
      return (isCustomer ? record.customer_name : record.agent_name) ?? (isCustomer ? "Customer" : "Agent");
    };
    return record.dialogue
      .split("\n")
      .map((turn) => {
        const colon = turn.indexOf(": ");
        return `${label(turn.slice(0, colon))}: ${turn.slice(colon + 2)}`;
      })
      .join("\n");
  }
  throw new Error(`pretraining chats: ${MAX_ATTEMPTS} chats in a row were among those to avoid.`);
}
