// chat_order_and_amount (held out): a customer-service chat -> its order number and its dollar amount, as
// "9699129 [order number]; $119.95 [amount]". Nothing trains it: it recombines chat_order_number and chat_amount
// with entity_recognition's "text [type]" list, and the entities metric gives credit for each of the two.
// Records: src/lab/corpus/collection/chat-facts.ts.
import { TaskDefinition } from "../../../data/task";
import { requireText } from "../../../data/validate";
import { checkAmount, checkOrderNumber } from "./chat-facts";
import { chatTask } from "./chat-task";
import { instructionTemplates } from "./templates";

/** The two typed values of a record, in entity_recognition's list format. */
export function orderAndAmountList(orderNumber: string, amount: string): string {
  return `${orderNumber} [order number]; ${amount} [amount]`;
}

/** chat_order_and_amount: a chat -> "<order> [order number]; <amount> [amount]" (entities F1); held out. */
export const chatOrderAndAmountTask: TaskDefinition = chatTask({
  name: "chat_order_and_amount",
  description:
    "List the order number and the dollar amount of a customer-service chat with their types, as " +
    "\"9699129 [order number]; $119.95 [amount]\". Every chat states both, and one amount only.",
  templates: instructionTemplates("chat_order_and_amount", "{answer}", [
    "{dialogue}\n\nList the order number and the amount of money in this chat, each followed by its type in brackets, like \"123456 [order number]; $10.00 [amount]\".",
    "Extract the order number and the dollar amount from the chat below, written as: number [order number]; amount [amount].\n\n{dialogue}\n\nAnswer:",
    "Chat:\n{dialogue}\n\nWhich order number and which amount does the chat mention? Tag them [order number] and [amount].",
    "Find two facts in this support conversation, the order number and the amount, and label each in brackets.\n\n{dialogue}\n\nFacts:",
    "{dialogue}\n\nWrite the order number and the price or charge from the chat, as \"<number> [order number]; <amount> [amount]\".",
    "Read the customer service chat and list its order number and dollar amount with their types.\n\n{dialogue}\n\nList:",
  ], [
    "Here is a support chat.\n{dialogue}\nGive its order number and amount, each with a [type] tag.",
    "{dialogue}\n\nOrder number and amount, labeled in brackets:",
  ]),
  fields: (record) => ({ answer: orderAndAmountList(String(record.order_number), String(record.amount)) }),
  check(record, _lines, where) {
    requireText(record, "order_number", where);
    checkOrderNumber(record, where);
    checkAmount(record, where);
  },
  metric: "entities",
  primaryMetric: "f1",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 235, p95 300, max 346 tokens; answers 22-24.
  maxInputTokens: 384,
  maxTargetTokens: 32,
});
