// Extraction over customer-service chats: the order number, the product, the dollar amount, or the order number
// and the amount together. A value is taken only where the generator vouches for it (chat_summary's `facts`,
// which it checks against the chat), so a chat that states the order number without its summary saying so is
// drawn again rather than guessed from the text. Each question has one right answer:
//   order number  digits as the chat writes them; "none" (null) only for account and plan chats, which never have one
//   product       the ordered product's name, only for order chats (a wrong-item chat names a second product too)
//   amount        only chats whose every dollar amount is that one (a price-adjustment chat has three)
import { Random } from "../../../random";
import { ChatSummaryRecord } from "../chat-summary";
import { dollarAmounts, issueKind, recordsFromChats, recordsWithWantedAnswers } from "./chat-draw";

/** Version of the chat extraction generators, written to meta.json. */
export const CHAT_FACTS_GENERATOR_VERSION = "1";

/** Share of order-number questions asked of a chat with no order, whose answer is "none". */
const NO_ORDER_SHARE = 0.2;

/** The only dollar amount of the chat (stated once or more), or null when it has none or several. */
export function singleAmount(dialogue: string): string | null {
  const amounts = new Set(dollarAmounts(dialogue));
  return amounts.size === 1 ? [...amounts][0] : null;
}

/** The chat's order number, null for a chat with no order, undefined when the chat's facts do not settle it. */
function orderNumberOf(chat: ChatSummaryRecord): string | null | undefined {
  if (chat.facts.order_number !== null) return chat.facts.order_number;
  return issueKind(chat.topic) === "order" ? undefined : null;
}

/** Chats with their order number, or null (answered "none") for a fifth of them. */
export function generateChatOrderNumberRecords(random: Random, count: number): Record<string, unknown>[] {
  const wantNone = (r: Random) => r.chance(NO_ORDER_SHARE);
  return recordsWithWantedAnswers(random, count, wantNone, (chat, none) => {
    const order = orderNumberOf(chat);
    if (order === undefined || (order === null) !== none) return null;
    return { dialogue: chat.dialogue, order_number: order };
  }, "chat_order_number");
}

/** Order chats with the product the customer ordered. */
export function generateChatProductRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat) => {
    if (chat.facts.product === null || issueKind(chat.topic) !== "order") return null;
    return { dialogue: chat.dialogue, product: chat.facts.product };
  }, "chat_product");
}

/** Chats that mention exactly one dollar amount, with that amount. */
export function generateChatAmountRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat) => {
    const amount = chat.facts.amount;
    if (amount === null || singleAmount(chat.dialogue) !== amount) return null;
    return { dialogue: chat.dialogue, amount };
  }, "chat_amount");
}

/** Chats stating both an order number and exactly one dollar amount (the held-out recombination). */
export function generateChatOrderAndAmountRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat) => {
    const { order_number: order, amount } = chat.facts;
    if (order === null || amount === null || singleAmount(chat.dialogue) !== amount) return null;
    return { dialogue: chat.dialogue, order_number: order, amount };
  }, "chat_order_and_amount");
}
