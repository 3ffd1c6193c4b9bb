// Classification over customer-service chats (trained): the issue type, the outcome, whether it was resolved, and
// which speaker is the customer. The issue and outcome labels are the `facts` labels of chat_summary, the words
// its summaries state. Records: src/lab/corpus/collection/chat-labels.ts.
import { TaskDefinition } from "../../../data/task";
import { ISSUE_TYPES, OUTCOMES } from "../../corpus/chat-summary";
import { RESOLVED_BY_OUTCOME, RESOLVED_LABELS } from "../../corpus/collection/chat-labels";
import { SPEAKER_TAGS, otherSpeaker } from "./chat-dialogue";
import { chatTask } from "./chat-task";
import { requireOneOf } from "./checks";
import { instructionTemplates, optionsBlock } from "./templates";

const ISSUE_OPTIONS = optionsBlock(ISSUE_TYPES);
const OUTCOME_OPTIONS = optionsBlock(OUTCOMES);
const YES_NO = optionsBlock(RESOLVED_LABELS);
const SPEAKER_OPTIONS = optionsBlock(SPEAKER_TAGS);

// Token budgets, measured as src/lab/tasks/collection.ts says (inputs: mean, p95, max): chat_issue_type 235, 312,
// 372; chat_outcome 240, 318, 392 (their OPTIONS lists of 15 and 16 labels add about 60 tokens to a chat);
// chat_resolved 216, 282, 369; chat_customer 218, 285, 355. Targets are labels of at most 5 tokens with </s>.
const CHAT_LABEL_TARGET_TOKENS = 8;

/** chat_issue_type: a chat -> its issue, one of 15 labels (classification). */
export const chatIssueTypeTask: TaskDefinition = chatTask({
  name: "chat_issue_type",
  description:
    `Classify a customer-service chat by the customer's problem: ${ISSUE_TYPES.join(", ")}. Customers rarely use ` +
    "the label's words (\"I was charged twice\" is a double charge).",
  templates: instructionTemplates("chat_issue_type", "{issue_type}", [
    `{dialogue}\n\nWhat is the customer's problem in this chat?\n${ISSUE_OPTIONS}`,
    `Classify the customer service chat by its issue.\n\n{dialogue}\n\n${ISSUE_OPTIONS}`,
    "Chat:\n{dialogue}\n\nIssue type:",
    "Read the conversation and name the issue the customer raised.\n\n{dialogue}\n\nIssue:",
    `What was this support chat about?\n\n{dialogue}\n\n${ISSUE_OPTIONS}`,
    "{dialogue}\n\nWhich kind of problem did the customer contact support about? Answer with a short label.",
  ], [
    `{dialogue}\n\nWhy did the customer get in touch?\n${ISSUE_OPTIONS}`,
    "Here is a chat between a customer and an agent.\n{dialogue}\nTopic of the chat:",
  ]),
  fields: (record) => ({ issue_type: String(record.issue_type) }),
  check: (record, _lines, where) => requireOneOf(record, "issue_type", ISSUE_TYPES, where),
  metric: "classification",
  primaryMetric: "accuracy",
  labels: [...ISSUE_TYPES],
  maxInputTokens: 416,
  maxTargetTokens: CHAT_LABEL_TARGET_TOKENS,
});

/** chat_outcome: a chat -> how the agent ended it, one of 16 labels (classification). */
export const chatOutcomeTask: TaskDefinition = chatTask({
  name: "chat_outcome",
  description:
    `Say what the agent offered or did at the end of a customer-service chat: ${OUTCOMES.join(", ")}. The agent ` +
    "words it in a sentence (\"I've refunded $45.99 to your card\" is a full refund).",
  templates: instructionTemplates("chat_outcome", "{outcome}", [
    `{dialogue}\n\nHow did the agent resolve the chat?\n${OUTCOME_OPTIONS}`,
    `Read the customer service chat and say what the agent offered or did in the end.\n\n{dialogue}\n\n${OUTCOME_OPTIONS}`,
    `{dialogue}\n\nWhat was the outcome of this conversation?\n${OUTCOME_OPTIONS}`,
    "Chat:\n{dialogue}\n\nOutcome:",
    "What did support do about the customer's problem?\n\n{dialogue}\n\nAnswer in a few words:",
    `{dialogue}\n\nWhat did the agent offer the customer?\n${OUTCOME_OPTIONS}`,
  ], [
    `Here is a support chat.\n{dialogue}\nHow did it end for the customer?\n${OUTCOME_OPTIONS}`,
    "{dialogue}\n\nIn a few words, what was the agent's final answer?",
  ]),
  fields: (record) => ({ outcome: String(record.outcome) }),
  check: (record, _lines, where) => requireOneOf(record, "outcome", OUTCOMES, where),
  metric: "classification",
  primaryMetric: "accuracy",
  labels: [...OUTCOMES],
  maxInputTokens: 432,
  maxTargetTokens: CHAT_LABEL_TARGET_TOKENS,
});

/** chat_resolved: a chat -> "yes" or "no", was the problem settled in the chat (classification). */
export const chatResolvedTask: TaskDefinition = chatTask({
  name: "chat_resolved",
  description:
    "Say whether a customer-service chat ended with the problem resolved: \"yes\" when the agent settled it (a " +
    "refund, replacement, return label, store credit, repair, new address, reset link, unlock, plan switch, " +
    "cancellation, or troubleshooting that worked), \"no\" when the customer must wait, was passed to a specialist " +
    "or was turned down. Half of each.",
  templates: instructionTemplates("chat_resolved", "{resolved}", [
    "{dialogue}\n\nWas the customer's problem solved in this chat? Answer yes or no.",
    `Read the chat. Did the agent settle the customer's request by the end?\n\n{dialogue}\n\n${YES_NO}`,
    `{dialogue}\n\nIs the issue resolved at the end of the conversation?\n${YES_NO}`,
    "Chat:\n{dialogue}\n\nResolved (yes or no):",
    "Was the problem taken care of during this support chat?\n\n{dialogue}\n\nAnswer yes or no:",
    "Here is a support conversation:\n{dialogue}\nDid it end with the problem fixed or settled? yes or no",
  ], [
    "{dialogue}\n\nCould the agent resolve the issue right away? Answer yes or no.",
    `Tell whether this customer service chat ended with the issue resolved.\n\n{dialogue}\n\n${YES_NO}`,
  ]),
  fields: (record) => ({ resolved: String(record.resolved) }),
  check(record, _lines, where) {
    const resolved = requireOneOf(record, "resolved", RESOLVED_LABELS, where);
    const outcome = requireOneOf(record, "outcome", OUTCOMES, where);
    const expected = RESOLVED_BY_OUTCOME[outcome];
    if (expected !== resolved) {
      throw new Error(`${where}: field "resolved" is "${resolved}", but outcome "${outcome}" means ${expected === undefined ? "no question is asked" : `"${expected}"`}.`);
    }
  },
  metric: "classification",
  primaryMetric: "accuracy",
  labels: [...RESOLVED_LABELS],
  maxInputTokens: 400,
  maxTargetTokens: CHAT_LABEL_TARGET_TOKENS,
});

/** chat_customer: a chat -> the customer's speaker tag (one template asks for the agent's), classification. */
export const chatCustomerTask: TaskDefinition = chatTask({
  name: "chat_customer",
  description:
    "Tell which speaker of a customer-service chat is the customer, #Person1# or #Person2# (whoever speaks first " +
    "is #Person1#, and either one may open the chat). One template asks for the agent instead.",
  templates: instructionTemplates("chat_customer", "{customer}", [
    "{dialogue}\n\nWho is the customer in this chat, #Person1# or #Person2#?",
    `Read the chat and tell which speaker is the customer.\n\n{dialogue}\n\n${SPEAKER_OPTIONS}`,
    { input: `{dialogue}\n\nWhich speaker works for customer support?\n${SPEAKER_OPTIONS}`, target: "{agent}" },
    "Chat:\n{dialogue}\n\nThe customer is:",
    "In the conversation below, one speaker has a problem and the other is a support agent. Which one is the customer?\n\n{dialogue}\n\nAnswer:",
    `{dialogue}\n\nWho contacted support with a problem?\n${SPEAKER_OPTIONS}`,
  ], [
    "Here is a support chat.\n{dialogue}\nWhich speaker tag belongs to the customer?",
    "{dialogue}\n\nWho needed help in this chat, #Person1# or #Person2#?",
  ]),
  fields: (record) => ({ customer: String(record.customer), agent: otherSpeaker(String(record.customer)) }),
  check(record, lines, where) {
    const customer = requireOneOf(record, "customer", SPEAKER_TAGS, where);
    if (!lines.some((line) => line.speaker === customer)) throw new Error(`${where}: field "customer" is ${customer}, who never speaks in field "dialogue".`);
  },
  metric: "classification",
  primaryMetric: "accuracy",
  labels: [...SPEAKER_TAGS],
  maxInputTokens: 384,
  maxTargetTokens: CHAT_LABEL_TARGET_TOKENS,
});
