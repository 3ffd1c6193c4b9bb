// Word lists shared by the synthetic task generators: names, organizations, places, dates, products.
// Everything is fictional (no real brands) and made of common English words, so a 4-8k tokenizer covers it well.
// Names, organizations, cities and product lines never contain one another ("Nova" would hide in "Novak"), so an
// entity's text never hides inside another entity (checked in test/synthetic-tasks.test.ts).
import { Random } from "../../random";

export const FIRST_NAMES = [
  "Maria", "James", "Aisha", "Daniel", "Sofia", "Omar", "Emma", "Lucas", "Hannah", "Mateo",
  "Priya", "Noah", "Elena", "Samuel", "Grace", "Kenji", "Laura", "Ethan", "Nadia", "Oliver",
  "Chloe", "Ravi", "Julia", "Marcus", "Fatima", "Leo", "Anna", "Victor", "Mei", "Thomas",
  "Isabel", "David", "Amara", "Peter", "Lina", "Hugo", "Sara", "Adam", "Yuki", "Carlos",
  "Zoe", "Ben", "Rosa", "Felix", "Alice", "Tariq", "Nora", "Ivan", "Claire", "Diego",
] as const;

export const LAST_NAMES = [
  "Lopez", "Carter", "Khan", "Novak", "Rossi", "Haddad", "Fischer", "Silva", "Becker", "Moreno",
  "Patel", "Turner", "Petrova", "Okafor", "Wallace", "Tanaka", "Meyer", "Brooks", "Karimi", "Hughes",
  "Dubois", "Sharma", "Keller", "Reyes", "Nilsson", "Costa", "Schmidt", "Mendes", "Chen", "Walsh",
  "Ortiz", "Bauer", "Adeyemi", "Larsen", "Morgan", "Ito", "Santos", "Weber", "Rahman", "Price",
] as const;

export const ORGANIZATIONS = [
  "Acme Corp", "Northwind Traders", "Bluepeak Labs", "Greenleaf Foods", "Silverline Bank", "Brightway Logistics",
  "Redstone Media", "Oakridge Insurance", "Summit Health", "Clearwater Energy", "Ironbridge Motors",
  "Harbor Freight Lines", "Maple Street Bakery", "Lumen Software", "Cobalt Systems", "Sunrise Airlines",
  "Pinecrest Hotels", "Quartz Analytics", "Evergreen Books", "Falcon Robotics", "Golden Gate Coffee",
  "Riverbend Clinic", "Stellar Mobile", "Nimbus Cloud", "Orchard Market", "Beacon Capital", "Vertex Games",
  "Horizon Travel", "Crescent Studios", "Willow Furniture", "Brightline Electronics", "Orion Home", "Kitewood Outdoor",
  "Metro Mart", "Cornerstone Outlet", "Bluebird Stores",
] as const;

/** Organizations that plausibly make consumer products, and ones that sell them. */
export const MANUFACTURERS = [
  "Acme Corp", "Bluepeak Labs", "Cobalt Systems", "Falcon Robotics", "Stellar Mobile", "Brightline Electronics", "Orion Home", "Kitewood Outdoor",
] as const;
export const RETAILERS = ["Northwind Traders", "Orchard Market", "Metro Mart", "Cornerstone Outlet", "Bluebird Stores"] as const;

export const CITIES = [
  "Berlin", "Lisbon", "Toronto", "Nairobi", "Osaka", "Madrid", "Chicago", "Dublin", "Melbourne", "Seoul",
  "Vienna", "Denver", "Lyon", "Cairo", "Oslo", "Austin", "Milan", "Boston", "Prague", "Lagos",
  "Seattle", "Munich", "Warsaw", "Dallas", "Porto", "Helsinki", "Leeds", "Zurich", "Athens", "Phoenix",
] as const;

export const STREETS = [
  "Elm Street", "King Street", "Harbor Road", "Mill Lane", "Park Avenue", "Station Road", "Church Street",
  "High Street", "Bridge Road", "Market Square", "Cedar Avenue", "River Walk", "Hill Road", "Castle Street",
] as const;

export const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export const COLORS = [
  "black", "white", "red", "blue", "green", "gray", "silver", "yellow", "orange", "purple", "pink", "navy blue",
] as const;

/** Fictional product line names, used as product entities ("Kestrel X3") and model names in reviews. */
export const PRODUCT_MODELS = [
  "Kestrel", "Vista", "Orbit", "Vela", "Zephyr", "Atlas", "Pulse", "Lumo", "Strata", "Ember",
  "Halo", "Glide", "Breeze", "Comet", "Aurora", "Flux", "Quill", "Terra", "Drift", "Spark",
] as const;

export const MODEL_SUFFIXES = ["2", "3", "5", "X", "X2", "X3", "Pro", "Max", "Mini", "Go", "Plus", "Lite", "One", "S"] as const;

/** A product kind and the things people praise or complain about in it. */
export interface ProductKind {
  /** Singular noun phrase: "coffee maker". */
  name: string;
  aspects: readonly string[];
}

export const PRODUCT_KINDS: readonly ProductKind[] = [
  { name: "coffee maker", aspects: ["the coffee", "the carafe", "the brewing speed", "the water tank", "the timer"] },
  { name: "headset", aspects: ["the sound", "the battery life", "the noise cancelling", "the ear cushions", "the microphone"] },
  { name: "backpack", aspects: ["the zippers", "the straps", "the laptop pocket", "the fabric", "the side pockets"] },
  { name: "blender", aspects: ["the motor", "the blades", "the jar", "the lid", "the speed settings"] },
  { name: "phone case", aspects: ["the grip", "the fit", "the buttons", "the corners", "the finish"] },
  { name: "desk lamp", aspects: ["the light", "the brightness levels", "the arm", "the base", "the switch"] },
  { name: "vacuum cleaner", aspects: ["the suction", "the battery", "the dust bin", "the brush head", "the noise level"] },
  { name: "bike helmet", aspects: ["the straps", "the fit", "the padding", "the vents", "the buckle"] },
  { name: "smartwatch", aspects: ["the screen", "the battery life", "the step counter", "the strap", "the app"] },
  { name: "office chair", aspects: ["the seat", "the armrests", "the back support", "the wheels", "the height adjustment"] },
  { name: "electric kettle", aspects: ["the boiling time", "the handle", "the lid", "the auto shut-off", "the spout"] },
  { name: "air fryer", aspects: ["the basket", "the timer", "the cooking results", "the controls", "the size"] },
  { name: "bluetooth speaker", aspects: ["the sound", "the volume", "the battery life", "the pairing", "the bass"] },
  { name: "winter jacket", aspects: ["the hood", "the zipper", "the lining", "the pockets", "the warmth"] },
  { name: "frying pan", aspects: ["the nonstick coating", "the handle", "the heat spread", "the weight", "the lid"] },
  { name: "keyboard", aspects: ["the keys", "the backlight", "the layout", "the cable", "the wrist rest"] },
  { name: "water bottle", aspects: ["the lid", "the insulation", "the straw", "the size", "the paint"] },
  { name: "yoga mat", aspects: ["the grip", "the thickness", "the carrying strap", "the material", "the color"] },
  { name: "rice cooker", aspects: ["the rice", "the inner pot", "the keep-warm mode", "the buttons", "the steam vent"] },
  { name: "tent", aspects: ["the poles", "the rain cover", "the zipper", "the floor", "the setup"] },
  { name: "laptop stand", aspects: ["the hinge", "the height settings", "the rubber pads", "the frame", "the angle"] },
  { name: "toaster", aspects: ["the browning", "the slots", "the crumb tray", "the lever", "the settings"] },
  { name: "webcam", aspects: ["the picture", "the microphone", "the clip", "the autofocus", "the low-light quality"] },
  { name: "suitcase", aspects: ["the wheels", "the handle", "the zipper", "the lock", "the inside straps"] },
] as const;

/** Aspects every product has. */
export const GENERAL_ASPECTS = ["the price", "the delivery", "the packaging", "the instructions", "the build quality", "the customer service"] as const;

export function personName(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

/** "Kestrel X3", "Nova Pro", or a bare line name "Orbit". */
export function productModel(random: Random): string {
  const line = random.pick(PRODUCT_MODELS);
  return random.chance(0.8) ? `${line} ${random.pick(MODEL_SUFFIXES)}` : line;
}

export function dayOfMonth(random: Random): number {
  return random.int(1, 28);
}

export function year(random: Random, from = 2012, to = 2024): number {
  return random.int(from, to);
}

/** A calendar date in one of several written forms: "March 3", "March 3, 2021", "June 2019", "2018". */
export function dateText(random: Random): string {
  const month = random.pick(MONTHS);
  switch (random.weightedIndex([4, 3, 2, 1])) {
    case 0:
      return `${month} ${dayOfMonth(random)}`;
    case 1:
      return `${month} ${dayOfMonth(random)}, ${year(random)}`;
    case 2:
      return `${month} ${year(random)}`;
    default:
      return `${year(random)}`;
  }
}

/** "a" or "an" for the word that follows. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

/** Plural noun phrases ("the zippers") take "are"; "the bass" and "the thickness" do not. */
export function isPluralPhrase(phrase: string): boolean {
  const last = phrase.split(" ").pop() ?? "";
  return /[^s]s$/.test(last);
}

/** Fill {slot} markers in a generator's sentence pattern; an unknown slot is a bug in the pattern. */
export function fillSlots(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`pattern "${pattern}": no value for {${name}}.`);
    return values[name];
  });
}
