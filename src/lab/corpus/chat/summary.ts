// Reference summaries in many styles: a who-did-what narrative, DialogSum's "#Person1# ... #Person2# ..." in the
// present tense, outcome first, passive voice, one sentence or two, with or without a remark about how the chat
// went. A fixed template alone would earn a high ROUGE-L; these vary wording and structure while always stating
// the issue and the outcome labels, and whichever of order number, product and amount they chose to state.
import { Random } from "../../../random";
import { ChatFlag, ChatSetup } from "./dialogue";
import { OUTCOME_SPECS } from "./outcomes";
import { expandRaw, upperFirst, Vars } from "./phrase";

export interface SummaryInput {
  setup: ChatSetup;
  /** The whole chat text, to check that the summary states nothing the chat does not. */
  chatText: string;
  flags: ReadonlySet<ChatFlag>;
  customerTag: string;
  agentTag: string;
}

type Tense = "past" | "present";

interface Frame {
  tense: Tense;
  text: string;
  /** Only for outcomes of this tone ("but" frames for refusals, "so" frames for help given). */
  tone?: "bad" | "notBad";
  needsNp?: boolean;
}

// {C} the customer as a sentence subject, {A} the agent; {I_*} and {O_*} the issue and outcome forms.
const FRAMES: readonly Frame[] = [
  { tense: "past", text: "{c} contacted [{company}|support|{company} support|customer service] about {I_np}. {a} {O_past}." },
  { tense: "past", text: "{c} [reached out|wrote in|got in touch] about {I_np}, and {a} {O_past}." },
  { tense: "past", text: "{c} {I_past}. {a} {O_past}." },
  { tense: "past", text: "{c} {I_past}, and {a} {O_past}." },
  { tense: "past", text: "{c} {I_past}, so {a} {O_past}.", tone: "notBad" },
  { tense: "past", text: "{c} {I_past}, but {a} {O_past}.", tone: "bad" },
  { tense: "past", text: "{c} {I_past}. In the end, {O_passive}." },
  { tense: "past", text: "{O_passive} after {c} {I_past}.", tone: "notBad" },
  { tense: "past", text: "After {c} {I_past}, {O_passive}." },
  { tense: "past", text: "{I_np} was {raised} by {c}, and {O_passive}." },
  { tense: "past", text: "{c} [chatted with|messaged] {a} about {I_np}, which ended with {O_np}.", needsNp: true },
  { tense: "past", text: "{a} {O_past} after {c} {I_past}.", tone: "notBad" },
  { tense: "present", text: "{c} {I_present}. {a} {O_present}." },
  { tense: "present", text: "{c} [contacts|messages|talks to] {a} about {I_np}. {a} {O_present}." },
  { tense: "present", text: "{c} {I_present}, and {a} {O_present}." },
  { tense: "present", text: "{c} {I_present}, but {a} {O_present}.", tone: "bad" },
];

const REMARKS: Record<Tense, Partial<Record<ChatFlag, readonly string[]>>> = {
  past: {
    frustrated: ["{c} was [frustrated|upset|annoyed][ about it|].", "{c} sounded [frustrated|upset] at first."],
    photo: ["{c} sent a photo of the damage.", "{c} shared a photo[ of the damage|]."],
    apology: ["{a} apologized for the [trouble|inconvenience|problem]."],
    verified: ["{a} verified {cs} identity first.", "{a} checked {cs} identity first."],
    thanked: ["{c} thanked {a}.", "{c} was happy with the [result|solution]."],
    unhappy: ["{c} was not happy with the answer.", "{c} was disappointed."],
  },
  present: {
    frustrated: ["{c} is [frustrated|upset]."],
    photo: ["{c} sends a photo of the damage."],
    apology: ["{a} apologizes for the [trouble|inconvenience]."],
    verified: ["{a} verifies {cs} identity first."],
    thanked: ["{c} thanks {a}.", "{c} is happy with the [result|solution]."],
    unhappy: ["{c} is not happy with the answer.", "{c} is disappointed."],
  },
};

const ROLE_CUSTOMER = { order: ["the customer", "the shopper", "the buyer"], account: ["the customer", "the user"], subscription: ["the customer", "the subscriber"] } as const;
const ROLE_AGENT = ["the agent", "the support agent", "the representative", "the agent"] as const;

/** Summaries outside this many words are redrafted (DialogSum's are mostly 15-35). */
const MIN_WORDS = 12;
const MAX_WORDS = 36;

/** The facts a summary may choose to state (issue and outcome it always states). */
export type OptionalFact = "order" | "product" | "amount";

/**
 * A summary of the chat drawn from `random`. `facts` fixes which optional facts it states (for a second summary of
 * a chat whose first one is known); without it they are drawn, as the shipped records were.
 */
export function writeSummary(random: Random, input: SummaryInput, facts?: ReadonlySet<OptionalFact>): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const summary = draftSummary(random, input, facts);
    const words = summary.split(" ").length;
    if (words >= MIN_WORDS && words <= MAX_WORDS && supportedByChat(summary, input)) return summary;
  }
  throw new Error(`chat summary: no summary consistent with the chat for issue "${input.setup.issue.type}", outcome "${input.setup.outcome}"`);
}

function draftSummary(random: Random, input: SummaryInput, facts?: ReadonlySet<OptionalFact>): string {
  const { setup, flags } = input;
  const issue = setup.issue;
  const outcome = OUTCOME_SPECS[setup.outcome];

  // Who is who: DialogSum tags, roles, or names where the chat gave them.
  const style = random.weightedIndex([4, 4, flags.has("customerName") || flags.has("agentName") ? 3 : 0]);
  let c: string;
  let a: string;
  if (style === 0) {
    c = input.customerTag;
    a = input.agentTag;
  } else {
    c = style === 2 && flags.has("customerName") ? setup.vars.customer : random.pick(ROLE_CUSTOMER[issue.kind]);
    a = style === 2 && flags.has("agentName") ? setup.vars.agent : random.pick(ROLE_AGENT);
  }
  // "#Person1#'s" and "Linda's" as DialogSum writes them; "their" rather than "the customer's".
  const cs = style === 0 || (c !== setup.vars.customer ? false : random.chance(0.5)) ? `${c}'s` : "their";

  // Which facts to state, and where the amount goes.
  const stated: Set<string> = facts ? new Set(facts) : drawFacts(random, input);
  const outcomeTakesAmount = [outcome.agentPast, outcome.passive].some((forms) => forms.some((f) => f.includes("{amount}")));
  const amountInOutcome = stated.has("amount") && outcomeTakesAmount && random.chance(0.6);
  const issueOn = new Set([...stated].filter((k) => !(k === "amount" && amountInOutcome)));
  // The outcome clause states the amount when it carries it, and knows whether the product was named already.
  const outcomeOn = new Set([...(amountInOutcome ? ["amount"] : []), ...(stated.has("product") ? ["product"] : [])]);

  const vars: Record<string, string> = {
    ...setup.vars,
    c,
    a,
    cs,
    reasonSummary: setup.decline ? expandRaw(setup.decline.summary, random, setup.vars) : "",
    fix: setup.fix?.summary ?? "",
    span: setup.wait ? expandRaw(setup.wait.span, random, setup.vars) : "",
    purpose: setup.wait ? random.pick(setup.wait.purpose) : "",
    raised: expandRaw(issue.raised ?? "[reported|raised]", random, setup.vars),
  };
  vars.item = itemPhrase(random, issueOn, { ...vars });

  const tone = outcome.tone;
  const frames = FRAMES.filter(
    (f) => (f.tone === undefined || (f.tone === "bad" ? tone === "bad" : tone !== "bad")) && (!f.needsNp || outcome.np.length > 0),
  );
  const frame = random.pick(frames);
  // An issue form that can carry the amount is preferred when the amount belongs to the issue clause.
  const pickIssue = (forms: readonly string[]) => {
    const carrying = forms.filter((f) => f.includes("{amount}"));
    const pool = issueOn.has("amount") && carrying.length > 0 ? carrying : forms;
    return expandRaw(random.pick(pool), random, vars, issueOn);
  };
  const parts: Vars = {
    ...vars,
    I_np: pickIssue(issue.np),
    I_past: pickIssue(issue.past),
    I_present: pickIssue(issue.present),
    O_past: expandRaw(random.pick(outcome.agentPast), random, vars, outcomeOn),
    O_present: expandRaw(random.pick(outcome.agentPresent), random, vars, outcomeOn),
    O_passive: expandRaw(random.pick(outcome.passive), random, vars, outcomeOn),
    O_np: outcome.np.length > 0 ? expandRaw(random.pick(outcome.np), random, vars, outcomeOn) : "",
  };
  let text = sentences(expandRaw(frame.text, random, parts));

  // Sometimes one remark about how the chat went.
  const remarkable = (Object.keys(REMARKS[frame.tense]) as ChatFlag[]).filter((f) => flags.has(f));
  if (remarkable.length > 0 && random.chance(0.45)) {
    const remark = REMARKS[frame.tense][random.pick(remarkable)]!;
    text = `${text} ${sentences(expandRaw(random.pick(remark), random, vars))}`;
  }
  return text;
}

/** The optional facts a summary states, drawn among those the chat states (the shipped records' draws, in order). */
function drawFacts(random: Random, { setup, chatText }: SummaryInput): Set<OptionalFact> {
  const has = (value: string | null) => value !== null && chatText.includes(value);
  const stated = new Set<OptionalFact>();
  if (has(setup.order) && random.chance(0.7)) stated.add("order");
  if (has(setup.product) && random.chance(0.85)) stated.add("product");
  if (has(setup.amount) && random.chance(0.75)) stated.add("amount");
  return stated;
}

/** How the summary names the order: product and order number, one of them, or neither. */
function itemPhrase(random: Random, on: ReadonlySet<string>, vars: Vars): string {
  const product = on.has("product");
  const order = on.has("order");
  const options = product && order
    ? ["the {product} from order {order}", "the {product} (order {order})", "the {product} in order {order}"]
    : product
      ? vars.cs === "their"
        ? ["the {product}", "the new {product}"]
        : ["the {product}", "{cs} {product}", "{cs} new {product}"]
      : order
        ? ["order {order}", "order number {order}", "order #{order}"]
        : ["a recent order", "an online order", "{cs} order"];
  return expandRaw(random.pick(options), random, vars);
}

/** Capitalize each sentence's first letter (tags and names are unchanged by it). */
function sentences(text: string): string {
  return text
    .split(/(?<=[.!?]) /)
    .map((s) => upperFirst(s))
    .join(" ");
}

/** Every time, place, percentage or plan a summary mentions must come from the chat. */
function supportedByChat(summary: string, input: SummaryInput): boolean {
  const v = input.setup.vars;
  const values = [v.weekday, `${v.pct}%`, v.team, v.endDate, v.city, v.street, v.newPlan, `${v.hours} hours`, `${v.days} business days`, v.wrong];
  for (const value of values) {
    if (value && summary.includes(value) && !input.chatText.includes(value)) return false;
  }
  const days = /(\d+) business days/.exec(summary);
  if (days && !input.chatText.includes(`${days[1]} business days`)) return false;
  return true;
}
