// One-line titles for customer-service chats, as a ticket system shows them: "Double charge on order 9699129:
// full refund issued". Held out from training: it asks for the issue and the outcome (trained as labels) in the
// headline style that review titles train, so a model can only do it by recombining the two.
import { Random } from "../../../random";
import { capitalize } from "../vocabulary";
import { ChatSummaryRecord } from "../chat-summary";
import { IssueType } from "../chat/issues";
import { Outcome } from "../chat/outcomes";
import { recordsFromChats } from "./chat-draw";

/** Version of the chat-title generator, written to meta.json. */
export const CHAT_TITLE_GENERATOR_VERSION = "1";

const ISSUE_HEADLINES: Readonly<Record<IssueType, readonly string[]>> = {
  "double charge": ["double charge", "charged twice"],
  "shipping delay": ["shipping delay", "late delivery"],
  "refund request": ["refund request", "refund wanted"],
  "damaged item": ["damaged item", "item arrived damaged"],
  "wrong item": ["wrong item", "wrong item delivered"],
  "missing package": ["missing package", "package never arrived"],
  "warranty repair": ["warranty repair", "repair under warranty"],
  "address change": ["address change", "new delivery address"],
  "price adjustment": ["price adjustment", "price dropped after purchase"],
  "late refund": ["late refund", "refund still missing"],
  "promo code": ["promo code", "promo code not working"],
  "password reset": ["password reset", "forgotten password"],
  "locked account": ["locked account", "account locked"],
  "subscription change": ["subscription change", "plan change"],
  cancellation: ["cancellation", "subscription cancellation"],
};

const OUTCOME_HEADLINES: Readonly<Record<Outcome, readonly string[]>> = {
  "full refund": ["full refund issued", "refunded in full"],
  "partial refund": ["partial refund issued", "difference refunded"],
  "store credit": ["store credit offered", "store credit given"],
  "return label": ["return label sent", "return arranged"],
  replacement: ["replacement sent", "replacement on the way"],
  discount: ["discount offered", "discount given"],
  wait: ["customer asked to wait", "customer told to wait"],
  specialist: ["escalated to a specialist", "passed to a specialist"],
  declined: ["request declined", "request turned down"],
  troubleshooting: ["fixed by troubleshooting", "solved with troubleshooting"],
  "free repair": ["free repair booked", "repaired for free"],
  "new address": ["address updated", "new address saved"],
  "reset link": ["reset link sent", "password reset link sent"],
  unlocked: ["account unlocked", "unlocked after a check"],
  switched: ["plan switched", "switched to a new plan"],
  cancelled: ["subscription cancelled", "plan cancelled"],
};

/** What the title says the chat was about: the order, the product, or nothing more than the issue. */
function subject(random: Random, chat: ChatSummaryRecord): string {
  const options = [""];
  if (chat.facts.order_number !== null) options.push(` on order ${chat.facts.order_number}`);
  if (chat.facts.product !== null) options.push(` for the ${chat.facts.product}`);
  return random.pick(options);
}

/** Between the issue and the outcome of a title. */
const SEPARATORS = [": ", ", ", " - "];

/** A title naming the chat's issue (with its order or product, sometimes) and then its outcome. */
export function chatTitle(random: Random, chat: ChatSummaryRecord): string {
  const issue = random.pick(ISSUE_HEADLINES[chat.facts.issue_type]) + subject(random, chat);
  return capitalize(issue) + random.pick(SEPARATORS) + random.pick(OUTCOME_HEADLINES[chat.facts.outcome]);
}

/** Chats with a title and the two labels the title states. */
export function generateChatTitleRecords(random: Random, count: number): Record<string, unknown>[] {
  return recordsFromChats(random, count, (chat, r) => ({
    dialogue: chat.dialogue,
    title: chatTitle(r, chat),
    issue_type: chat.facts.issue_type,
    outcome: chat.facts.outcome,
  }), "chat_title");
}
