// Extractive question answering (SQuAD-style) over short passages about a fictional person, product, shop or event.
//
// A passage is 2-4 short sentences built from a small set of facts (names, dates, numbers, places, colors); the
// question asks for one fact that the passage states, and the answer is that fact's text exactly as it appears in
// the passage. Passages often hold two facts of the same type (two people, two numbers, two places) so the answer
// cannot be found by type alone. Every answer occurs exactly once in its passage, so the span is unambiguous.
import { Random } from "../../random";
import {
  CITIES,
  COLORS,
  MANUFACTURERS,
  MONTHS,
  ORGANIZATIONS,
  RETAILERS,
  PRODUCT_KINDS,
  STREETS,
  WEEKDAYS,
  FIRST_NAMES,
  LAST_NAMES,
  article,
  dayOfMonth,
  fillSlots,
  personName,
  productModel,
  year,
} from "./vocabulary";

export const QUESTION_ANSWERING_GENERATOR_VERSION = "1";

export const QUESTION_KINDS = ["who", "when", "where", "how_many", "how_much", "what", "which_color", "which_day"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** One sentence of a passage and the facts it states (keys into the facts table). */
interface SentencePlan {
  text: string;
  facts: string[];
}

/** One askable fact: its answer text and ways to ask for it. */
interface Question {
  fact: string;
  kind: QuestionKind;
  phrasings: string[];
}

interface Scenario {
  /** Every sentence the passage may use; the first one always opens the passage. */
  sentences: SentencePlan[];
  /** The text of each fact, as the passage states it. */
  answers: Record<string, string>;
  questions: Question[];
}

const JOBS = ["nurse", "teacher", "software engineer", "baker", "pilot", "architect", "librarian", "chef", "photographer", "electrician", "journalist", "accountant", "gardener", "mechanic", "pharmacist"];
const HOBBIES = ["painting", "chess", "cycling", "gardening", "photography", "swimming", "cooking", "pottery", "yoga", "guitar"];
const PETS = ["cats", "dogs", "rabbits", "parrots", "goldfish"];
const OPEN_HOURS = ["7 am", "8 am", "9 am", "10 am"];
const CLOSE_HOURS = ["5 pm", "6 pm", "7 pm", "8 pm", "9 pm"];
const SHOP_TYPES: { type: string; items: string[] }[] = [
  { type: "bakery", items: ["sourdough bread", "cinnamon roll", "apple pie", "lemon cake"] },
  { type: "bookshop", items: ["travel guides", "used novels", "comic books", "cookbooks"] },
  { type: "flower shop", items: ["sunflowers", "wedding bouquets", "potted herbs", "red roses"] },
  { type: "bike shop", items: ["folding bikes", "repair service", "city bikes", "bike lights"] },
  { type: "coffee shop", items: ["iced latte", "hot chocolate", "carrot cake", "espresso"] },
  { type: "toy store", items: ["wooden trains", "board games", "puzzles", "kites"] },
  { type: "cheese shop", items: ["goat cheese", "aged cheddar", "blue cheese", "fresh mozzarella"] },
  { type: "tea house", items: ["green tea", "chai", "mint tea", "jasmine tea"] },
  { type: "record store", items: ["jazz records", "vinyl box sets", "used records", "concert posters"] },
];
const SHOP_NAME_WORDS = ["Golden", "Blue", "Little", "Corner", "Green", "Old", "Sunny", "Silver", "Red", "Happy"];
const SHOP_NAME_NOUNS = ["Spoon", "Door", "Leaf", "Lantern", "Window", "Wheel", "Basket", "Owl", "Anchor", "Garden"];
const EVENT_TYPES = ["Food Festival", "Jazz Night", "Book Fair", "City Marathon", "Film Festival", "Science Fair", "Craft Market", "Chess Open", "Tech Summit", "Art Walk"];
const VENUES = ["Riverside Park", "the City Hall", "the Grand Theater", "Station Square", "the Harbor Center", "the old factory", "Lakeview Stadium", "the public library", "the Botanical Garden"];

function fullDate(random: Random): string {
  return `${random.pick(MONTHS)} ${dayOfMonth(random)}, ${year(random, 2015, 2024)}`;
}

function firstName(name: string): string {
  return name.split(" ")[0];
}

/** `count` full names that share no first and no last name, so "Maria" names one person only. */
function distinctPeople(random: Random, count: number): string[] {
  const firsts = random.sample(FIRST_NAMES, count);
  const lasts = random.sample(LAST_NAMES, count);
  return firsts.map((f, i) => `${f} ${lasts[i]}`);
}

function personScenario(random: Random): Scenario {
  const [person, colleague] = distinctPeople(random, 2);
  const first = firstName(person);
  const [city, birthCity] = random.sample(CITIES, 2);
  const org = random.pick(ORGANIZATIONS);
  const job = random.pick(JOBS);
  const joined = String(year(random, 2005, 2023));
  const born = String(year(random, 1960, 1999));
  const pets = String(random.int(2, 6));
  const pet = random.pick(PETS);
  const color = random.pick(COLORS);
  const hobby = random.pick(HOBBIES);
  const weekday = random.pick(WEEKDAYS);
  const s = { person, first, city, birthCity, org, a: article(job), job, joined, born, pets, pet, color, hobby, weekday, colleague };
  // The city questions follow what the opening says about the city.
  const opening = random.pick([
    { text: "{person} is {a} {job} who lives in {city}.", facts: ["person", "job", "city"], city: [`Where does ${first} live?`, `In which city does ${first} live?`] },
    { text: "{person} works as {a} {job} in {city}.", facts: ["person", "job", "city"], city: [`Where does ${first} work?`, `In which city does ${first} work?`] },
    { text: "{person} is {a} {job} at {org} in {city}.", facts: ["person", "job", "org", "city"], city: [`In which city does ${first} work?`] },
  ]);
  return {
    sentences: [
      { text: fillSlots(opening.text, s), facts: opening.facts },
      { text: fillSlots("{first} joined {org} in {joined}.", s), facts: ["org", "joined"] },
      { text: fillSlots("{first} was born in {birthCity} in {born}.", s), facts: ["birthCity", "born"] },
      { text: fillSlots("At home, {first} has {pets} {pet}.", s), facts: ["pets"] },
      { text: fillSlots("Every {weekday}, {first} takes a {hobby} class with a friend, {colleague}.", s), facts: ["weekday", "hobby", "colleague"] },
      { text: fillSlots("{first}'s favorite color is {color}.", s), facts: ["color"] },
    ],
    answers: { person, job, city, org, joined, birthCity, born, pets, weekday, hobby, colleague, color },
    questions: [
      { fact: "person", kind: "who", phrasings: [`Who works as ${article(job)} ${job}?`, `What is the name of the ${job} in the passage?`] },
      { fact: "job", kind: "what", phrasings: [`What is ${first}'s job?`, `What does ${first} do for a living?`] },
      { fact: "city", kind: "where", phrasings: opening.city },
      { fact: "org", kind: "what", phrasings: [`Which company does ${first} work for?`, `What company did ${first} join?`] },
      { fact: "joined", kind: "when", phrasings: [`When did ${first} join ${org}?`, `In what year did ${first} start at ${org}?`] },
      { fact: "birthCity", kind: "where", phrasings: [`Where was ${first} born?`, `In which city was ${first} born?`] },
      { fact: "born", kind: "when", phrasings: [`When was ${first} born?`, `In what year was ${first} born?`] },
      { fact: "pets", kind: "how_many", phrasings: [`How many ${pet} does ${first} have?`] },
      { fact: "weekday", kind: "which_day", phrasings: [`On which day does ${first} take a ${hobby} class?`, `What day is the ${hobby} class?`] },
      { fact: "hobby", kind: "what", phrasings: [`What class does ${first} take every ${weekday}?`] },
      { fact: "colleague", kind: "who", phrasings: [`Who takes the ${hobby} class with ${first}?`] },
      { fact: "color", kind: "which_color", phrasings: [`What is ${first}'s favorite color?`, `Which color does ${first} like best?`] },
    ],
  };
}

function productScenario(random: Random): Scenario {
  const model = productModel(random);
  const kind = random.pick(PRODUCT_KINDS).name;
  const maker = random.pick(MANUFACTURERS);
  const seller = random.pick(RETAILERS);
  const date = fullDate(random);
  const price = `${random.int(2, 60) * 5 - 1} dollars`;
  const color = random.pick(COLORS);
  const warranty = `${random.int(2, 10)} years`;
  const designer = personName(random);
  const city = random.pick(CITIES);
  const s = { model, a: article(kind), kind, maker, seller, date, price, color, warranty, designer, city };
  return {
    sentences: [
      { text: fillSlots("The {model} is {a} {kind} made by {maker}.", s), facts: ["kind", "maker"] },
      { text: fillSlots("It was released on {date} and costs {price}.", s), facts: ["date", "price"] },
      { text: fillSlots("It comes in {color} and has a warranty of {warranty}.", s), facts: ["color", "warranty"] },
      { text: fillSlots("It was designed by {designer} at a studio in {city}.", s), facts: ["designer", "city"] },
      { text: fillSlots("In stores, it is sold only by {seller}.", s), facts: ["seller"] },
    ],
    answers: { kind, maker, date, price, color, warranty, designer, city, seller },
    questions: [
      { fact: "kind", kind: "what", phrasings: [`What kind of product is the ${model}?`, `What is the ${model}?`] },
      { fact: "maker", kind: "who", phrasings: [`Which company makes the ${model}?`, `Who makes the ${model}?`] },
      { fact: "date", kind: "when", phrasings: [`When was the ${model} released?`, `On what date did the ${model} come out?`] },
      { fact: "price", kind: "how_much", phrasings: [`How much does the ${model} cost?`, `What is the price of the ${model}?`] },
      { fact: "color", kind: "which_color", phrasings: [`What color is the ${model}?`, `Which color does the ${model} come in?`] },
      { fact: "warranty", kind: "how_many", phrasings: [`How long is the warranty on the ${model}?`, `How many years of warranty does the ${model} have?`] },
      { fact: "designer", kind: "who", phrasings: [`Who designed the ${model}?`] },
      { fact: "city", kind: "where", phrasings: [`Where was the ${model} designed?`, `In which city is the design studio?`] },
      { fact: "seller", kind: "who", phrasings: [`Which store sells the ${model}?`, `Who sells the ${model} in stores?`] },
    ],
  };
}

function shopScenario(random: Random): Scenario {
  const { type, items } = random.pick(SHOP_TYPES);
  const shop = random.chance(0.5)
    ? `${random.pick(["Rosa", "Hugo", "Nora", "Felix", "Mei", "Omar", "Lina", "Ben"])}'s ${type.replace(/\b\w/g, (c) => c.toUpperCase())}`
    : `The ${random.pick(SHOP_NAME_WORDS)} ${random.pick(SHOP_NAME_NOUNS)}`;
  const street = random.pick(STREETS);
  const city = random.pick(CITIES);
  const [founder, manager] = distinctPeople(random, 2);
  const namedAfterType = shop.toLowerCase().includes(type);
  const opened = String(year(random, 1985, 2022));
  const employees = String(random.int(3, 40));
  const [item] = random.sample(items, 1);
  const openHour = random.pick(OPEN_HOURS);
  const closeHour = random.pick(CLOSE_HOURS);
  const closedDay = random.pick(WEEKDAYS);
  const s = { shop, type, street, city, founder, manager, opened, employees, item, openHour, closeHour, closedDay };
  return {
    sentences: [
      { text: fillSlots("{shop} is a small {type} on {street} in {city}.", s), facts: ["type", "street", "city"] },
      { text: fillSlots("It was opened by {founder} in {opened} and is now run by {manager}.", s), facts: ["founder", "opened", "manager"] },
      { text: fillSlots("The shop has {employees} employees and is best known for its {item}.", s), facts: ["employees", "item"] },
      { text: fillSlots("It is open from {openHour} to {closeHour} and closed on {closedDay}.", s), facts: ["openHour", "closeHour", "closedDay"] },
    ],
    answers: { type, street, city, founder, opened, manager, employees, item, openHour, closeHour, closedDay },
    questions: [
      ...(namedAfterType ? [] : [{ fact: "type", kind: "what" as const, phrasings: [`What kind of shop is ${shop}?`] }]),
      { fact: "street", kind: "where", phrasings: [`On which street is ${shop}?`, `What street is ${shop} on?`] },
      { fact: "city", kind: "where", phrasings: [`In which city is ${shop}?`, `In what city can you find ${shop}?`] },
      { fact: "founder", kind: "who", phrasings: [`Who opened ${shop}?`, `Who founded ${shop}?`] },
      { fact: "opened", kind: "when", phrasings: [`When did ${shop} open?`, `In what year was ${shop} opened?`] },
      { fact: "manager", kind: "who", phrasings: [`Who runs ${shop} now?`, `Who is running ${shop} today?`] },
      { fact: "employees", kind: "how_many", phrasings: [`How many employees does ${shop} have?`, `How many people work at ${shop}?`] },
      { fact: "item", kind: "what", phrasings: [`What is ${shop} best known for?`, `What is ${shop} famous for?`] },
      { fact: "openHour", kind: "when", phrasings: [`What time does ${shop} open?`, `When does ${shop} open in the morning?`] },
      { fact: "closeHour", kind: "when", phrasings: [`What time does ${shop} close?`] },
      { fact: "closedDay", kind: "which_day", phrasings: [`On which day is ${shop} closed?`, `Which day is ${shop} closed?`] },
    ],
  };
}

function eventScenario(random: Random): Scenario {
  const city = random.pick(CITIES);
  const event = `${city} ${random.pick(EVENT_TYPES)}`;
  const date = fullDate(random);
  const venue = random.pick(VENUES);
  const organizer = random.pick(ORGANIZATIONS);
  const visitors = String(random.int(3, 95) * 100 + random.pick([0, 50]));
  const guest = personName(random);
  const price = `${random.int(3, 40)} dollars`;
  const nextVenue = random.pick(VENUES.filter((v) => v !== venue));
  const s = { event, date, venue, organizer, visitors, guest, price, nextVenue };
  return {
    sentences: [
      { text: fillSlots("The {event} took place on {date}, at {venue}.", s), facts: ["date", "venue"] },
      { text: fillSlots("It was organized by {organizer}, and about {visitors} people attended.", s), facts: ["organizer", "visitors"] },
      { text: fillSlots("The guest of honor was {guest}, and tickets cost {price}.", s), facts: ["guest", "price"] },
      { text: fillSlots("Next year, the event will move to {nextVenue}.", s), facts: ["nextVenue"] },
    ],
    answers: { date, venue, organizer, visitors, guest, price, nextVenue },
    questions: [
      { fact: "date", kind: "when", phrasings: [`When did the ${event} take place?`, `On what date was the ${event}?`] },
      { fact: "venue", kind: "where", phrasings: [`Where was the ${event} held?`, `Where did the ${event} take place?`] },
      { fact: "organizer", kind: "who", phrasings: [`Who organized the ${event}?`, `Which company organized the ${event}?`] },
      { fact: "visitors", kind: "how_many", phrasings: [`How many people attended the ${event}?`, `About how many visitors came to the ${event}?`] },
      { fact: "guest", kind: "who", phrasings: [`Who was the guest of honor at the ${event}?`] },
      { fact: "price", kind: "how_much", phrasings: [`How much did tickets for the ${event} cost?`, `What was the ticket price?`] },
      { fact: "nextVenue", kind: "where", phrasings: [`Where will the ${event} be held next year?`] },
    ],
  };
}

const SCENARIOS = [personScenario, productScenario, shopScenario, eventScenario];

/** Occurrences of `needle` in `text` (overlapping ones counted). */
export function countOccurrences(text: string, needle: string): number {
  if (needle === "") return 0;
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

export interface QaExample {
  context: string;
  question: string;
  answer: string;
  kind: QuestionKind;
}

/** One passage of 2-4 sentences and one question about a fact it states exactly once. */
export function generateQaExample(random: Random): QaExample {
  for (;;) {
    const scenario = random.pick(SCENARIOS)(random);
    const [opening, ...rest] = scenario.sentences;
    const extra = random.int(1, Math.min(3, rest.length));
    // Keep the scenario's sentence order: it reads as a little story.
    const chosen = new Set(random.sample(rest, extra));
    const sentences = [opening, ...rest.filter((r) => chosen.has(r))];
    const context = sentences.map((r) => r.text).join(" ");
    const stated = new Set(sentences.flatMap((r) => r.facts));
    const askable = scenario.questions.filter((q) => stated.has(q.fact) && countOccurrences(context, scenario.answers[q.fact]) === 1);
    if (askable.length === 0) continue;
    const question = random.pick(askable);
    return { context, question: random.pick(question.phrasings), answer: scenario.answers[question.fact], kind: question.kind };
  }
}

export function generateQuestionAnsweringRecords(random: Random, count: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const example = generateQaExample(random);
    records.push({ context: example.context, question: example.question, answer: example.answer, kind: example.kind });
  }
  return records;
}
