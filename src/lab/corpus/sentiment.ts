// Short statements (posts, comments, feedback lines) about a product, a place, a trip or a service, labeled
// positive, negative or neutral.
//
// Same vocabulary as the reviews, a different style: one or two short sentences, often with a negation that flips
// the obvious reading ("not bad at all" is positive, "I wouldn't buy it again" negative, "didn't expect much, but
// it was great" positive). Neutral statements are factual (an order, a booking, a question, opening hours) and
// carry no opinion word at all, which is what makes the third class learnable.
import { Random } from "../../random";
import {
  CITIES,
  COLORS,
  MANUFACTURERS,
  ORGANIZATIONS,
  PRODUCT_KINDS,
  RETAILERS,
  STREETS,
  WEEKDAYS,
  capitalize,
  fillSlots,
  productModel,
} from "./vocabulary";

export const SENTIMENT_GENERATOR_VERSION = "1";

export const SENTIMENT_LABELS = ["positive", "negative", "neutral"] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

/** What a statement is about; templates that only make sense for some subjects say which. */
type SubjectKind = "product" | "place" | "trip" | "support";

const PLACES = [
  "the hotel in {city}", "the restaurant on {street}", "the gym on {street}", "the coffee shop on {street}",
  "the dentist on {street}", "the new bakery on {street}", "the hair salon on {street}", "the museum in {city}",
  "the spa at the {city} hotel", "the pizza place on {street}", "the bookshop on {street}", "the {org} store in {city}",
  "the library on {street}", "the sushi bar in {city}", "the barber on {street}", "the {org} office in {city}",
];
const TRIPS = [
  "the flight to {city}", "the train ride to {city}", "the concert in {city}", "the cooking class on {street}",
  "the bike tour in {city}", "the car rental at the {city} airport", "the boat trip in {city}", "the walking tour of {city}",
  "the bus to {city}", "the {org} workshop in {city}", "the food tour in {city}", "the weekend trip to {city}",
];
const SUPPORT = [
  "customer support at {org}", "the help desk at {org}", "the repair service at {org}", "the {org} hotline",
  "the returns team at {org}", "the {org} support chat", "the delivery service of {org}", "the billing department at {org}",
];

type Pattern = { text: string; kinds?: SubjectKind[] };

// {s}/{S}: the subject, lower-case / capitalized at the start of a sentence.
const POSITIVE: Pattern[] = [
  { text: "{S} was not bad at all." },
  { text: "Can't complain about {s}." },
  { text: "Really happy with {s}!" },
  { text: "{S} was way better than I expected." },
  { text: "Never had a single problem with {s}." },
  { text: "{S} made my day." },
  { text: "Honestly didn't expect much from {s}, but it was great." },
  { text: "I wasn't disappointed by {s} at all." },
  { text: "Feedback: {s} was excellent." },
  { text: "Loved {s}, I'll recommend it to everyone." },
  { text: "{S} was a pleasant surprise." },
  { text: "Nothing to complain about with {s}." },
  { text: "Big thanks for {s}, really impressed." },
  { text: "Five stars for {s}." },
  { text: "Not a single complaint about {s}, it just works.", kinds: ["product", "support"] },
  { text: "I'd buy {s} again without thinking twice.", kinds: ["product"] },
  { text: "Loving {s} so far.", kinds: ["product"] },
  { text: "{S} still works like new after a year.", kinds: ["product"] },
  { text: "Would definitely go back to {s}.", kinds: ["place"] },
  { text: "{S} was quick, friendly and easy.", kinds: ["support", "trip"] },
  { text: "{S} was worth every minute.", kinds: ["trip"] },
];
const NEGATIVE: Pattern[] = [
  { text: "Really disappointed with {s}." },
  { text: "{S} was a total mess." },
  { text: "Never again. {S} was awful." },
  { text: "Not impressed with {s} at all." },
  { text: "Can't believe how bad {s} was." },
  { text: "I expected a lot more from {s}." },
  { text: "Thought {s} would be great. It wasn't." },
  { text: "So much for the great reviews, {s} was a letdown." },
  { text: "Feedback: {s} was a waste of time." },
  { text: "{S} was not good, sorry." },
  { text: "Honestly, {s} could not have been worse." },
  { text: "Not happy with {s}." },
  { text: "{S} is not worth the money." },
  { text: "I wouldn't buy {s} again.", kinds: ["product"] },
  { text: "{S} stopped working after a week.", kinds: ["product"] },
  { text: "{S} doesn't work the way it should.", kinds: ["product", "support"] },
  { text: "I wouldn't go back to {s}.", kinds: ["place"] },
  { text: "Waited forever for {s}, what a joke.", kinds: ["support", "trip"] },
  { text: "{S} was slow and nobody seemed to care.", kinds: ["support", "place"] },
  { text: "{S} was a complete waste of a day.", kinds: ["trip"] },
];
const NEUTRAL: Pattern[] = [
  { text: "My brother told me about {s}." },
  { text: "Still deciding whether to try {s}." },
  { text: "Asked a coworker about {s}." },
  { text: "Writing a short note about {s} for the team." },
  { text: "Just ordered {s}, it should arrive on {weekday}.", kinds: ["product"] },
  { text: "Does anyone know if {s} comes in {color}?", kinds: ["product"] },
  { text: "Picked up {s} on my way home.", kinds: ["product"] },
  { text: "Has anyone here tried {s}?", kinds: ["product", "place"] },
  { text: "Comparing {s} with a couple of other options before deciding.", kinds: ["product"] },
  { text: "{S} is on sale until {weekday}.", kinds: ["product"] },
  { text: "Going to set up {s} this evening.", kinds: ["product"] },
  { text: "Reminder: {s} is closed on {weekday}.", kinds: ["place"] },
  { text: "{S} opens at {morning} on weekdays.", kinds: ["place"] },
  { text: "{S} is moving to a new building next month.", kinds: ["place"] },
  { text: "Meeting a friend at {s} on {weekday}.", kinds: ["place"] },
  { text: "Booked {s} for next {weekday}.", kinds: ["trip"] },
  { text: "{S} is scheduled for {weekday} at {hour}.", kinds: ["trip"] },
  { text: "Doing {s} for the first time on {weekday}.", kinds: ["trip"] },
  { text: "Contacted {s} about my order this morning.", kinds: ["support"] },
  { text: "{S} asked me to fill out a form.", kinds: ["support"] },
  { text: "Got a reference number from {s}.", kinds: ["support"] },
  { text: "Calling {s} after lunch.", kinds: ["support"] },
];

const PATTERNS: Record<SentimentLabel, Pattern[]> = { positive: POSITIVE, negative: NEGATIVE, neutral: NEUTRAL };

function subject(random: Random, kind: SubjectKind): string {
  const slots = { city: random.pick(CITIES), street: random.pick(STREETS), org: random.pick(ORGANIZATIONS) };
  const shop = random.pick([...RETAILERS, ...MANUFACTURERS]);
  switch (kind) {
    case "product": {
      const product = random.pick(PRODUCT_KINDS).name;
      const model = productModel(random);
      return random.pick([`the new ${model} ${product}`, `the ${model}`, `the ${model} ${product}`, `the ${product} from ${shop}`]);
    }
    case "place":
      return fillSlots(random.pick(PLACES), slots);
    case "trip":
      return fillSlots(random.pick(TRIPS), slots);
    case "support":
      return fillSlots(random.pick(SUPPORT), slots);
  }
}

const HOURS = ["7 am", "8 am", "9 am", "10 am", "11 am", "noon", "2 pm", "4 pm", "6 pm", "7 pm", "8 pm"];
const MORNING_HOURS = ["7 am", "8 am", "9 am", "10 am"];

// Optional extras: a lead-in that fits every label, and a short second sentence that agrees with the label.
const LEAD_INS = ["Update: ", "Quick note: ", "Heads up: "];
const TAILS: Record<SentimentLabel, string[]> = {
  positive: ["Would recommend.", "Thanks!", "Very happy.", "Great job, everyone.", "Totally worth it."],
  negative: ["Avoid.", "Not recommended.", "Very annoyed.", "What a letdown.", "Not worth it."],
  neutral: ["Will report back.", "More details soon.", "Any tips?", "Just so you know.", "Details below."],
};

export interface SentimentRecord {
  text: string;
  label: SentimentLabel;
}

export function generateStatement(random: Random, label: SentimentLabel): SentimentRecord {
  const kind = random.pick<SubjectKind>(["product", "product", "place", "trip", "support"]);
  const patterns = PATTERNS[label].filter((p) => p.kinds === undefined || p.kinds.includes(kind));
  const s = subject(random, kind);
  const core = fillSlots(random.pick(patterns).text, {
    s,
    S: capitalize(s),
    weekday: random.pick(WEEKDAYS),
    color: random.pick(COLORS),
    hour: random.pick(HOURS),
    morning: random.pick(MORNING_HOURS),
  });
  const lead = random.chance(0.12) ? random.pick(LEAD_INS) : "";
  const tail = random.chance(0.25) ? ` ${random.pick(TAILS[label])}` : "";
  return { text: `${lead}${core}${tail}`, label };
}

/** `count` statements with labels drawn uniformly from positive, negative, neutral. */
export function generateSentimentRecords(random: Random, count: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const statement = generateStatement(random, random.pick(SENTIMENT_LABELS));
    records.push({ text: statement.text, label: statement.label });
  }
  return records;
}
