// Shop-listing blurbs written from a product's attributes (name, kind, brand, color, price, features): three or four
// sentences that state every attribute, in varied order and wording, and add nothing a reader could check. The
// products are review_rating's kinds and model names, so the listing and the reviews describe one world.
import { Random } from "../../../random";
import { COLORS, MANUFACTURERS, PRODUCT_KINDS, article, capitalize, fillSlots, productModel } from "../vocabulary";

/** Version of the product-blurb generator, written to meta.json. */
export const PRODUCT_BLURB_GENERATOR_VERSION = "1";

/** What each kind of product can come with, as noun phrases with their article. */
export const PRODUCT_FEATURES: Readonly<Record<string, readonly string[]>> = {
  "coffee maker": ["a 12-cup glass carafe", "a programmable timer", "a removable water tank", "a reusable filter", "an auto shut-off"],
  headset: ["active noise cancelling", "a 30-hour battery", "a foldable design", "a detachable microphone", "soft memory foam cushions"],
  backpack: ["a padded laptop pocket", "water-resistant fabric", "two side pockets", "padded shoulder straps", "a hidden back pocket"],
  blender: ["a 1000-watt motor", "a glass jar", "five speed settings", "stainless steel blades", "a pulse button"],
  "phone case": ["raised edges", "a slim design", "a soft grip finish", "reinforced corners", "a built-in card slot"],
  "desk lamp": ["three brightness levels", "a flexible arm", "a USB charging port", "a touch switch", "a weighted base"],
  "vacuum cleaner": ["strong suction", "a washable filter", "a 40-minute battery", "a large dust bin", "a quiet motor"],
  "bike helmet": ["twelve air vents", "an adjustable strap", "a magnetic buckle", "a rear light", "removable padding"],
  smartwatch: ["a bright touch screen", "a seven-day battery", "a heart rate monitor", "a step counter", "a waterproof case"],
  "office chair": ["adjustable armrests", "lumbar support", "a breathable mesh back", "smooth wheels", "a height adjustment lever"],
  "electric kettle": ["a 1.7-liter capacity", "an auto shut-off", "a water level window", "a cool-touch handle", "fast boiling"],
  "air fryer": ["a nonstick basket", "a digital timer", "eight cooking presets", "a 5-liter capacity", "a see-through window"],
  "bluetooth speaker": ["deep bass", "a 20-hour battery", "a waterproof body", "easy pairing", "a built-in microphone"],
  "winter jacket": ["a detachable hood", "a warm fleece lining", "two zip pockets", "a windproof shell", "a water-repellent finish"],
  "frying pan": ["a nonstick coating", "a stay-cool handle", "even heat spread", "a glass lid", "an induction-ready base"],
  keyboard: ["quiet keys", "a backlight", "a detachable cable", "a padded wrist rest", "a compact layout"],
  "water bottle": ["double-wall insulation", "a leak-proof lid", "a built-in straw", "a carrying loop", "a 750 ml capacity"],
  "yoga mat": ["a non-slip surface", "a 6 mm thickness", "a carrying strap", "eco-friendly material", "alignment lines"],
  "rice cooker": ["a nonstick inner pot", "a keep-warm mode", "a steam basket", "a delay timer", "one-touch buttons"],
  tent: ["room for four people", "a rain cover", "aluminum poles", "a waterproof floor", "a ten-minute setup"],
  "laptop stand": ["six height settings", "a foldable frame", "rubber pads", "an aluminum body", "open-air cooling"],
  toaster: ["extra-wide slots", "six browning levels", "a removable crumb tray", "a defrost button", "a reheat setting"],
  webcam: ["full HD video", "a built-in microphone", "autofocus", "a privacy cover", "a universal clip"],
  suitcase: ["four spinner wheels", "a telescopic handle", "a built-in lock", "inside straps", "an expandable zipper"],
};

/** The attributes of one listing. */
export interface ProductAttributes {
  name: string;
  kind: string;
  brand: string;
  color: string;
  price: string;
  features: string[];
}

function listPhrase(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A listing's attributes: a model name, a kind with two or three of its features, a brand, a color, a price. */
export function productAttributes(random: Random): ProductAttributes {
  const kind = random.pick(PRODUCT_KINDS).name;
  const dollars = random.int(12, 249);
  return {
    name: productModel(random),
    kind,
    brand: random.pick(MANUFACTURERS),
    color: random.pick(COLORS),
    price: `$${dollars}.${random.pick(["99", "99", "49", "00", "95"])}`,
    features: random.sample(PRODUCT_FEATURES[kind], random.int(2, 3)),
  };
}

// {name} {kind} {a_kind} ("an air fryer") {brand} {color} {a_color} ("an orange") {features} {price}.
const OPENERS_WITH_COLOR = [
  "Meet the {name}, {a_color} {kind} from {brand}.",
  "The {brand} {name} is {a_color} {kind} made for everyday use.",
  "Say hello to the {name}, the new {color} {kind} by {brand}.",
  "{brand} presents the {name}, {a_color} {kind} built to last.",
];
const OPENERS = [
  "Meet the {name}, {a_kind} from {brand}.",
  "The {name} is the newest {kind} from {brand}.",
  "Looking for a new {kind}? The {brand} {name} has you covered.",
];
const FEATURE_SENTENCES = ["It comes with {features}.", "Highlights include {features}.", "You get {features}.", "It offers {features}."];
const COLOR_SENTENCES = ["It comes in {color}.", "Available in {color}.", "The finish is {color}."];
const PRICE_SENTENCES = ["All for {price}.", "Yours for just {price}.", "Order yours today for {price}.", "The price is {price}."];

/** Three or four sentences stating every attribute: an opener (with or without the color), the features, the price. */
export function productBlurb(random: Random, attributes: ProductAttributes): string {
  const slots = {
    ...attributes,
    a_kind: `${article(attributes.kind)} ${attributes.kind}`,
    a_color: `${article(attributes.color)} ${attributes.color}`,
    features: listPhrase(attributes.features),
  };
  const colorInOpener = random.chance(0.6);
  const sentences = [
    random.pick(colorInOpener ? OPENERS_WITH_COLOR : OPENERS),
    random.pick(FEATURE_SENTENCES),
    ...(colorInOpener ? [] : [random.pick(COLOR_SENTENCES)]),
  ];
  // The price ends the blurb, or joins the feature sentence ("..., all for $49.99.") when the blurb is long enough.
  const joinPrice = !colorInOpener && random.chance(0.5);
  if (joinPrice) sentences[1] = sentences[1].replace(/\.$/, ", all for {price}.");
  else sentences.push(random.pick(PRICE_SENTENCES));
  return sentences.map((s) => capitalize(fillSlots(s, slots))).join(" ");
}

/** The attributes as the task shows them, one per line. */
export function attributeLines(attributes: ProductAttributes): string {
  return [
    `Name: ${attributes.name}`,
    `Type: ${attributes.kind}`,
    `Brand: ${attributes.brand}`,
    `Color: ${attributes.color}`,
    `Price: ${attributes.price}`,
    `Features: ${attributes.features.join("; ")}`,
  ].join("\n");
}

/** Listings: their attributes and a blurb. */
export function generateProductBlurbRecords(random: Random, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => {
    const attributes = productAttributes(random);
    return { ...attributes, blurb: productBlurb(random, attributes) };
  });
}
