// Word lists for the customer-service chats: shops and services, products with price ranges, subscription
// plans, agent names, and the small talk and filler that real chats are full of. All fictional, plain English.
import { Random } from "../../../random";
import { article } from "../vocabulary";

export type ProductCategory = "electronics" | "kitchen" | "home" | "clothing" | "outdoor";

export interface Product {
  /** The name as the summary states it (the `product` fact): "coffee grinder". */
  name: string;
  category: ProductCategory;
  plural?: boolean;
  /** With its article, when "a" + name does not work: "a pair of running shoes". */
  a?: string;
  /** Price range in whole dollars. */
  price: [number, number];
  /** Whether it comes with a repair warranty (electronics and appliances). */
  warranty?: boolean;
}

export const PRODUCTS: readonly Product[] = [
  { name: "wireless earbuds", category: "electronics", plural: true, a: "a pair of wireless earbuds", price: [29, 149], warranty: true },
  { name: "bluetooth speaker", category: "electronics", price: [25, 180], warranty: true },
  { name: "phone charger", category: "electronics", price: [12, 45] },
  { name: "laptop stand", category: "electronics", price: [19, 79] },
  { name: "smartwatch", category: "electronics", price: [99, 349], warranty: true },
  { name: "tablet case", category: "electronics", price: [15, 59] },
  { name: "gaming headset", category: "electronics", price: [39, 199], warranty: true },
  { name: "webcam", category: "electronics", price: [35, 129], warranty: true },
  { name: "computer monitor", category: "electronics", price: [129, 399], warranty: true },
  { name: "e-reader", category: "electronics", price: [89, 249], warranty: true },
  { name: "fitness tracker", category: "electronics", price: [39, 159], warranty: true },
  { name: "power bank", category: "electronics", price: [19, 69], warranty: true },
  { name: "wireless mouse", category: "electronics", price: [15, 79] },
  { name: "keyboard", category: "electronics", price: [29, 149], warranty: true },
  { name: "robot vacuum", category: "electronics", price: [179, 499], warranty: true },
  { name: "air purifier", category: "electronics", price: [89, 299], warranty: true },
  { name: "electric toothbrush", category: "electronics", price: [29, 119], warranty: true },
  { name: "hair dryer", category: "electronics", price: [25, 129], warranty: true },
  { name: "security camera", category: "electronics", price: [39, 199], warranty: true },
  { name: "printer", category: "electronics", price: [79, 299], warranty: true },
  { name: "coffee grinder", category: "kitchen", price: [25, 129], warranty: true },
  { name: "blender", category: "kitchen", price: [35, 199], warranty: true },
  { name: "air fryer", category: "kitchen", price: [49, 179], warranty: true },
  { name: "stand mixer", category: "kitchen", price: [149, 449], warranty: true },
  { name: "toaster", category: "kitchen", price: [25, 99], warranty: true },
  { name: "electric kettle", category: "kitchen", price: [19, 89], warranty: true },
  { name: "knife set", category: "kitchen", price: [39, 199] },
  { name: "frying pan", category: "kitchen", price: [19, 89] },
  { name: "rice cooker", category: "kitchen", price: [29, 149], warranty: true },
  { name: "espresso machine", category: "kitchen", price: [129, 599], warranty: true },
  { name: "food processor", category: "kitchen", price: [59, 249], warranty: true },
  { name: "slow cooker", category: "kitchen", price: [29, 99], warranty: true },
  { name: "dinner plates", category: "kitchen", plural: true, a: "a set of dinner plates", price: [24, 89] },
  { name: "water filter", category: "kitchen", price: [19, 59] },
  { name: "desk chair", category: "home", price: [89, 349] },
  { name: "bookshelf", category: "home", price: [59, 249] },
  { name: "duvet cover", category: "home", price: [29, 99] },
  { name: "bath towels", category: "home", plural: true, a: "a set of bath towels", price: [19, 69] },
  { name: "floor lamp", category: "home", price: [39, 159] },
  { name: "area rug", category: "home", price: [49, 299] },
  { name: "curtains", category: "home", plural: true, a: "a pair of curtains", price: [25, 119] },
  { name: "wall clock", category: "home", price: [19, 79] },
  { name: "storage boxes", category: "home", plural: true, a: "a set of storage boxes", price: [15, 59] },
  { name: "standing desk", category: "home", price: [199, 599] },
  { name: "mattress topper", category: "home", price: [59, 229] },
  { name: "pillows", category: "home", plural: true, a: "two pillows", price: [25, 99] },
  { name: "rain jacket", category: "clothing", price: [49, 189] },
  { name: "running shoes", category: "clothing", plural: true, a: "a pair of running shoes", price: [59, 169] },
  { name: "winter boots", category: "clothing", plural: true, a: "a pair of winter boots", price: [69, 229] },
  { name: "wool sweater", category: "clothing", price: [39, 129] },
  { name: "backpack", category: "clothing", price: [29, 149] },
  { name: "leather wallet", category: "clothing", price: [25, 89] },
  { name: "sunglasses", category: "clothing", plural: true, a: "a pair of sunglasses", price: [19, 159] },
  { name: "denim jacket", category: "clothing", price: [45, 129] },
  { name: "yoga mat", category: "outdoor", price: [19, 79] },
  { name: "camping tent", category: "outdoor", price: [89, 399] },
  { name: "bike helmet", category: "outdoor", price: [35, 149] },
  { name: "sleeping bag", category: "outdoor", price: [49, 199] },
  { name: "water bottle", category: "outdoor", price: [15, 45] },
  { name: "hiking poles", category: "outdoor", plural: true, a: "a pair of hiking poles", price: [29, 129] },
  { name: "garden hose", category: "outdoor", price: [25, 79] },
  { name: "tennis racket", category: "outdoor", price: [39, 199] },
  { name: "dumbbell set", category: "outdoor", price: [49, 249] },
  { name: "cooler bag", category: "outdoor", price: [25, 89] },
];

/** Online shops; any shop may sell any product (they are general stores with a leaning). */
export const SHOPS = [
  "Northwind Market", "HomeNest", "Gadget Harbor", "Pinewood Outfitters", "Maple Mart", "Bluebird Electronics",
  "Sunny Kitchen", "Trailhead Sports", "Urban Basket", "Cedar Lane Home", "Brightway Store", "Daily Goods",
  "Harbor Home", "Summit Outdoor", "Corner Shop Online", "Riverside Supply",
] as const;

export interface Service {
  name: string;
  /** What the subscription gives: "streaming", "music". */
  kind: string;
  plans: readonly string[];
}

/** Subscription services; a plan name ("Premium plan") is the `product` fact of subscription chats. */
export const SERVICES: readonly Service[] = [
  { name: "StreamBox", kind: "video streaming", plans: ["Basic plan", "Standard plan", "Premium plan", "Family plan"] },
  { name: "Tunely", kind: "music", plans: ["Individual plan", "Duo plan", "Family plan", "Student plan"] },
  { name: "FitPath", kind: "fitness app", plans: ["Monthly plan", "Annual plan", "Pro plan"] },
  { name: "CloudVault", kind: "cloud storage", plans: ["100 GB plan", "1 TB plan", "Family plan", "Business plan"] },
  { name: "FreshCrate", kind: "meal kit", plans: ["two-person plan", "family plan", "veggie plan", "weekly plan"] },
  { name: "PageTurner", kind: "ebook", plans: ["Basic plan", "Unlimited plan", "Annual plan"] },
  { name: "NewsDaily", kind: "news", plans: ["Digital plan", "Weekend plan", "All Access plan"] },
  { name: "PetBox", kind: "pet supply", plans: ["Small Dog plan", "Large Dog plan", "Cat plan"] },
];

export const AGENT_NAMES = [
  "Tom", "Maria", "Kevin", "Priya", "Sam", "Jasmine", "Alex", "Rachel", "Brian", "Mina", "Chris", "Olivia",
  "Jordan", "Beth", "Ahmed", "Lucy", "Marco", "Dana", "Ryan", "Keiko", "Paul", "Tina", "Luis", "Megan",
  "Erin", "Noel", "Sandra", "Greg", "Ivy", "Jamal",
] as const;

export const PERCENTS = ["10", "15", "20", "25", "30"] as const;

/** A price like "$45.99" from a whole-dollar range. */
export function priceText(random: Random, [lo, hi]: readonly [number, number]): string {
  const dollars = random.int(lo, hi);
  const cents = random.pick(["99", "99", "99", "00", "49", "95", String(random.int(10, 89))]);
  return `$${dollars}.${cents}`;
}

export function dollars(text: string): number {
  return Number(text.replace(/[$,]/g, ""));
}

export function formatDollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** An order number as shops print them: 6 to 8 digits, no leading zero. */
export function orderNumber(random: Random): string {
  const length = random.pick([6, 7, 7, 8]);
  let digits = String(random.int(1, 9));
  while (digits.length < length) digits += String(random.int(0, 9));
  return digits;
}

/** Small talk and filler: pairs of (one speaker, the other's answer) that have nothing to do with the problem. */
export const SMALL_TALK: readonly { customer: string; agent: string; customerFirst: boolean }[] = [
  { customerFirst: true, customer: "Sorry, [I'm typing on my phone|my cat just walked across the keyboard|my kids are yelling in the background], give me a second.", agent: "[No problem|No worries|Take your time], I'm here." },
  { customerFirst: true, customer: "By the way, [this is my first time ordering from you|I've been a customer for years|I usually shop in the store], so I'm not sure how this works.", agent: "[That's okay|No problem at all], I'll walk you through it." },
  { customerFirst: true, customer: "[Sorry if I sound a bit stressed|Sorry, it's been a long day], [work has been crazy|I just got home from work].", agent: "[Totally understandable|I get it], let's get this sorted out for you." },
  { customerFirst: false, agent: "How's your day going so far?", customer: "[Pretty good|Not bad|Busy], apart from this[, thanks for asking|]." },
  { customerFirst: false, agent: "Thanks for bearing with me, our system is a little slow today.", customer: "[That's fine|No rush|It's okay], I'm not in a hurry." },
  { customerFirst: true, customer: "Are you a real person or a bot?", agent: "I'm a real person[, I promise|]! [Happy to help.|Let's sort this out.]" },
  { customerFirst: false, agent: "I see you're in [the snow|the rain|the heat] today, stay [warm|dry|cool]!", customer: "Ha, [thanks|I'll try]." },
  { customerFirst: true, customer: "[I was on hold on the phone for a while before this|I tried calling first but the line was busy], so thanks for picking up the chat.", agent: "[Sorry about the wait|I'm sorry you had to wait], [it's been a busy day|we're short on staff today]." },
];

/** Agent's "let me check" lines: fillers before an answer. */
export const HOLD_LINES = [
  "[Let me|Give me a moment to|One moment while I] [look into that|check on that|pull that up].",
  "[One moment|Just a moment|Bear with me], please.",
  "[Let me take a look|I'm checking now].",
  "[Please hold on|Hang on] a minute while I [check|look at] your account.",
] as const;

/** The customer's patience lines. */
export const WAITING_LINES = ["Sure.", "Okay.", "No problem.", "Thanks.", "Sure, take your time."] as const;

/** "a blender", "an air fryer", or the product's own phrase ("a pair of running shoes"). */
export function aProduct(product: Product): string {
  return product.a ?? `${article(product.name)} ${product.name}`;
}

/** The words that agree with a product ("it was" / "they were"). */
export function agreement(product: Product): Record<string, string> {
  const plural = product.plural === true;
  return {
    it: plural ? "they" : "it",
    It: plural ? "They" : "It",
    itObj: plural ? "them" : "it",
    is: plural ? "are" : "is",
    was: plural ? "were" : "was",
    has: plural ? "have" : "has",
  };
}
