// Sentences with named entities of five types, and their canonical target string.
//
// A sentence comes from a pattern with slots (a person, an organization, a location, a date, a product). Each slot
// is filled either with a name - an entity - or with a common phrase that is not one ("a friend", "the bank",
// "the city", "last week", "the new phone"), so the same sentence shapes appear with and without entities and a
// model has to recognize names rather than positions. About one sentence in ten has no entity at all.
// Annotation scheme: person = full name; organization = company name; location = city; date = an explicit
// calendar date ("March 3", "June 2019", "2018"; relative expressions like "last week" are not entities);
// product = a product's model name ("Kestrel X3", without the kind of product).
import { Random } from "../../random";
import { CITIES, MONTHS, ORGANIZATIONS, capitalize, dayOfMonth, personName, productModel, year } from "./vocabulary";

export const ENTITY_RECOGNITION_GENERATOR_VERSION = "1";

export const ENTITY_TYPES = ["person", "organization", "location", "date", "product"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface Entity {
  text: string;
  type: EntityType;
}

/** The target text: "Maria Lopez [person]; Acme Corp [organization]" in order of appearance, "none" for none. */
export const NO_ENTITIES = "none";
export const ENTITY_SEPARATOR = "; ";

export function formatEntities(entities: readonly Entity[]): string {
  return entities.length === 0 ? NO_ENTITIES : entities.map((e) => `${e.text} [${e.type}]`).join(ENTITY_SEPARATOR);
}

/**
 * Entities from a target-format string (a model's prediction included). Tolerant of spacing; a part without a
 * known "[type]" is skipped, so a malformed prediction loses only that part. "none" or "" gives [].
 */
export function parseEntities(text: string): Entity[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === NO_ENTITIES) return [];
  const entities: Entity[] = [];
  for (const part of trimmed.split(";")) {
    const match = /^(.*\S)\s*\[\s*([a-z]+)\s*\]$/.exec(part.trim());
    if (match && (ENTITY_TYPES as readonly string[]).includes(match[2])) {
      entities.push({ text: match[1].trim(), type: match[2] as EntityType });
    }
  }
  return entities;
}

// Slots: {P} person, {O} organization, {L} location, {D} date (bare: "by {D}"), {onD} date with its preposition
// ("on March 3", "in 2019"), {R} product after "the", {aR} product with its article. A digit tells two slots of a
// type apart ({P2}); "!" marks a slot that must be a name because a common phrase would not fit ("the {O!} store").
const PATTERNS = [
  "{P} joined {O} in {L} {onD}.",
  "{O} opened a new office in {L} {onD}.",
  "{P} bought {aR} from {O}.",
  "The {R} was released by {O} {onD}.",
  "{P} and {P2} met in {L} {onD}.",
  "According to {P}, {O} sold thousands of units of the {R} last year.",
  "{P} flew from {L} to {L2} {onD}.",
  "{O} hired {P} as its new chief executive.",
  "Customers in {L} can now order the {R}.",
  "{P} said the {R} is the best device on the market.",
  "Shares of {O} rose after the launch of the {R}.",
  "{P} spoke at a conference in {L} {onD}.",
  "The {R} is made by {O} in {L}.",
  "{P} works for {O} in {L}.",
  "{P} moved to {L} {onD}.",
  "We visited {L} {onD}.",
  "{O} and {O2} announced a partnership {onD}.",
  "{P} reviewed the {R} for {O}.",
  "The meeting with {P} is scheduled for {D}.",
  "My order from {O} arrived {onD}.",
  "{L} hosted the annual book fair {onD}.",
  "{P} returned the {R} because the battery died.",
  "Is the {R} available in {L} yet?",
  "{P} left {O} {onD} to start a bakery in {L}.",
  "The {O!} store in {L} closes early on Sundays.",
  "Thanks to {P}, the team finished the project by {D}.",
  "{P} called {P2} about the {R}.",
  "{O} recalled the {R} {onD} after complaints from customers in {L}.",
  "{P} has lived in {L} since {D}.",
  "The {R} costs less in {L} than in {L2}.",
  "{P} ordered {aR} for the office.",
  "{O} moved its headquarters from {L} to {L2}.",
  "{P} will present the {R} at the {O!} event in {L}.",
  "Tickets for the concert in {L} went on sale {onD}.",
  "{P} is the new manager of the {O!} branch in {L}.",
  "{P} signed the contract with {O} {onD}.",
  "The package from {L} should arrive by {D}.",
  "{P} lost {aR} on the train to {L}.",
  "{O} donated laptops to schools in {L}.",
  "Our team met {P} from {O} {onD}.",
  "{P} recommended the {R} to {P2}.",
  "The {R} sold out in {L} within a day.",
  "{P} fixed the {R} in ten minutes.",
  "{O} plans to release the {R} in {L} by {D}.",
  "{onD}, {P} started working at {O}.",
  "{P} from {L} won the photo contest.",
  "The workshop in {L} was organized by {O} and led by {P}.",
  "{P} wrote a long review of the {R}.",
  "The {O!} team in {L} is hiring again.",
  "{P} paid too much for the {R} at {O}.",
];

// Common phrases for each slot type: what the slot holds when it is not an entity.
const GENERIC: Record<string, string[]> = {
  P: ["a friend", "my neighbor", "the manager", "our new colleague", "her brother", "a customer", "the driver", "my aunt", "the teacher", "a student"],
  O: ["a local company", "the bank", "a small startup", "the airline", "our supplier", "the city council", "a big retailer", "the hospital"],
  L: ["the city", "town", "a nearby village", "the capital", "the suburbs", "the north"],
  D: ["next month", "the end of the week", "the weekend", "the summer", "the holidays"],
  onD: ["last week", "yesterday", "in the spring", "this morning", "last year", "a while ago", "over the weekend"],
  R: ["new phone", "old laptop", "latest model", "cheap tablet", "new speaker", "smart fridge"],
  aR: ["a new phone", "an old laptop", "a cheap tablet", "a used camera", "a new speaker", "a smart fridge"],
};

const SLOT_TYPE: Record<string, EntityType> = { P: "person", O: "organization", L: "location", D: "date", onD: "date", R: "product", aR: "product" };

interface Slot {
  base: string;
  key: string;
  required: boolean;
}

function slotsOf(pattern: string): Slot[] {
  return [...pattern.matchAll(/\{([A-Za-z]+)(\d?)(!?)\}/g)].map((m) => ({ base: m[1], key: m[1] + m[2], required: m[3] === "!" }));
}

/** A date entity: its text and the preposition it takes ("on March 3", "in June 2019", "in 2018"). */
function dateEntity(random: Random): { text: string; preposition: string } {
  const month = random.pick(MONTHS);
  switch (random.weightedIndex([4, 3, 2, 1])) {
    case 0:
      return { text: `${month} ${dayOfMonth(random)}`, preposition: "on" };
    case 1:
      return { text: `${month} ${dayOfMonth(random)}, ${year(random)}`, preposition: "on" };
    case 2:
      return { text: `${month} ${year(random)}`, preposition: "in" };
    default:
      return { text: `${year(random)}`, preposition: "in" };
  }
}

/** The name that fills a slot: its entity text and what goes before it in the sentence. */
function namedFill(random: Random, base: string): { prefix: string; text: string } {
  switch (base) {
    case "P":
      return { prefix: "", text: personName(random) };
    case "O":
      return { prefix: "", text: random.pick(ORGANIZATIONS) };
    case "L":
      return { prefix: "", text: random.pick(CITIES) };
    case "D":
      return { prefix: "", text: dateEntity(random).text };
    case "onD": {
      const date = dateEntity(random);
      return { prefix: `${date.preposition} `, text: date.text };
    }
    case "R":
      return { prefix: "", text: productModel(random) };
    case "aR": {
      const model = productModel(random);
      return { prefix: /^[AEIOU]/.test(model) ? "an " : "a ", text: model };
    }
    default:
      throw new Error(`entity pattern slot {${base}} is unknown.`);
  }
}

export interface EntitySentence {
  sentence: string;
  entities: Entity[];
}

/** Fill a pattern: `named` says which slots get an entity; slots of one type never repeat a name. */
function fillPattern(random: Random, pattern: string, named: (slot: Slot) => boolean): EntitySentence {
  const parts = pattern.split(/(\{[A-Za-z]+\d?!?\})/);
  const used = new Set<string>();
  let sentence = "";
  const entities: Entity[] = [];
  for (const part of parts) {
    const slot = slotsOf(part)[0];
    if (slot === undefined) {
      sentence += part;
      continue;
    }
    if (named(slot)) {
      let fill = namedFill(random, slot.base);
      while (used.has(fill.text)) fill = namedFill(random, slot.base);
      used.add(fill.text);
      sentence += fill.prefix;
      entities.push({ text: fill.text, type: SLOT_TYPE[slot.base] });
      sentence += fill.text;
    } else {
      let phrase = random.pick(GENERIC[slot.base]);
      while (used.has(phrase)) phrase = random.pick(GENERIC[slot.base]);
      used.add(phrase);
      sentence += phrase;
    }
  }
  // Entities start with a capital letter or a digit, so capitalizing the sentence never changes one.
  return { sentence: capitalize(sentence), entities };
}

const NONE_RATE = 0.1;
const NAMED_RATE = 0.8;

export function generateEntitySentence(random: Random): EntitySentence {
  if (random.chance(NONE_RATE)) {
    const pattern = random.pick(PATTERNS.filter((p) => slotsOf(p).every((s) => !s.required)));
    return fillPattern(random, pattern, () => false);
  }
  const pattern = random.pick(PATTERNS);
  const slots = slotsOf(pattern);
  // Decide per slot up front, with at least one name.
  const decisions = new Map<string, boolean>(slots.map((s) => [s.key, s.required || random.chance(NAMED_RATE)]));
  if (![...decisions.values()].some((v) => v)) decisions.set(random.pick(slots).key, true);
  return fillPattern(random, pattern, (slot) => decisions.get(slot.key) === true);
}

export function generateEntityRecognitionRecords(random: Random, count: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const { sentence, entities } = generateEntitySentence(random);
    records.push({ sentence, entities, target: formatEntities(entities) });
  }
  return records;
}
