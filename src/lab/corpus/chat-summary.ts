// Synthetic customer-service chats with reference summaries: the project's practical case, in the spirit of
// DialogSum and the DeepLearning.AI "Generative AI with LLMs" Lab 2, where FLAN-T5 summarizes dialogues.
//
// A record is DialogSum-shaped: `dialogue` (turns joined by "\n", speakers "#Person1#" / "#Person2#", #Person1#
// being whoever speaks first, the customer or the agent), `summary` (one or two sentences), `topic` (the issue),
// plus what the generator knows and a reader of DialogSum does not:
//   customer       which tag is the customer ("#Person1#" or "#Person2#")
//   customer_name, agent_name   the names as the chat states them, or null when the chat never does
//   facts          { issue_type, order_number, product, amount, outcome }: exactly what the summary states; every
//                  non-null fact appears verbatim in the summary (order number, product and amount in the chat too),
//                  so facts can be scored exactly. issue_type and outcome are labels from ISSUE_TYPES and OUTCOMES.
// The pieces live in ./chat/: word lists (lexicon), issues, outcomes, the chat builder and the summary writer.
import { Random } from "../../random";
import { CITIES, FIRST_NAMES, LAST_NAMES, MONTHS, STREETS, WEEKDAYS } from "./vocabulary";
import { buildChat, ChatSetup } from "./chat/dialogue";
import { ISSUES, IssueSpec, IssueType } from "./chat/issues";
import { AGENT_NAMES, PERCENTS, PRODUCTS, Product, SERVICES, SHOPS, agreement, aProduct, dollars, formatDollars, orderNumber, priceText } from "./chat/lexicon";
import { Outcome } from "./chat/outcomes";

export { ISSUE_TYPES } from "./chat/issues";
export { OUTCOMES } from "./chat/outcomes";
export type { IssueType } from "./chat/issues";
export type { Outcome } from "./chat/outcomes";
import { OptionalFact, SummaryInput, writeSummary } from "./chat/summary";

export const CHAT_SUMMARY_GENERATOR_VERSION = "1";

export type SpeakerTag = "#Person1#" | "#Person2#";

export interface ChatFacts {
  issue_type: IssueType;
  order_number: string | null;
  product: string | null;
  amount: string | null;
  outcome: Outcome;
}

/** One generated chat (the build adds `id`). A type alias, so it is a Record<string, unknown>. */
export type ChatSummaryRecord = {
  dialogue: string;
  summary: string;
  topic: string;
  customer: SpeakerTag;
  customer_name: string | null;
  agent_name: string | null;
  facts: ChatFacts;
};

/** How often each issue comes up: everyday order problems more than account and plan changes. */
const ISSUE_WEIGHTS: Record<IssueType, number> = {
  "double charge": 3, "shipping delay": 4, "refund request": 4, "damaged item": 3, "wrong item": 3, "missing package": 3,
  "warranty repair": 2, "address change": 2, "price adjustment": 2, "late refund": 2, "promo code": 2,
  "password reset": 2, "locked account": 2, "subscription change": 2, "cancellation": 3,
};

const PROMO_CODES = ["SPRING20", "WELCOME10", "SAVE15", "FALL25", "THANKS10", "SUMMER15", "VIP20", "HELLO5"] as const;
const EMAIL_DOMAINS = ["example.com", "mail.com", "inbox.net"] as const;

export function generateChatSummaryRecords(random: Random, count: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) records.push(generateChatSummaryRecord(random));
  return records;
}

export function generateChatSummaryRecord(random: Random): ChatSummaryRecord {
  return generateChat(random).record;
}

/** A generated record and what its summary was written from (the record alone does not keep the chat's setup). */
export interface GeneratedChat {
  record: ChatSummaryRecord;
  content: SummaryInput;
}

/** One chat: the record generateChatSummaryRecord returns, with the content its summary was rendered from. */
export function generateChat(random: Random): GeneratedChat {
  const issue = ISSUES[random.weightedIndex(ISSUES.map((i) => ISSUE_WEIGHTS[i.type]))];
  const outcome = issue.outcomes[random.weightedIndex(issue.outcomes.map(([, w]) => w))][0];
  const setup = chatSetup(random, issue, outcome);
  const chat = buildChat(random, setup);

  const opener = chat.turns[0].speaker;
  const tag = (speaker: "C" | "A"): SpeakerTag => (speaker === opener ? "#Person1#" : "#Person2#");
  const dialogue = chat.turns.map((t) => `${tag(t.speaker)}: ${t.text}`).join("\n");
  const chatText = chat.turns.map((t) => t.text).join("\n");
  const content: SummaryInput = { setup, chatText, flags: chat.flags, customerTag: tag("C"), agentTag: tag("A") };
  const summary = writeSummary(random, content);

  const facts = factsOf(setup, summary);
  for (const [name, value] of Object.entries(facts)) {
    if (value === null) continue;
    if (!summary.includes(value)) throw new Error(`chat summary: fact ${name} "${value}" is not in the summary "${summary}"`);
    if (name !== "issue_type" && name !== "outcome" && !chatText.includes(value)) {
      throw new Error(`chat summary: fact ${name} "${value}" is not in the chat`);
    }
  }
  const record: ChatSummaryRecord = {
    dialogue,
    summary,
    topic: issue.type,
    customer: tag("C"),
    customer_name: chat.flags.has("customerName") ? setup.vars.customer : null,
    agent_name: chat.flags.has("agentName") ? setup.vars.agent : null,
    facts,
  };
  return { record, content };
}

/** What a summary of the chat states: the issue and outcome labels, and each value of the setup it mentions. */
export function factsOf(setup: ChatSetup, summary: string): ChatFacts {
  const stated = (value: string | null) => (value !== null && summary.includes(value) ? value : null);
  return {
    issue_type: setup.issue.type,
    order_number: stated(setup.order),
    product: stated(setup.product),
    amount: stated(setup.amount),
    outcome: setup.outcome,
  };
}

/** Draws of a second summary before concluding that the chat has only one wording with its facts. */
export const SECOND_SUMMARY_DRAWS = 25;

export interface SecondSummary {
  summary: string;
  /** No draw gave another text with the same facts: `summary` is the reference itself. */
  identical: boolean;
}

/**
 * Another summary of the same chat: the same generator with another draw of its wording, stating exactly the facts
 * the record's summary states (order number, product, amount, issue, outcome). A chat whose wording no draw
 * changes gets its own summary back, marked identical, rather than an invented one.
 */
export function secondSummary(chat: GeneratedChat, seed: number): SecondSummary {
  const { record, content } = chat;
  const facts = new Set<OptionalFact>();
  if (record.facts.order_number !== null) facts.add("order");
  if (record.facts.product !== null) facts.add("product");
  if (record.facts.amount !== null) facts.add("amount");
  const random = new Random(seed);
  for (let draw = 0; draw < SECOND_SUMMARY_DRAWS; draw++) {
    const summary = writeSummary(random, content, facts);
    // Fixing the facts is not exact (a fixed wording adds "offered {amount} in store credit", a clause form
    // without the amount drops it), hence the check.
    if (summary !== record.summary && sameFacts(factsOf(content.setup, summary), record.facts)) return { summary, identical: false };
  }
  return { summary: record.summary, identical: true };
}

function sameFacts(a: ChatFacts, b: ChatFacts): boolean {
  return (Object.keys(a) as (keyof ChatFacts)[]).every((key) => a[key] === b[key]);
}

/** Everything the chat and its summary may mention, drawn once per chat. */
function chatSetup(random: Random, issue: IssueSpec, outcome: Outcome): ChatSetup {
  const customer = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  let agent = random.pick(AGENT_NAMES) as string;
  while (agent === customer) agent = random.pick(AGENT_NAMES);
  const [due, weekday] = random.sample(WEEKDAYS, 2);
  const month = random.pick(MONTHS);
  const email = random.chance(0.6)
    ? `${customer.toLowerCase()}.${lastName.toLowerCase()}@${random.pick(EMAIL_DOMAINS)}`
    : `${customer.toLowerCase()}${random.int(10, 99)}@${random.pick(EMAIL_DOMAINS)}`;

  const vars: Record<string, string> = {
    customer,
    lastName,
    agent,
    email,
    due,
    weekday,
    month,
    date: `${month} ${random.int(1, 28)}`,
    endDate: `${random.pick(MONTHS)} ${random.int(1, 28)}`,
    days: random.pick(["3", "5", "7", "10"]),
    hours: random.pick(["12", "24", "48"]),
    pct: random.pick(PERCENTS),
    team: issue.team,
    zip: String(random.int(10000, 99999)),
    last4: String(random.int(1000, 9999)),
    street: `${random.int(2, 250)} ${random.pick(STREETS)}`,
    city: random.pick(CITIES),
    code: random.pick(PROMO_CODES),
    newPlan: "",
    oldPrice: "",
    paid: "",
    salePrice: "",
    wrong: "",
  };

  let product: Product | null = null;
  let order: string | null = null;
  let amount: string | null = null;
  if (issue.kind === "order") {
    const candidates = issue.needsWarranty ? PRODUCTS.filter((p) => p.warranty) : PRODUCTS;
    product = random.pick(candidates);
    vars.company = random.pick(SHOPS);
    order = orderNumber(random);
    const price = priceText(random, product.price);
    amount = price;
    if (issue.type === "price adjustment") {
      const paid = dollars(price);
      const drop = Math.max(3, Math.round(paid * random.pick([0.1, 0.15, 0.2, 0.25, 0.3])));
      vars.paid = price;
      vars.salePrice = formatDollars(paid - drop);
      amount = formatDollars(drop);
    }
    let other = random.pick(PRODUCTS);
    while (other.name === product.name) other = random.pick(PRODUCTS);
    vars.wrong = aProduct(other);
    Object.assign(vars, productVars(product));
  } else if (issue.kind === "subscription") {
    const service = random.pick(SERVICES);
    const [plan, newPlan] = random.sample(service.plans, 2);
    vars.company = service.name;
    vars.newPlan = newPlan;
    const price = priceText(random, [5, 30]);
    vars.oldPrice = price;
    amount = issue.type === "subscription change" ? priceText(random, [5, 30]) : price;
    Object.assign(vars, productVars({ name: plan, category: "home", price: [0, 0] }));
    product = { name: plan, category: "home", price: [0, 0] };
  } else {
    vars.company = random.chance(0.6) ? random.pick(SHOPS) : random.pick(SERVICES).name;
    Object.assign(vars, productVars({ name: "account", category: "home", price: [0, 0] }));
  }
  vars.amount = amount ?? "";
  vars.order = order ?? "";

  const setup: ChatSetup = {
    issue,
    outcome,
    vars,
    order,
    product: issue.kind === "account" ? null : product!.name,
    amount,
  };
  if (outcome === "wait") setup.wait = random.pick(issue.waits ?? []);
  if (outcome === "declined") setup.decline = random.pick(issue.declines ?? []);
  if (outcome === "troubleshooting") setup.fix = random.pick(issue.fixes ?? []);
  return setup;
}

/** The product and the words that agree with it ("it was" / "they were"). */
function productVars(product: Product): Record<string, string> {
  const plural = product.plural === true;
  return {
    product: product.name,
    a_product: aProduct(product),
    ...agreement(product),
    isnt: plural ? "aren't" : "isn't",
    doesnt: plural ? "don't" : "doesn't",
  };
}
