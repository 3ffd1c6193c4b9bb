// chat_summary: a customer-service chat -> a one- or two-sentence summary (DialogSum-style), the "new task" of the
// experiments and the project's practical case. Records come from src/lab/corpus/chat-summary.ts; real
// DialogSum records (dialogue, summary, topic) validate too, since the generator's extra fields are optional.
import { TaskDefinition, TaskRecord } from "../../data/task";
import { asRecord, requireText } from "../../data/validate";

const SPEAKER_LINE = /^#Person\d+#: \S/;
const TAGS = ["#Person1#", "#Person2#"] as const;
const FACT_FIELDS = ["issue_type", "order_number", "product", "amount", "outcome"] as const;
const REQUIRED_FACTS = new Set(["issue_type", "outcome"]);

function optionalText(record: Record<string, unknown>, field: string, where: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.trim() === "") {
    throw new Error(`${where}: field "${field}" must be a non-empty string or null, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  }
  return value;
}

/** The dialogue: one turn per line, each "#PersonN#: text", at least two turns. */
function checkDialogue(dialogue: string, where: string): string[] {
  const lines = dialogue.split("\n");
  lines.forEach((line, i) => {
    if (!SPEAKER_LINE.test(line)) {
      throw new Error(`${where}: field "dialogue" line ${i + 1} does not start with a speaker tag like "#Person1#: " (got ${JSON.stringify(line.slice(0, 40))}).`);
    }
  });
  if (lines.length < 2) throw new Error(`${where}: field "dialogue" has ${lines.length} turn; a chat needs at least 2.`);
  return lines.map((line) => line.slice(0, line.indexOf(":")));
}

/** facts: { issue_type, order_number, product, amount, outcome }, each non-null value stated in the summary. */
function checkFacts(value: unknown, summary: string, where: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${where}: field "facts" must be an object with ${FACT_FIELDS.join(", ")}, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  }
  const facts = value as Record<string, unknown>;
  for (const key of Object.keys(facts)) {
    if (!(FACT_FIELDS as readonly string[]).includes(key)) throw new Error(`${where}: field "facts.${key}" is not a known fact (${FACT_FIELDS.join(", ")}).`);
  }
  for (const key of FACT_FIELDS) {
    const fact = facts[key];
    if (fact === null && !REQUIRED_FACTS.has(key)) continue;
    if (typeof fact !== "string" || fact.trim() === "") {
      const allowed = REQUIRED_FACTS.has(key) ? "a non-empty string" : "a non-empty string or null";
      throw new Error(`${where}: field "facts.${key}" must be ${allowed}, got ${JSON.stringify(fact)?.slice(0, 60)}.`);
    }
    if (key === "amount" && !/^\$\d+\.\d\d$/.test(fact)) throw new Error(`${where}: field "facts.amount" must look like "$45.99", got ${JSON.stringify(fact)}.`);
    if (key === "order_number" && !/^\d+$/.test(fact)) throw new Error(`${where}: field "facts.order_number" must be digits, got ${JSON.stringify(fact)}.`);
    if (!summary.includes(fact)) throw new Error(`${where}: field "facts.${key}" (${JSON.stringify(fact)}) does not appear in field "summary".`);
  }
}

export const chatSummaryTask: TaskDefinition = {
  name: "chat_summary",
  description:
    "Summarize a customer-service chat (2-12 turns between a customer and a support agent, speakers written #Person1# " +
    "and #Person2# as in DialogSum) in one or two sentences: the customer's problem (double charge, shipping delay, " +
    "refund request, damaged or wrong item, missing package, warranty repair, address change, price adjustment, late " +
    "refund, promo code, password reset, locked account, subscription change, cancellation) and how it ended. " +
    "Besides ROUGE, facts (order number, product, amount, outcome) can be scored exactly from the record's `facts`.",
  folder: "chat_summary",
  templates: [
    // DeepLearning.AI "Generative AI with LLMs", Lab 2: the prompt FLAN-T5 is fine-tuned with there.
    { id: "lab2", input: "Summarize the following conversation.\n\n{dialogue}\n\nSummary: ", target: "{summary}" },
    { id: "chat_summary_2", input: "Here is a chat between a customer and a support agent.\n\n{dialogue}\n\nWrite a brief summary of the chat.", target: "{summary}" },
    { id: "chat_summary_3", input: "{dialogue}\n\nWhat happened in this chat? Answer in one or two sentences.", target: "{summary}" },
    { id: "chat_summary_4", input: "Briefly summarize this customer service conversation:\n\n{dialogue}", target: "{summary}" },
    {
      id: "chat_summary_5",
      input: "In the chat below, {customer} is the customer and {agent} works for customer support.\n\n{dialogue}\n\nSummarize the chat.",
      target: "{summary}",
    },
    {
      id: "chat_summary_6",
      input: "Read the conversation and say what the customer needed and how it was resolved.\n\n{dialogue}",
      target: "{summary}",
    },
    {
      id: "chat_summary_7",
      input: "{dialogue}\n\nSum up this conversation between #Person1# and #Person2# in a sentence or two.",
      target: "{summary}",
      heldOut: true,
    },
    {
      id: "chat_summary_8",
      input: "A manager wants a short note about this support chat: what was the problem, and how did it end?\n\n{dialogue}",
      target: "{summary}",
      heldOut: true,
    },
  ],
  fields(record: TaskRecord): Record<string, string> {
    const customer = typeof record.customer === "string" ? record.customer : "#Person1#";
    return {
      dialogue: String(record.dialogue),
      summary: String(record.summary),
      topic: String(record.topic ?? ""),
      customer,
      agent: customer === "#Person1#" ? "#Person2#" : "#Person1#",
    };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    const speakers = checkDialogue(requireText(r, "dialogue", where), where);
    const summary = requireText(r, "summary", where);
    requireText(r, "topic", where);
    if (r.customer !== undefined) {
      if (!(TAGS as readonly unknown[]).includes(r.customer)) {
        throw new Error(`${where}: field "customer" must be "#Person1#" or "#Person2#", got ${JSON.stringify(r.customer)?.slice(0, 60)}.`);
      }
      if (!speakers.includes(r.customer as string)) throw new Error(`${where}: field "customer" is ${r.customer}, who never speaks in the dialogue.`);
    }
    optionalText(r, "customer_name", where);
    optionalText(r, "agent_name", where);
    if (r.facts !== undefined) checkFacts(r.facts, summary, where);
  },
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured on 3,000 generated records x 8 templates with an 1,800-piece Unigram (spm_train, split digits, the
  // project's flags) trained on chat text alone (it holds too few distinct words for more pieces): inputs mean 222,
  // p95 291, max 357 tokens; targets mean 39, p95 56, max 74 (digits cost one token each: an order number is 6-8,
  // "$45.99" is 6). A larger vocabulary only shortens these.
  maxInputTokens: 384,
  maxTargetTokens: 80,
};
