// Extraction over customer-service chats (trained): the order number, the product, the dollar amount. Answers
// are copied from the chat and scored by exact match (SQuAD-normalized, so "#9699129" or "The blender." count).
// Records: src/lab/corpus/collection/chat-facts.ts.
import { TaskDefinition } from "../../../data/task";
import { requireText } from "../../../data/validate";
import { longDigitRuns } from "../../corpus/collection/chat-draw";
import { singleAmount } from "../../corpus/collection/chat-facts";
import { chatTask } from "./chat-task";
import { requireOccurs } from "./checks";
import { instructionTemplates } from "./templates";

/** The answer of chat_order_number for a chat without an order. */
export const NO_ORDER_NUMBER = "none";

// Token budgets of the three tasks (a whole chat in, a short span out), measured as src/lab/tasks/collection.ts
// says: inputs mean 213-217, p95 282, max 334-353 tokens; answers at most 10 (an 8-digit order number, </s>).
const CHAT_EXTRACTION_BUDGETS = { maxInputTokens: 384, maxTargetTokens: 16 };

/** The order number field: null, with no order-number-like digits in the chat, or 6-8 digits the chat states. */
export function checkOrderNumber(record: Record<string, unknown>, where: string): void {
  const dialogue = String(record.dialogue);
  if (record.order_number === null) {
    const digits = longDigitRuns(dialogue);
    if (digits.length > 0) throw new Error(`${where}: field "order_number" is null, but field "dialogue" has what looks like one (${digits[0]}).`);
    return;
  }
  const order = requireText(record, "order_number", where);
  if (!/^[1-9]\d{5,7}$/.test(order)) throw new Error(`${where}: field "order_number" must be 6-8 digits or null, got ${JSON.stringify(order)}.`);
  requireOccurs(order, "order_number", dialogue, "dialogue", where);
}

/** The amount field: "$45.99", the one dollar amount the chat states. */
export function checkAmount(record: Record<string, unknown>, where: string): void {
  const amount = requireText(record, "amount", where);
  if (!/^\$\d+\.\d\d$/.test(amount)) throw new Error(`${where}: field "amount" must look like "$45.99", got ${JSON.stringify(amount)}.`);
  if (singleAmount(String(record.dialogue)) !== amount) throw new Error(`${where}: field "amount" ${amount} is not the one dollar amount of field "dialogue".`);
}

/** chat_order_number: a chat -> its order number, or "none" (extractive, exact match). */
export const chatOrderNumberTask: TaskDefinition = chatTask({
  name: "chat_order_number",
  description:
    "Copy the order number (6-8 digits) from a customer-service chat, or answer \"none\" when the chat is about an " +
    "account or a subscription and has no order. Chats come from chat_summary's generator, on their own seeds.",
  templates: instructionTemplates("chat_order_number", "{order_number}", [
    "{dialogue}\n\nWhat is the order number in this chat? If there is none, answer \"none\".",
    "Read the customer service chat and find the order number.\n\n{dialogue}\n\nOrder number:",
    "Which order is the customer asking about? Give the order number from the chat below, or \"none\" if it has none.\n\n{dialogue}\n\nAnswer:",
    "Chat:\n{dialogue}\n\nCopy the order number mentioned in the chat (or write none).",
    "Extract the order number from this conversation between a customer and an agent.\n\n{dialogue}\n\nOrder number:",
    "{dialogue}\n\nQuestion: What order number did the customer give? Answer with the number only, or none.",
  ], [
    "Here is a support chat.\n{dialogue}\nWhat's the number of the order being discussed? (none if no order is mentioned)",
    "{dialogue}\n\nFind the order number in the conversation above.",
  ]),
  fields: (record) => ({ order_number: record.order_number === null ? NO_ORDER_NUMBER : String(record.order_number) }),
  check: (record, _lines, where) => checkOrderNumber(record, where),
  metric: "extractive_qa",
  primaryMetric: "exactMatch",
  ...CHAT_EXTRACTION_BUDGETS,
});

/** chat_product: an order chat -> the product ordered (extractive, exact match). */
export const chatProductTask: TaskDefinition = chatTask({
  name: "chat_product",
  description:
    "Name the product the customer ordered, as a customer-service chat writes it (\"coffee grinder\", \"running " +
    "shoes\"). Only order chats; in a wrong-item chat the answer is the ordered product, not the one delivered.",
  templates: instructionTemplates("chat_product", "{product}", [
    "{dialogue}\n\nWhich product is this chat about?",
    "Read the chat and name the product the customer ordered.\n\n{dialogue}\n\nProduct:",
    "What item did the customer buy? Answer with the product's name as written in the chat.\n\n{dialogue}\n\nAnswer:",
    "Chat:\n{dialogue}\n\nWhat did the customer order, according to the chat?",
    "Extract the product the customer is writing about from this support conversation.\n\n{dialogue}\n\nProduct:",
    "{dialogue}\n\nQuestion: Which product did the customer order?\nAnswer:",
  ], [
    "Here is a conversation with customer support.\n{dialogue}\nWhat was bought?",
    "{dialogue}\n\nName the item the customer contacted support about.",
  ]),
  fields: (record) => ({ product: String(record.product) }),
  check: (record, _lines, where) => requireOccurs(requireText(record, "product", where), "product", String(record.dialogue), "dialogue", where),
  metric: "extractive_qa",
  primaryMetric: "exactMatch",
  ...CHAT_EXTRACTION_BUDGETS,
});

/** chat_amount: a chat with one dollar amount -> that amount (extractive, exact match). */
export const chatAmountTask: TaskDefinition = chatTask({
  name: "chat_amount",
  description:
    "Copy the dollar amount (\"$45.99\") from a customer-service chat that mentions exactly one (a price, a charge, a " +
    "refund, a monthly fee), as the chat writes it.",
  templates: instructionTemplates("chat_amount", "{amount}", [
    "{dialogue}\n\nWhat amount of money is mentioned in this chat?",
    "Read the chat and find the dollar amount.\n\n{dialogue}\n\nAmount:",
    "How much money is this conversation about? Copy the amount from the chat.\n\n{dialogue}\n\nAnswer:",
    "Chat:\n{dialogue}\n\nWhich price or amount in dollars comes up in the chat?",
    "Extract the amount of money from this customer service conversation.\n\n{dialogue}\n\nAmount:",
    "{dialogue}\n\nQuestion: How much money did the customer and the agent talk about?\nAnswer:",
  ], [
    "Here is a support chat.\n{dialogue}\nWhat is the dollar amount in it?",
    "{dialogue}\n\nWhat sum of money is at stake in the conversation above?",
  ]),
  fields: (record) => ({ amount: String(record.amount) }),
  check: (record, _lines, where) => checkAmount(record, where),
  metric: "extractive_qa",
  primaryMetric: "exactMatch",
  ...CHAT_EXTRACTION_BUDGETS,
});
