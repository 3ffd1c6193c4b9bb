// Product pages of the lab's shops: name, price (sometimes on sale), stars, a few feature bullets with numbers,
// specifications, what is in the box, warranty, shipping and returns, and a short questions-and-answers section.
import { Random } from "../../../random";
import { PRODUCTS, Product, ProductCategory, dollars, formatDollars, priceText } from "../chat/lexicon";
import { say } from "../chat/phrase";
import { COLORS, productModel } from "../vocabulary";
import { agreement, aProduct, discounted, sceneVars } from "./world";

/** Version of the product pages; bump when their text changes. */
export const PRODUCT_PAGE_VERSION = "1";

// Feature bullets by category; {n}, {m}, {big} are small, medium and large numbers drawn per page.
const FEATURES: Record<ProductCategory, readonly string[]> = {
  electronics: [
    "Up to {n} hours of battery life on a single charge",
    "Charges fully in {m} minutes over USB-C",
    "Pairs over Bluetooth with phones, tablets and laptops",
    "Works with the free {model} app[ for updates and settings|]",
    "Weighs only {big} grams",
    "Turns itself off after {m} minutes without use",
    "[Simple|One-button] setup in under {n} minutes",
    "Includes a {n}-foot charging cable",
    "Energy-saving standby mode",
    "Firmware updates at no extra cost",
  ],
  kitchen: [
    "Powerful {big}-watt motor",
    "{n}-liter capacity, enough for the whole family",
    "Dishwasher-safe parts for quick cleanup",
    "{n} speed settings and a pulse button",
    "Nonstick coating that is free of PFOA",
    "Keep-warm mode holds food warm for up to {n} hours",
    "Cool-touch handle and a locking lid",
    "Ready in about {m} minutes",
    "Comes with a recipe booklet with {m} recipes",
    "Fits under most kitchen cabinets",
  ],
  home: [
    "Made of {material}",
    "Machine washable at 40 degrees",
    "Assembly takes about {m} minutes, tools included",
    "Holds up to {big} pounds",
    "Available in {n} colors",
    "Fits rooms up to {m} square meters",
    "Soft to the touch and easy to clean",
    "Designed in {city}",
    "Ships flat in one box",
    "Stain-resistant finish",
  ],
  clothing: [
    "Water-resistant outer fabric",
    "Sizes from XS to XXL",
    "{n} zip pockets",
    "Machine wash cold, hang to dry",
    "Made of {material}",
    "Reflective details for evening walks",
    "Weighs just {big} grams",
    "Free exchanges within {window} days",
    "Breathable lining for all-day comfort",
    "Available in {n} colors",
  ],
  outdoor: [
    "Weighs only {weight} pounds",
    "Fits up to {n} people",
    "UV protection and a waterproof coating",
    "Packs down to the size of a water bottle",
    "Tested in rain, wind and snow",
    "Made of recycled {material}",
    "Sets up in {m} minutes",
    "Comes with a carry bag",
    "Rated for temperatures down to {n} degrees",
    "Non-slip grip",
  ],
};
/** Weight ranges in tenths of a pound. */
const WEIGHTS: Record<ProductCategory, [number, number]> = { electronics: [2, 40], kitchen: [10, 180], home: [15, 500], clothing: [3, 40], outdoor: [5, 150] };
const MATERIALS = ["cotton", "recycled polyester", "bamboo", "oak wood", "steel and plastic", "soft wool", "canvas", "aluminum", "nylon", "linen"] as const;

const PRICE_LINES = [
  "Price: {price}",
  "{price}",
  "{price} with free shipping",
  "Our price: {price}[, tax included|]",
];
const SALE_LINES = [
  "Was {price}, now {salePrice} ({pct}% off)",
  "On sale: {salePrice} (regular price {price}), save {pct}%",
  "Sale price {salePrice} until {weekday}. Regular price {price}.",
  "{pct}% off with code {code}: {salePrice} instead of {price}",
];
const STARS = ["{stars} out of 5 stars ({count} ratings)", "Rated {stars}/5 by {count} customers", "{stars} stars, {count} reviews"];
const SHIPPING = [
  "Shipping: free standard shipping on orders over $35; usually ships within {days} business days.",
  "Delivery: [standard delivery in {days} business days|express delivery by {weekday} for $7.99].",
  "Ships from our warehouse in {city}. Free returns within {window} days.",
  "Order by 2 pm for same-day dispatch. Standard shipping takes {days} business days[ with {carrier}|].",
  "Free delivery by {weekday} for members; {days} business days otherwise.",
];
const RETURNS = [
  "Returns: return {itObj} within {window} days in new condition for a full refund. We email you a prepaid return label.",
  "Returns: {window}-day returns. Refunds go back to your original payment method within {days} business days.",
  "Not happy? Send {itObj} back within {window} days for a refund or store credit.",
  "Clearance items are final sale and cannot be returned. Other items can be returned within {window} days.",
  "Returns are free within {window} days; used items may only be eligible for store credit.",
];
const WARRANTY = [
  "Warranty: {warrantyYears}-year limited warranty against defects. Accidental damage and water damage are not covered.",
  "Comes with a {warrantyYears}-year warranty. Repairs under warranty are free; contact our repair team to book one.",
  "Covered by a {warrantyYears}-year manufacturer warranty[ from the date of purchase|].",
];
const NO_WARRANTY = ["No manufacturer warranty; covered by our {window}-day return policy.", "Satisfaction guarantee: return {itObj} within {window} days if you are not happy."];
const IN_THE_BOX = ["In the box: {product}, quick start guide, warranty card.", "What's included: the {product} and a user manual.", "Package contents: 1 x {product}[, 1 x charging cable|, 1 x carry bag|]."];

// Questions and answers under the page: {asker} is a shopper's first name.
const QUESTIONS: readonly (readonly [string, string])[] = [
  ["Does the {product} come with a warranty?", "<warranty:Yes, a {warrantyYears}-year limited warranty. It covers defects but not accidental damage.><!warranty:There is no manufacturer warranty, but you can return {itObj} within {window} days.>"],
  ["Can I return {itObj} if {it} {is} not what I expected?", "Yes, within {window} days in new condition. We send you a free return label and refund you once {it} arrives back."],
  ["How long does shipping to {city} take?", "Usually {days} business days with {carrier}. You get a tracking number by email when {it} ships."],
  ["Is the {product} available in {color}?", "[Yes|Not right now], [it comes in {n} colors|we expect more colors in {month}]."],
  ["Will the price drop again?", "We can't say, but if the price drops within 14 days of your purchase, contact us for a price adjustment."],
  ["Can I use promo code {code} on this item?", "Codes do not apply to items that are already on sale. Otherwise yes, enter it at checkout."],
  ["What if {it} arrives damaged?", "Send us a photo within {days} days and we will ship a replacement at no cost."],
  ["Does it ship outside the country?", "Not yet, sorry. We ship to all addresses in the country, including {city}."],
  ["How heavy is {it}?", "About {weight} pounds[ without the packaging|]."],
  ["Is it easy to clean?", "Yes, [most parts are dishwasher safe|a damp cloth is enough], according to the manual."],
];
const ANSWERED_BY = ["Answered by {shop} support", "Answer from {agent} at {shop}", "Answered by a customer", "{friend} answered", "Answered by a verified shopper"];

/** Title-case the first letter of every word: "air fryer" -> "Air Fryer". */
function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** One product page of a shop. */
export function productPageDocument(random: Random): string {
  const product: Product = random.pick(PRODUCTS);
  const model = productModel(random);
  const price = priceText(random, product.price);
  const scene = sceneVars(random);
  const vars: Record<string, string> = {
    ...scene,
    ...agreement(product),
    product: product.name,
    a_product: aProduct(product),
    model,
    price,
    salePrice: discounted(price, scene.pct),
    color: random.pick(COLORS),
    material: random.pick(MATERIALS),
    stars: (random.int(28, 50) / 10).toFixed(1),
    count: String(random.int(3, 2400)),
    n: String(random.int(2, 12)),
    m: String(random.int(10, 60)),
    big: String(random.int(120, 1800)),
    weight: (random.int(...WEIGHTS[product.category]) / 10).toFixed(1),
  };
  const on = new Set(product.warranty ? ["warranty"] : []);
  const lines: string[] = [];
  lines.push(say([`${model} ${titleCase(product.name)}`, `${titleCase(product.name)} "${model}"`, `${model} ${product.name} | {shop}`], random, vars));
  if (random.chance(0.5)) lines.push(say(["Sold by {shop}", "Sold and shipped by {shop}", "Brand: {model}. Sold by {shop}."], random, vars));
  lines.push(say(random.chance(0.35) ? SALE_LINES : PRICE_LINES, random, vars));
  if (random.chance(0.7)) lines.push(say(STARS, random, vars));
  lines.push(say(["About this item:", "Features:", "Highlights:", "Why you'll like it:"], random, vars));
  for (const feature of random.sample(FEATURES[product.category], random.int(3, 5))) lines.push(`- ${say([feature], random, vars)}`);
  const specs = [`Color: ${vars.color}`, `Weight: ${vars.weight} pounds`, `Model: ${model}`, `Item number: ${random.int(100000, 999999)}`];
  lines.push(`Specifications: ${random.sample(specs, random.int(2, 4)).join("; ")}.`);
  if (random.chance(0.5)) lines.push(say(IN_THE_BOX, random, vars));
  lines.push(say(product.warranty ? WARRANTY : NO_WARRANTY, random, vars));
  lines.push(say(SHIPPING, random, vars));
  if (random.chance(0.7)) lines.push(say(RETURNS, random, vars));
  if (random.chance(0.3)) lines.push(`Bundle: buy it with ${vars.a_other} and pay ${formatDollars(dollars(price) + dollars(vars.otherPrice) * 0.9)} for both.`);
  const asked = random.int(0, 3);
  if (asked > 0) {
    lines.push(say(["Questions and answers", "Customer questions", "Q&A"], random, vars));
    for (const [question, answer] of random.sample(QUESTIONS, asked)) {
      lines.push(`Q: ${say([question], random, vars, on)}`);
      lines.push(`A: ${say([answer], random, vars, on)} (${say(ANSWERED_BY, random, vars)})`);
    }
  }
  return lines.join("\n");
}
