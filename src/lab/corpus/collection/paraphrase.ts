// Paraphrase pairs: one meaning, several wordings. A frame ("someone bought something from a shop") has three or
// four wordings that say the same thing with other words and structure; the source is one of them, the target
// another, and every other wording is a valid answer too (the record lists them all, for ROUGE against the best).
// A third of the items are two sentences about the same person, so targets are not all one sentence long.
import { Random } from "../../../random";
import { CITIES, FIRST_NAMES, LAST_NAMES, MONTHS, ORGANIZATIONS, PRODUCT_KINDS, WEEKDAYS, article, capitalize, fillSlots, productModel } from "../vocabulary";

/** Version of the paraphrase generator, written to meta.json. */
export const PARAPHRASE_GENERATOR_VERSION = "1";

/** Share of two-sentence items. */
const TWO_SENTENCE_SHARE = 0.35;

// Slots: {P} a person ({P2} another), {O} an organization, {L}/{L2} cities, {K} a kind of product ({aK} with its
// article), {R} a model name, {month}, {weekday}, {year}, {days} (a number word), {staff} (a number), {price},
// {season}, {x}/{y} two things to prefer between, {reason}, {walk1..3} one way of getting to work in three
// wordings, {contest}, {item}.
const FRAMES: readonly (readonly string[])[] = [
  ["{P} bought {aK} from {O}.", "{P} purchased {aK} from {O}.", "{O} sold {aK} to {P}.", "{P} got {aK} from {O}."],
  ["{P} started working at {O} in {month}.", "In {month}, {P} began working for {O}.", "{P} joined {O} in {month}.", "{O} hired {P} in {month}."],
  ["{P} met {P2} in {L} on {weekday}.", "On {weekday}, {P} and {P2} met in {L}.", "{P} and {P2} got together in {L} on {weekday}."],
  ["The {K} that {P} ordered arrived {days} days late.", "{P}'s {K} was delivered {days} days later than expected.", "It took {days} extra days for the {K} {P} ordered to arrive."],
  ["{O} opened a new store in {L} last {season}.", "Last {season}, {O} opened a new shop in {L}.", "A new {O} store opened in {L} last {season}."],
  ["The {R} {K} costs {price}.", "The price of the {R} {K} is {price}.", "You can buy the {R} {K} for {price}.", "The {R} {K} sells for {price}."],
  ["{P} prefers {x} to {y}.", "{P} likes {x} more than {y}.", "{P} would rather have {x} than {y}."],
  ["{P} cancelled the meeting with {O} because of the {reason}.", "Because of the {reason}, {P} called off the meeting with {O}.", "The meeting between {P} and {O} was cancelled due to the {reason}."],
  ["It rained all day in {L} on {weekday}.", "On {weekday}, it rained in {L} from morning to night.", "{L} had rain all day on {weekday}."],
  ["{P} returned the {K} because it was broken.", "Because the {K} was broken, {P} sent it back.", "{P} took the broken {K} back to the store."],
  ["{O} has {staff} employees.", "{staff} people work at {O}.", "{O} employs {staff} people."],
  ["{P} {walk1} every morning.", "Every morning, {P} {walk2}.", "Each morning {P} {walk3}."],
  ["{P} recommended the {R} to {P2}.", "{P2} got a recommendation for the {R} from {P}.", "{P} suggested the {R} to {P2}.", "{P} told {P2} to try the {R}."],
  ["The technician fixed {P}'s {K} in ten minutes.", "It took the technician only ten minutes to repair {P}'s {K}.", "{P}'s {K} was repaired by the technician in ten minutes."],
  ["The {O} office in {L} is closed on {weekday}s.", "On {weekday}s, the {O} office in {L} does not open.", "{O} keeps its office in {L} closed every {weekday}."],
  ["{P} won first prize in the {contest} contest.", "First prize in the {contest} contest went to {P}.", "{P} took first place in the {contest} contest."],
  ["{P} moved from {L} to {L2} in {year}.", "In {year}, {P} left {L} and moved to {L2}.", "{P} relocated from {L} to {L2} in {year}."],
  ["{P} forgot the {item} on the bus.", "{P} left the {item} behind on the bus.", "The {item} was left on the bus by {P}."],
];

const DAYS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"];
const SEASONS = ["spring", "summer", "autumn", "winter"];
const PREFERENCES: readonly (readonly [string, string])[] = [
  ["tea", "coffee"], ["cats", "dogs"], ["soup", "salad"], ["rice", "pasta"], ["apples", "oranges"], ["an aisle seat", "a window seat"], ["juice", "soda"],
];
const REASONS = ["storm", "heavy snow", "train strike", "power cut", "flood warning"];
const COMMUTES: readonly (readonly [string, string, string])[] = [
  ["walks to work", "goes to work on foot", "gets to work on foot"],
  ["cycles to work", "goes to work by bike", "rides a bike to work"],
  ["takes the bus to work", "goes to work by bus", "rides the bus to work"],
];
const CONTESTS = ["photo", "baking", "chess", "poetry", "chili"];
const ITEMS = ["umbrella", "laptop", "wallet", "scarf", "notebook", "phone charger"];

/** One item: the source text, the target, and every wording a model may answer with (the target among them). */
export interface ParaphraseItem {
  sentence: string;
  paraphrase: string;
  alternatives: string[];
}

/** Values for every slot of every frame; {P} is `person` when given (the second sentence's subject). */
function drawSlots(random: Random, person?: string): Record<string, string> {
  const [first, second] = random.sample(FIRST_NAMES.filter((name) => name !== person), 2);
  const [last, last2] = random.sample(LAST_NAMES, 2);
  const [city, city2] = random.sample(CITIES, 2);
  const kind = random.pick(PRODUCT_KINDS).name;
  const [x, y] = random.shuffle(random.pick(PREFERENCES));
  const [walk1, walk2, walk3] = random.pick(COMMUTES);
  const P = person ?? `${first} ${last}`;
  return {
    P,
    P2: `${second} ${last2}`,
    O: random.pick(ORGANIZATIONS),
    L: city,
    L2: city2,
    K: kind,
    aK: `${article(kind)} ${kind}`,
    R: productModel(random),
    month: random.pick(MONTHS),
    weekday: random.pick(WEEKDAYS),
    year: String(random.int(2005, 2024)),
    days: random.pick(DAYS),
    staff: String(random.int(12, 950)),
    price: `$${random.int(9, 399)}.${random.pick(["99", "49", "00", "95"])}`,
    season: random.pick(SEASONS),
    x,
    y,
    reason: random.pick(REASONS),
    walk1,
    walk2,
    walk3,
    contest: random.pick(CONTESTS),
    item: random.pick(ITEMS),
  };
}

/** Every way to combine one wording per part, skipping the source's own wording of each part. */
function otherWordings(parts: readonly string[][], source: readonly number[]): string[] {
  let combos = [""];
  parts.forEach((wordings, i) => {
    const others = wordings.filter((_, w) => w !== source[i]);
    combos = combos.flatMap((prefix) => others.map((w) => (prefix === "" ? w : `${prefix} ${w}`)));
  });
  return combos;
}

/** A one- or two-sentence item; in two sentences, the second is about the first one's person, by first name. */
export function paraphraseItem(random: Random): ParaphraseItem {
  const personal = FRAMES.filter((f) => f.every((w) => w.includes("{P}")));
  const frames = random.chance(TWO_SENTENCE_SHARE) ? random.sample(personal, 2) : [random.pick(FRAMES)];
  const firstSlots = drawSlots(random);
  const parts = frames.map((frame, i) => {
    const slots = i === 0 ? firstSlots : drawSlots(random, firstSlots.P.split(" ")[0]);
    return frame.map((wording) => capitalize(fillSlots(wording, slots)));
  });
  const source = parts.map((wordings) => random.int(0, wordings.length - 1));
  const alternatives = otherWordings(parts, source);
  return { sentence: parts.map((w, i) => w[source[i]]).join(" "), paraphrase: random.pick(alternatives), alternatives };
}

/** `count` paraphrase items. */
export function generateParaphraseRecords(random: Random, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => ({ ...paraphraseItem(random) }));
}
