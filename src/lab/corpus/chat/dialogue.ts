// From a chat's setup (issue, outcome, values) to its turns: greeting, the problem, details given or asked for,
// the agent's checks, side talk, troubleshooting, the resolution, and a closing. Consecutive lines of one speaker
// become one turn. Chats longer than MAX_TURNS lose their least important side exchanges until they fit.
import { Random } from "../../../random";
import { Fix, IssueSpec, Line, Reason, Speaker, WaitOption } from "./issues";
import { HOLD_LINES, SMALL_TALK, WAITING_LINES } from "./lexicon";
import { OUTCOME_SPECS, Outcome, REACTIONS } from "./outcomes";
import { expand, expandRaw, say, Vars } from "./phrase";

export const MIN_TURNS = 2;
export const MAX_TURNS = 12;

export interface ChatSetup {
  issue: IssueSpec;
  outcome: Outcome;
  vars: Vars;
  /** The values the chat may state (null where the issue has none, e.g. no order for a locked account). */
  order: string | null;
  product: string | null;
  amount: string | null;
  wait?: WaitOption;
  decline?: Reason;
  fix?: Fix;
}

export interface Turn {
  speaker: Speaker;
  text: string;
}

/** What happened in the chat beyond its facts, for the summary's optional remarks. */
export type ChatFlag = "frustrated" | "photo" | "apology" | "verified" | "thanked" | "unhappy" | "customerName" | "agentName";

interface Move {
  speaker: Speaker;
  text: string;
  group: number;
  /** 0: never dropped; otherwise higher is dropped first when the chat is too long. */
  drop: number;
  flags: ChatFlag[];
}

export interface BuiltChat {
  turns: Turn[];
  flags: Set<ChatFlag>;
}

const GREETINGS_AGENT = [
  "[Hi|Hello|Good morning|Good afternoon], [thanks for contacting|welcome to] {company} [support|customer service]! [My name is {agent}|This is {agent}|I'm {agent}]. [How can I help you today?|What can I do for you?|How may I help?]",
  "[Hi|Hello] there, you're chatting with {agent} from {company}. [How can I help?|What can I do for you today?]",
];
const GREETINGS_AGENT_ANONYMOUS = [
  "[Hi|Hello], [thanks for reaching out to|welcome to] {company} [support|help]. How can I help you today?",
  "[Hi there|Hello]! What can I help you with today?",
];
const CUSTOMER_HELLO = ["Hi.", "Hello.", "Hi there.", "Hello, is anyone there?", "Hi, I need some help[ with an order|]."];
const AGENT_REPLY_HELLO = [
  "Hi! [This is {agent}|{agent} here]. [How can I help?|What can I do for you?]",
  "Hello, my name is {agent}. [What's going on?|How can I help you today?]",
];
const NEUTRAL_EMPATHY = ["[Sure|Of course], I can help with that.", "[Happy to help|No problem].", "Sure thing."];
const EMPATHY = [
  "[I'm sorry to hear that|Oh no, I'm sorry about that|Sorry about that|That's not good, I'm sorry].",
  "[Let's get that sorted|I can help with that|Let's see what happened].",
  "[Thanks for letting us know|Thanks for reaching out about this].",
];
const FRUSTRATION = [
  "[Honestly|To be honest], I'm [pretty|really] [frustrated|annoyed] about this.",
  "I really don't have time for this[ today|].",
  "I've already wasted [a lot of time|half my morning] on this.",
  "I'm not happy, [this should not happen|I expected better from you].",
];
const ASK_ORDER = [
  "Could you give me the order number?",
  "[Do you have|Can you share] the order number?",
  "What's the order number, please?",
  "Can I get your order number so I can [look it up|check]?",
];
const GIVE_ORDER = ["Sure, it's {order}.", "{order}.", "It's #{order}.", "[Let me find it. |]Here it is: {order}.", "It's order {order}."];
const VOLUNTEER_ORDER = ["[Oh, and|Also,] the order number is {order}[ if that helps|].", "My order number is {order}.", "It's order #{order}."];
const ASK_EMAIL = ["What's the email on your account?", "Could you give me the email address you ordered with?", "Can you tell me the email linked to your account?"];
const GIVE_EMAIL = ["It's {email}.", "Sure, {email}.", "It should be {email}."];
const ASK_PRODUCT = ["Which item is it?", "What did you order?", "Which product is this about?"];
const GIVE_PRODUCT = ["{a_product}.", "The {product}.", "It's {a_product}[ I bought on {date}|]."];
const VOLUNTEER_PRODUCT = ["It was {a_product}, by the way.", "It's the {product}[ I got on {date}|].", "The order was {a_product}."];
const ASK_NAME = ["May I have your name, please?", "Can I get your full name?", "Who am I speaking with?"];
const GIVE_NAME = ["{customer} {lastName}.", "It's {customer} {lastName}.", "{customer}."];
const SELF_INTRO = ["This is {customer}.", "My name is {customer}.", "I'm {customer}."];
const VERIFY_ASK = [
  "[For security,|Before I make changes,] can you confirm the email on the account and your billing zip code?",
  "I just need to verify you first. What's your email and zip code?",
];
const VERIFY_GIVE = ["It's {email}, and the zip is {zip}.", "Sure, {email}, zip code {zip}."];
const FOLLOW_UPS: readonly Line[][] = [
  [["C", "Will I get an email about this?"], ["A", "Yes, [in a few minutes|shortly], with all the details."]],
  [["C", "Do I need to do anything else?"], ["A", "No, [you're all set|nothing else on your end]."]],
  [["C", "Can I get that in writing?"], ["A", "Of course, I'll send a copy of this chat to your email."]],
];
const ANYTHING_ELSE = ["Is there anything else I can help you with?", "Anything else I can do for you today?", "Is there anything else?"];
const THAT_IS_ALL = ["No, that's all[, thanks|].", "No, I'm good[, thank you|].", "Nope, that was it."];
const GOODBYE_AGENT = ["[Have a great day|Take care|Have a good evening]<customerName:, {customer}>!", "Thanks for your patience. [Bye|Take care]!"];
const GOODBYE_CUSTOMER = ["You too!", "Thanks, bye.", "Bye!"];

export function buildChat(random: Random, setup: ChatSetup): BuiltChat {
  const v = setup.vars;
  const moves: Move[] = [];
  let group = 0;
  const push = (speaker: Speaker, text: string, drop: number, flags: ChatFlag[] = [], sameGroup = false) => {
    if (!sameGroup) group++;
    moves.push({ speaker, text, group, drop, flags });
  };
  const text = () => moves.map((m) => m.text).join(" ");
  const said = (value: string | null) => value !== null && text().includes(value);

  const agentIntroduced = random.chance(0.7);
  const customerOpens = random.chance(0.55);
  const compact = setup.outcome !== "troubleshooting" && setup.outcome !== "unlocked" && random.chance(0.08);

  if (compact) {
    buildCompact(random, setup, push, said, customerOpens, agentIntroduced);
  } else {
    // Opening.
    if (!customerOpens) {
      push("A", say(agentIntroduced ? GREETINGS_AGENT : GREETINGS_AGENT_ANONYMOUS, random, v), 0, agentIntroduced ? ["agentName"] : []);
      if (random.chance(0.4)) push("C", say(agentIntroduced ? ["Hi[, {agent}|].", "Hello.", "Hi there."] : ["Hi.", "Hello.", "Hi there."], random, v), 0, [], true);
    } else if (random.chance(0.4)) {
      push("C", say(CUSTOMER_HELLO, random, v), 0);
      push("A", say(agentIntroduced ? AGENT_REPLY_HELLO : GREETINGS_AGENT_ANONYMOUS, random, v), 0, agentIntroduced ? ["agentName"] : []);
    } else if (random.chance(0.5)) {
      push("C", say(["Hi.", "Hello,", "Hi there,", "Hey,"], random, v), 0);
    }
    if (random.chance(0.15)) push("C", say(SELF_INTRO, random, v), 0, ["customerName"]);
    push("C", say(setup.issue.problem, random, v), 0);
    const calm = setup.issue.kind === "subscription" || setup.issue.type === "address change" || setup.issue.type === "price adjustment";
    if (!calm && random.chance(0.2)) push("C", say(FRUSTRATION, random, v), 2, ["frustrated"]);

    // The agent's first reaction.
    if (customerOpens && !moves.some((m) => m.speaker === "A")) {
      push("A", say(agentIntroduced ? ["Hi, I'm {agent}.", "Hello, this is {agent}.", "Hi, {agent} here."] : ["Hi there.", "Hello."], random, v), 0, agentIntroduced ? ["agentName"] : []);
    }
    if (random.chance(0.6)) push("A", say(calm ? NEUTRAL_EMPATHY : EMPATHY, random, v), 0);
    const sideTalkFrom = moves.length;

    const verifyNeeded = setup.outcome === "unlocked" || (setup.issue.kind !== "order" && random.chance(0.4));
    addDetails(random, setup, push, said, verifyNeeded);

    if (random.chance(0.2) && !moves.some((m) => m.flags.includes("customerName"))) {
      push("A", say(ASK_NAME, random, v), 3);
      push("C", say(GIVE_NAME, random, v), 3, ["customerName"], true);
    }
    if (verifyNeeded) {
      push("A", say(VERIFY_ASK, random, v), 0);
      push("C", say(VERIFY_GIVE, random, v), 0, ["verified"], true);
    }
    if (random.chance(0.35)) {
      const afterCustomer = moves[moves.length - 1].speaker === "C";
      push("A", (afterCustomer ? random.pick(["Thanks. ", "Thank you. ", ""]) : "") + say(HOLD_LINES, random, v), 4);
      if (random.chance(0.4)) push("C", say(WAITING_LINES, random, v), 4, [], true);
    }
    if (setup.issue.kind !== "order" || random.chance(0.75) || (setup.product !== null && !said(setup.product))) {
      const afterCustomer = moves[moves.length - 1].speaker === "C";
      const lookup = lookupLine(random, setup, said);
      const acknowledged = /^(Okay|Yes|Thanks|Thank you|I'm sorry)\b/.test(lookup);
      push("A", (afterCustomer && !acknowledged ? random.pick(["Thanks. ", "Okay. ", "Thank you. ", ""]) : "") + lookup, 0);
    }

    // Side exchanges and small talk, in random order.
    const sides: Line[][] = [];
    for (const extra of random.sample(setup.issue.extras, random.weightedIndex([4, 4, 1]))) sides.push(extra.slice());
    const talk = random.chance(0.25) ? random.pick(SMALL_TALK) : null;
    for (const exchange of random.shuffle(sides)) {
      const lines = exchange.map(([speaker, pattern]) => [speaker, expand(pattern, random, v)] as const);
      // Skip a question whose answer was already given (the order number, the code, the plan).
      const repeats = [setup.order, setup.product, v.code, v.newPlan, v.email, v.zip].some(
        (value) => value && lines.some(([speaker, line]) => speaker === "C" && line.includes(value)) && said(value),
      );
      if (repeats) continue;
      let first = true;
      for (const [speaker, line] of lines) {
        const flags: ChatFlag[] = /photo/.test(line) && speaker === "C" ? ["photo"] : [];
        push(speaker, line, 3, flags, !first);
        first = false;
      }
    }
    if (talk) {
      const pair: Line[] = talk.customerFirst ? [["C", talk.customer], ["A", talk.agent]] : [["A", talk.agent], ["C", talk.customer]];
      // Between two exchanges, after the problem statement, before the resolution.
      const gaps: number[] = [];
      for (let i = sideTalkFrom; i <= moves.length; i++) {
        if (i === moves.length || moves[i].group !== moves[i - 1].group) gaps.push(i);
      }
      const at = random.pick(gaps);
      const group0 = ++group;
      moves.splice(at, 0, ...pair.map(([speaker, p]) => ({ speaker, text: expand(p, random, v), group: group0, drop: 5, flags: [] as ChatFlag[] })));
    }

    // Troubleshooting, then the resolution.
    if (setup.fix) {
      let first = true;
      for (const [speaker, pattern] of setup.fix.lines) {
        push(speaker, expand(pattern, random, v), 0, [], !first);
        first = false;
      }
    }
    const resolution = resolutionLine(random, setup);
    push("A", resolution, 0);
    // An offer ("Would that work?") gets its answer before anything else.
    const offer = resolution.endsWith("?");
    if (!offer && random.chance(0.2)) {
      const followUp = random.pick(FOLLOW_UPS);
      push(followUp[0][0], expand(followUp[0][1], random, v), 4);
      push(followUp[1][0], expand(followUp[1][1], random, v), 4, [], true);
    }
    const tone = OUTCOME_SPECS[setup.outcome].tone;
    if (offer || random.chance(0.75)) push("C", say(REACTIONS[tone], random, v), offer ? 0 : 2, tone === "bad" ? ["unhappy"] : []);
    if (random.chance(0.45)) {
      push("A", say(ANYTHING_ELSE, random, v), 4);
      if (random.chance(0.9)) push("C", say(THAT_IS_ALL, random, v), 4, [], true);
      if (random.chance(0.5)) {
        const on = new Set(moves.some((m) => m.flags.includes("customerName")) ? ["customerName"] : []);
        push("A", expand(random.pick(GOODBYE_AGENT), random, v, on), 6);
        if (random.chance(0.4)) push("C", say(GOODBYE_CUSTOMER, random, v), 6, [], true);
      }
    }
  }

  const kept = trimToTurns(moves, MAX_TURNS);
  const turns = mergeTurns(kept);
  const flags = new Set<ChatFlag>(kept.flatMap((m) => m.flags));
  const all = turns.map((t) => t.text).join(" ");
  if (turns.some((t) => t.speaker === "A" && /\b(sorry|apologies|apologize)\b/i.test(t.text))) flags.add("apology");
  if (turns.some((t) => t.speaker === "C" && /\bthank/i.test(t.text)) && OUTCOME_SPECS[setup.outcome].tone === "good") flags.add("thanked");
  // A name counts as known when the chat states it, however it came up.
  for (const [flag, name] of [["customerName", v.customer], ["agentName", v.agent]] as const) {
    if (new RegExp(`\\b${name}\\b`).test(all)) flags.add(flag);
    else flags.delete(flag);
  }
  return { turns, flags };
}

type Push = (speaker: Speaker, text: string, drop: number, flags?: ChatFlag[], sameGroup?: boolean) => void;
type Said = (value: string | null) => boolean;

/** Order number, product and amount: volunteered, asked for, or found by the agent. */
function addDetails(random: Random, setup: ChatSetup, push: Push, said: Said, verifying: boolean): void {
  const v = setup.vars;
  if (setup.issue.kind === "order") {
    if (setup.order && !said(setup.order)) {
      if (random.chance(0.8)) {
        if (random.chance(0.65)) {
          push("A", say(ASK_ORDER, random, v), 0);
          push("C", say(GIVE_ORDER, random, v), 0, [], true);
        } else {
          push("C", say(VOLUNTEER_ORDER, random, v), 0);
        }
      } else {
        push("A", say(ASK_EMAIL, random, v), 0);
        push("C", say(GIVE_EMAIL, random, v), 0, [], true);
      }
    }
    if (setup.product && !said(setup.product) && random.chance(0.5)) {
      if (random.chance(0.5)) {
        push("A", say(ASK_PRODUCT, random, v), 0);
        push("C", say(GIVE_PRODUCT, random, v), 0, [], true);
      } else {
        push("C", say(VOLUNTEER_PRODUCT, random, v), 0);
      }
    }
  } else if (setup.issue.kind === "account" && !verifying && random.chance(0.5)) {
    push("A", say(ASK_EMAIL, random, v), 0);
    push("C", say(GIVE_EMAIL, random, v), 0, [], true);
  }
  if (setup.amount && !said(setup.amount) && setup.issue.amountLine.length > 0 && random.chance(setup.issue.amountChance * 0.8)) {
    push("C", say(setup.issue.amountLine, random, v), 0);
  }
}

/** The agent's lookup; prefers a wording that states the product when nobody has named it yet. */
function lookupLine(random: Random, setup: ChatSetup, said: Said): string {
  const v = setup.vars;
  let options = setup.issue.lookup;
  if (setup.product && !said(setup.product)) {
    const naming = options.filter((o) => o.includes("product}"));
    if (naming.length > 0 && random.chance(0.8)) options = naming;
  }
  return say(options, random, v);
}

function resolutionLine(random: Random, setup: ChatSetup): string {
  const v = { ...setup.vars, reason: setup.decline ? expandRaw(setup.decline.chat, random, setup.vars) : "" };
  const override = setup.issue.resolution?.[setup.outcome];
  if (setup.outcome === "wait") {
    if (!setup.wait) throw new Error(`issue "${setup.issue.type}" has no wait option`);
    return expand(setup.wait.chat, random, v);
  }
  if (setup.outcome === "declined" && !setup.decline) throw new Error(`issue "${setup.issue.type}" has no decline reason`);
  const patterns = override ?? OUTCOME_SPECS[setup.outcome].chat;
  // The amount is part of the resolution where the outcome states one (switched: the new price).
  return say(patterns, random, v, new Set(setup.amount ? ["amount"] : []));
}

/** Two or three turns: everything in one message, everything answered in one reply. */
function buildCompact(random: Random, setup: ChatSetup, push: Push, said: Said, customerOpens: boolean, agentIntroduced: boolean): void {
  const v = setup.vars;
  if (!customerOpens) push("A", say(agentIntroduced ? GREETINGS_AGENT : GREETINGS_AGENT_ANONYMOUS, random, v), 0, agentIntroduced ? ["agentName"] : []);
  push("C", say(["Hi,", "Hello,", "Hi there.", "Good morning."], random, v), 0);
  push("C", say(setup.issue.problem, random, v), 0);
  if (setup.order && !said(setup.order) && random.chance(0.8)) push("C", say(VOLUNTEER_ORDER, random, v), 0);
  if (setup.product && !said(setup.product) && setup.issue.kind === "order" && random.chance(0.7)) push("C", say(VOLUNTEER_PRODUCT, random, v), 0);
  if (setup.amount && !said(setup.amount) && setup.issue.amountLine.length > 0 && random.chance(setup.issue.amountChance)) {
    push("C", say(setup.issue.amountLine, random, v), 0);
  }
  if (random.chance(0.5)) push("C", say(["Thanks.", "Thanks in advance.", "Can you help?"], random, v), 0);
  const replies = customerOpens
    ? ["Hi[, {customer}|], thanks for [reaching out|your message].", "[Hello|Hi], I'm sorry about the trouble.", "Hi, thanks for the details."]
    : ["Thanks for the details.", "I'm sorry about the trouble.", "Thanks for explaining."];
  push("A", say(replies, random, v), 0);
  if (random.chance(0.5)) push("A", lookupLine(random, setup, said), 0);
  const resolution = resolutionLine(random, setup);
  push("A", resolution, 0);
  if (resolution.endsWith("?") || random.chance(0.5)) push("C", say(REACTIONS[OUTCOME_SPECS[setup.outcome].tone], random, v), 2);
}

function countTurns(moves: readonly Move[]): number {
  let turns = 0;
  for (let i = 0; i < moves.length; i++) if (i === 0 || moves[i].speaker !== moves[i - 1].speaker) turns++;
  return turns;
}

/** Drop whole side exchanges, least important first, until the chat has at most `max` turns. */
function trimToTurns(moves: Move[], max: number): Move[] {
  let kept = moves;
  while (countTurns(kept) > max) {
    const droppable = kept.filter((m) => m.drop > 0);
    if (droppable.length === 0) break;
    const worst = Math.max(...droppable.map((m) => m.drop));
    const victim = droppable.filter((m) => m.drop === worst).pop()!.group;
    kept = kept.filter((m) => m.group !== victim);
  }
  return kept;
}

function mergeTurns(moves: readonly Move[]): Turn[] {
  const turns: Turn[] = [];
  for (const m of moves) {
    const last = turns[turns.length - 1];
    if (last && last.speaker === m.speaker) last.text = `${last.text} ${last.text.endsWith(",") ? continueSentence(m.text) : m.text}`;
    else turns.push({ speaker: m.speaker, text: m.text });
  }
  return turns;
}

/** "Hello," + "My order is late." reads "Hello, my order is late."; "I" stays uppercase. */
function continueSentence(text: string): string {
  return /^I\b/.test(text) ? text : text[0].toLowerCase() + text.slice(1);
}
