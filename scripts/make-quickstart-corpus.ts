// Writes the quickstart data: a tokenizer training corpus (one sentence per line) and a few instruction examples.
//
//   node --import tsx scripts/make-quickstart-corpus.ts [--out datasets/quickstart] [--sentences 5000] [--examples 64] [--seed 20261124]
//
// Everything is templated from the word lists below with a seeded generator, so the same flags always give the
// same files. The real multi-task datasets live elsewhere (src/lab/corpus/); this is only enough text for a
// small tokenizer and a few training steps in the quickstart notebook.
import * as fs from "fs";
import * as path from "path";
import { mulberry32 } from "../src/random";

type Random = () => number;
const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (rand: Random, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const withArticle = (s: string): string => (/^[aeiou]/.test(s) ? `an ${s}` : `a ${s}`);

const PRODUCTS = [
  "wireless headset", "coffee maker", "blender", "desk lamp", "backpack", "phone case", "water bottle",
  "pair of running shoes", "rain jacket", "keyboard", "office chair", "toaster", "electric kettle", "yoga mat",
  "smart watch", "bluetooth speaker", "winter coat", "frying pan", "vacuum cleaner", "laptop stand",
  "pair of sunglasses", "alarm clock", "hair dryer", "travel mug", "set of bed sheets", "camera bag", "garden hose",
  "baby monitor", "board game", "rice cooker", "microwave oven", "electric toothbrush", "gaming mouse", "tablet",
  "sleeping bag", "camping tent", "bicycle helmet", "air purifier", "standing fan", "ceiling light", "wall clock",
  "cutting board", "knife set", "dinner plate set", "picture frame", "wool sweater", "leather wallet", "silk scarf",
  "printer", "webcam", "power bank", "charging cable", "suitcase", "umbrella", "dog bed", "cat tree",
  "bookshelf", "mattress", "pillow", "kitchen scale", "juicer", "pressure cooker", "sewing machine", "drill",
  "snow shovel", "fishing rod", "tennis racket", "skateboard", "guitar", "violin case", "paint set", "notebook",
  "fountain pen", "jigsaw puzzle", "teddy bear", "toy train", "flower vase", "candle holder", "bath towel",
  "shower curtain", "doormat", "laundry basket", "ironing board", "thermometer",
] as const;
const COLORS = [
  "black", "white", "red", "blue", "green", "gray", "silver", "pink", "yellow", "brown", "purple", "orange",
  "navy", "beige", "gold", "turquoise",
] as const;
const NAMES = [
  "Anna", "Ben", "Carlos", "Diana", "Emma", "Farid", "Grace", "Hiro", "Isabel", "James", "Kofi", "Laura",
  "Mei", "Nora", "Omar", "Priya", "Sam", "Tom", "Yuki", "Zara", "Ahmed", "Bianca", "Chen", "David", "Elena",
  "Fatima", "George", "Hannah", "Ivan", "Julia", "Kenji", "Lucas", "Maria", "Nikolai", "Olivia", "Pedro",
  "Rosa", "Sofia", "Victor", "William", "Amara", "Bruno", "Clara", "Dmitri", "Esther", "Felix", "Gabriel",
  "Helen", "Ingrid", "Jorge", "Leila", "Marco", "Nadia", "Oscar", "Rahul", "Tariq",
] as const;
const WHEN = [
  "last week", "two days ago", "a month ago", "yesterday", "in March", "last summer", "as a gift", "in January",
  "three weeks ago", "last winter", "during the spring sale", "on Black Friday", "in October", "this morning",
] as const;
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const MONTHS = [
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
  "December",
] as const;
const PARTS = [
  "handle", "lid", "cable", "button", "strap", "zipper", "battery", "screen", "cover", "switch", "wheel", "hinge",
  "plug", "charger", "remote", "filter", "motor", "fabric", "stitching", "packaging", "instruction manual",
] as const;
const MATERIALS = ["plastic", "metal", "leather", "cotton", "glass", "wooden", "steel", "rubber", "wool", "nylon", "ceramic", "bamboo"] as const;
const GOOD = [
  "sturdy", "comfortable", "quiet", "lightweight", "reliable", "stylish", "durable", "powerful", "elegant",
  "practical", "cozy", "bright", "soft", "fast", "easy to clean", "simple to set up", "well made", "beautiful",
  "sleek", "roomy", "sharp", "warm", "accurate", "gentle", "efficient", "handy", "affordable", "charming",
] as const;
const BAD = [
  "flimsy", "noisy", "heavy", "fragile", "uncomfortable", "dim", "slow", "cheap", "leaky", "wobbly", "scratchy",
  "confusing", "hard to clean", "badly made", "ugly", "smelly", "sticky", "blurry", "loose", "stiff",
  "brittle", "greasy", "overpriced", "unreliable", "clumsy", "tiny",
] as const;
const USES = [
  "cooking", "hiking", "traveling", "studying", "running", "camping", "gardening", "working from home",
  "commuting", "cleaning the house", "watching movies", "the gym", "school", "my small apartment", "the office",
  "baking bread", "yoga classes", "road trips", "the beach", "birthday parties", "late night reading",
  "fishing trips", "painting", "music lessons",
] as const;
const PEOPLE = [
  "my daughter", "my husband", "my wife", "my son", "my roommate", "my grandmother", "my coworker", "my neighbor",
  "my brother", "my sister", "my parents", "my best friend", "my kids",
] as const;
const CITIES = [
  "Boston", "Denver", "Chicago", "Seattle", "Austin", "Toronto", "Dublin", "London", "Madrid", "Berlin",
  "Sydney", "Nairobi", "Lagos", "Mumbai", "Osaka", "Lisbon", "Vienna", "Montreal", "Phoenix", "Atlanta",
  "Houston", "Miami", "Portland", "Oslo", "Prague", "Warsaw", "Cairo", "Singapore", "Seoul", "Melbourne",
  "Helsinki", "Athens", "Brussels", "Zurich", "Manila", "Jakarta", "Lima", "Bogota", "Santiago", "Vancouver",
] as const;
const PAYMENTS = ["credit card", "debit card", "gift card", "bank transfer", "store credit", "cash on delivery"] as const;

/** Review sentences by star rating (1..5); {p} is the product, {part} a part of it, {when} a time. */
const REVIEW_LINES: Record<number, readonly string[]> = {
  5: [
    "I love this {p}, it works perfectly.",
    "Best {p} I have ever owned!",
    "Absolutely great quality and it arrived early.",
    "I bought the {p} {when} and it still works like new.",
    "Excellent value for the money, highly recommended.",
    "My whole family uses the {p} every day and we are very happy.",
    "It is {good} and {good}, perfect for {use}.",
    "I gave one to {person} and they love it too.",
  ],
  4: [
    "Pretty good {p}, just a few small issues.",
    "Works well, but the {part} feels a little cheap.",
    "Good {p} for the price, I would buy it again.",
    "Nice design and solid build, although shipping was slow.",
    "The {p} does the job, the {part} could be better.",
    "Quite {good}, although a little {bad}.",
    "I use it for {use} and it is mostly {good}.",
  ],
  3: [
    "It is okay, nothing special.",
    "Average quality for the price.",
    "The {p} works, but I expected more.",
    "Some things are good and some are bad, so three stars.",
    "Not bad, not great, the {part} is a bit weak.",
    "The {material} {part} is {good}, but the {part2} is {bad}.",
    "Fine for {use}, but {person} thinks it is too {bad}.",
  ],
  2: [
    "Not great, the {p} stopped working after a week.",
    "The {part} broke soon after I bought it {when}.",
    "Poor quality, I would not buy this {p} again.",
    "Disappointing, it looks nothing like the pictures.",
    "It works sometimes, but the {part} keeps failing.",
    "The {material} {part} feels {bad} and {bad}.",
    "I wanted it for {use}, but it is far too {bad}.",
  ],
  1: [
    "Terrible, it broke on the first day.",
    "Complete waste of money!",
    "The {p} arrived broken and nobody answered my emails.",
    "Worst purchase I have made this year.",
    "Do not buy this {p}, the {part} fell off right away.",
    "Incredibly {bad}, I am returning it tomorrow.",
    "Even {person} could not get the {part} to work.",
  ],
};

/** What went wrong with an order (as the customer says it, as a summary puts it) and fixes an agent may offer. */
interface Fix {
  agent: string;
  summary: string;
}
interface Issue {
  says: string;
  summary: string;
  fixes: readonly Fix[];
}
const FIXES: Record<string, Fix> = {
  replace: { agent: "send you a replacement today", summary: "send a replacement" },
  refund: { agent: "issue a full refund right away", summary: "refund the order" },
  discount: { agent: "give you a discount on your next order", summary: "offer a discount" },
  part: { agent: "ship the missing part tomorrow", summary: "ship the missing part" },
  exchange: { agent: "pick it up and exchange it for free", summary: "exchange it for free" },
  resend: { agent: "ship a new one by express delivery", summary: "ship a new one by express" },
};
const ISSUES: readonly Issue[] = [
  { says: "arrived damaged", summary: "arrived damaged", fixes: [FIXES.replace, FIXES.refund] },
  { says: "has not arrived yet", summary: "had not arrived", fixes: [FIXES.resend, FIXES.refund, FIXES.discount] },
  { says: "is the wrong size", summary: "was the wrong size", fixes: [FIXES.exchange, FIXES.refund] },
  { says: "is missing a part", summary: "was missing a part", fixes: [FIXES.part, FIXES.replace] },
  { says: "stopped working after two days", summary: "stopped working", fixes: [FIXES.replace, FIXES.refund] },
  { says: "came in the wrong color", summary: "came in the wrong color", fixes: [FIXES.exchange, FIXES.discount] },
];

function fill(template: string, rand: Random, product: string): string {
  return template
    .replace("{p}", product)
    .replace("{part}", pick(rand, PARTS))
    .replace("{part2}", pick(rand, PARTS))
    .replace("{when}", pick(rand, WHEN))
    .replace("{material}", pick(rand, MATERIALS))
    .replace("{use}", pick(rand, USES))
    .replace("{person}", pick(rand, PEOPLE))
    .replace(/\{good\}/g, () => pick(rand, GOOD))
    .replace(/\{bad\}/g, () => pick(rand, BAD));
}

interface Review {
  text: string;
  rating: number;
}

function makeReview(rand: Random): Review {
  const rating = int(rand, 1, 5);
  const product = pick(rand, PRODUCTS);
  const first = fill(pick(rand, REVIEW_LINES[rating]), rand, product);
  let second = fill(pick(rand, REVIEW_LINES[rating]), rand, product);
  if (second === first) second = "";
  const text = rand() < 0.6 && second ? `${first} ${second}` : first;
  return { text, rating };
}

interface Chat {
  turns: string[];
  summary: string;
}

function makeChat(rand: Random): Chat {
  const name = pick(rand, NAMES);
  const agent = pick(rand, NAMES.filter((n) => n !== name));
  const product = pick(rand, PRODUCTS);
  const issue = pick(rand, ISSUES);
  const fix = pick(rand, issue.fixes);
  const order = int(rand, 10000, 99999);
  const greeting = pick(rand, ["Hi", "Hello", "Good morning", "Good afternoon", "Hey there"]);
  const turns = [
    `Customer: ${greeting}, this is ${name}. My ${product} ${issue.says}.`,
    pick(rand, [
      `Agent: Hello ${name}, I am ${agent}. Could you give me your order number?`,
      `Agent: Hi ${name}, my name is ${agent}. What is your order number, please?`,
      `Agent: Thanks for reaching out, ${name}. May I have the order number?`,
    ]),
    pick(rand, [`Customer: Sure, it is ${order}.`, `Customer: The order number is ${order}.`, `Customer: It is ${order}, I ordered it in ${pick(rand, MONTHS)}.`]),
    pick(rand, [
      `Agent: Thank you. I am sorry about that, I will ${fix.agent}.`,
      `Agent: I apologize for the trouble. I will ${fix.agent}.`,
      `Agent: I found your order. I am very sorry, and I will ${fix.agent}.`,
    ]),
    pick(rand, [
      "Customer: Great, thanks for your help.",
      "Customer: Okay, that works for me.",
      "Customer: Thank you, have a nice day.",
      "Customer: Perfect, I appreciate it.",
      "Customer: Wonderful, thank you so much.",
    ]),
  ];
  const summary = pick(rand, [
    `${name}'s ${product} ${issue.summary}, and the agent will ${fix.summary} for order ${order}.`,
    `Order ${order}: the ${product} ${issue.summary}. The agent will ${fix.summary}.`,
    `The customer reported that the ${product} ${issue.summary}; ${agent} agreed to ${fix.summary}.`,
  ]);
  return { turns, summary };
}

interface Fact {
  context: string;
  question: string;
  answer: string;
}

function makeFact(rand: Random): Fact {
  const product = pick(rand, PRODUCTS);
  const color = pick(rand, COLORS);
  const dollars = int(rand, 5, 199);
  const price = `$${dollars}.${pick(rand, ["00", "49", "95", "99"])}`;
  const days = int(rand, 2, 9);
  const day = pick(rand, DAYS);
  const context = `The ${color} ${product} costs ${price} and ships in ${days} days. The store is closed on ${day}.`;
  const [question, answer] = pick(rand, [
    [`How much does the ${product} cost?`, price],
    [`What color is the ${product}?`, color],
    [`How many days does shipping take?`, `${days} days`],
    [`On which day is the store closed?`, day],
  ] as const);
  return { context, question, answer };
}

/** Plain sentences so the tokenizer also sees everyday phrasing around the same words. */
function makeSentence(rand: Random): string {
  const product = pick(rand, PRODUCTS);
  const name = pick(rand, NAMES);
  const n = int(rand, 2, 12);
  return pick(rand, [
    `${name} bought ${withArticle(`${pick(rand, COLORS)} ${product}`)} ${pick(rand, WHEN)}.`,
    `Delivery usually takes ${n} days, but it can be slower on holidays.`,
    `The store opens at ${int(rand, 7, 10)} in the morning and closes at ${int(rand, 5, 9)} in the evening.`,
    `You can return the ${product} within ${n * 5} days if you keep the receipt.`,
    `${name} asked whether the ${product} comes with a warranty.`,
    `Our support team answers chats from ${pick(rand, DAYS)} to ${pick(rand, DAYS)}.`,
    `Question: Does the ${product} come in ${pick(rand, COLORS)}? Answer: Yes, it does.`,
    `Question: Can I change my delivery address? Answer: Yes, before the order ships.`,
    `Question: Can I pay by ${pick(rand, PAYMENTS)}? Answer: Yes, we accept it for every order.`,
    `${capitalize(pick(rand, COLORS))} is the most popular color for the ${product} this year.`,
    `Please rate your experience from 1 to 5 stars.`,
    `The package was shipped from ${pick(rand, CITIES)} on ${pick(rand, DAYS)} and should reach ${pick(rand, CITIES)} by ${pick(rand, DAYS)}.`,
    `The ${product} is made of ${pick(rand, MATERIALS)} and comes with a ${int(rand, 1, 5)} year warranty.`,
    `${name} paid for the ${product} with a ${pick(rand, PAYMENTS)} on ${pick(rand, MONTHS)} ${int(rand, 1, 28)}.`,
    `Many customers say the ${product} is ${pick(rand, GOOD)}, but a few find it ${pick(rand, BAD)}.`,
    `${capitalize(pick(rand, PEOPLE))} uses the ${product} for ${pick(rand, USES)} almost every day.`,
    `Our warehouse in ${pick(rand, CITIES)} is closed for inventory until ${pick(rand, MONTHS)}.`,
    `The ${product} weighs about ${n} pounds and fits in a small box.`,
    `Shipping is free for orders over ${n * 10} dollars.`,
    `If the ${pick(rand, PARTS)} breaks, we will replace it at no cost.`,
    `Members earn ${n} loyalty points for every dollar they spend.`,
    `Your tracking number and invoice are attached to the confirmation email.`,
    `Use the coupon code SPRING${n} to save ${n} percent on your next purchase.`,
    `The monthly subscription can be cancelled at any time without a fee.`,
    `Heavy snow in ${pick(rand, CITIES)} delayed several deliveries this week.`,
    `Our newest ${product} was designed by a small team of engineers in ${pick(rand, CITIES)}.`,
    `Customers who bought the ${product} also looked at the ${pick(rand, PRODUCTS)}.`,
    `Please wrap fragile items carefully before sending them back to us.`,
    `Gift wrapping costs ${n} dollars and includes a handwritten card.`,
    `The ${product} is temporarily out of stock, but we expect more in ${pick(rand, MONTHS)}.`,
  ]);
}

export interface Example {
  input: string;
  target: string;
}

const SENTIMENT_OF = (rating: number): string => (rating >= 4 ? "positive" : "negative");

function makeExample(rand: Random, kind: number): Example {
  switch (kind % 4) {
    case 0: {
      const r = makeReview(rand);
      return { input: `Rate this review from 1 to 5: ${r.text}`, target: String(r.rating) };
    }
    case 1: {
      let r = makeReview(rand);
      while (r.rating === 3) r = makeReview(rand);
      return { input: `Is this review positive or negative? ${r.text}`, target: SENTIMENT_OF(r.rating) };
    }
    case 2: {
      const c = makeChat(rand);
      return { input: `Summarize: ${c.turns.join(" ")}`, target: c.summary };
    }
    default: {
      const f = makeFact(rand);
      return { input: `Answer the question. ${f.context} Question: ${f.question}`, target: f.answer };
    }
  }
}

/** Corpus lines: one sentence or chat turn per line, deduplicated, in generation order. */
export function makeCorpus(rand: Random, count: number): string[] {
  const lines = new Set<string>();
  let attempts = 0;
  while (lines.size < count && attempts < count * 20) {
    attempts++;
    const kind = rand();
    if (kind < 0.3) {
      const r = makeReview(rand);
      lines.add(r.text);
      if (rand() < 0.3) lines.add(`Rating: ${r.rating} out of 5 stars. The review is ${SENTIMENT_OF(r.rating)}.`);
    } else if (kind < 0.55) {
      const c = makeChat(rand);
      for (const turn of c.turns) lines.add(turn);
      lines.add(`Summary: ${c.summary}`);
    } else if (kind < 0.75) {
      const f = makeFact(rand);
      lines.add(f.context);
      lines.add(`Question: ${f.question} Answer: ${f.answer}.`);
    } else {
      lines.add(makeSentence(rand));
    }
    if (rand() < 0.05) lines.add(makeExample(rand, int(rand, 0, 3)).input);
  }
  return [...lines].slice(0, count);
}

export function makeExamples(rand: Random, count: number): Example[] {
  return Array.from({ length: count }, (_, i) => makeExample(rand, i));
}

function parseArgs(argv: string[]): { out: string; sentences: number; examples: number; seed: number } {
  const args = { out: "datasets/quickstart", sentences: 5000, examples: 64, seed: 20261124 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--out") args.out = value;
    else if (flag === "--sentences") args.sentences = Number(value);
    else if (flag === "--examples") args.examples = Number(value);
    else if (flag === "--seed") args.seed = Number(value);
    else throw new Error(`unknown flag ${flag} (flags: --out DIR --sentences N --examples N --seed N)`);
  }
  return args;
}

function readme(args: ReturnType<typeof parseArgs>, lines: number, examples: number): string {
  return `# quickstart data

Synthetic English text about customer-service chats, product reviews and store facts, made by

\`\`\`
node --import tsx scripts/make-quickstart-corpus.ts --out ${args.out} --sentences ${args.sentences} --examples ${args.examples} --seed ${args.seed}
\`\`\`

- \`corpus.txt\`: ${lines} distinct lines (one sentence or chat turn each), the training text of
  \`models/quickstart-tokenizer/\`.
- \`examples.jsonl\`: ${examples} instruction examples \`{"input", "target"}\`, four tasks in turn: rate a review
  from 1 to 5, review sentiment (positive/negative), summarize a chat, answer a question from a short context.

Templated from small word lists with a seeded generator: the same command gives the same files. Only for the
quickstart (a tokenizer and a few training steps); the real multi-task datasets are generated elsewhere.
`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  // Separate streams so changing the number of examples leaves the corpus unchanged, and the other way round.
  const corpus = makeCorpus(mulberry32(args.seed), args.sentences);
  const examples = makeExamples(mulberry32(args.seed + 1), args.examples);
  fs.writeFileSync(path.join(args.out, "corpus.txt"), corpus.join("\n") + "\n");
  fs.writeFileSync(path.join(args.out, "examples.jsonl"), examples.map((e) => JSON.stringify(e)).join("\n") + "\n");
  fs.writeFileSync(path.join(args.out, "README.md"), readme(args, corpus.length, examples.length));
  console.log(`wrote ${corpus.length} corpus lines and ${examples.length} examples to ${args.out}`);
}

if (require.main === module) main();
