// Product reviews with a star rating that can be read off the text.
//
// A review is 2-4 sentences: an overall opener, zero to two sentences about aspects of the product, and a closer.
// Each rating has its own tone, so the rating is inferable by a careful reader:
//   5 - strong praise only (sometimes after "I was skeptical at first", a negative-looking distractor);
//   4 - praise plus one small, explicitly minor complaint;
//   3 - mixed: something liked, something disliked, an "it's okay" verdict;
//   2 - disappointment, sometimes with one small thing that is nice;
//   1 - strong complaints, anger, a return or a refund.
// At least one of the opener and the closer (the sentences that carry the verdict) is always present.
import { Random } from "../../random";
import {
  GENERAL_ASPECTS,
  PRODUCT_KINDS,
  ProductKind,
  capitalize,
  fillSlots,
  isPluralPhrase,
  productModel,
} from "./vocabulary";

export const REVIEW_RATING_GENERATOR_VERSION = "1";

export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

// {this}: how the review names the product ("this blender", "the Nova Pro"); {kind}: "blender"; {one}: "one" or the kind.
const OPENERS: Record<Rating, string[]> = {
  5: [
    "Absolutely love {this}!",
    "{This} is the best {one} I have ever owned.",
    "I was skeptical at first, but {this} blew me away.",
    "{This} exceeded all my expectations.",
    "Wow, what a fantastic {kind}.",
    "I can't say enough good things about {this}.",
    "Best purchase I have made this year.",
    "{This} is simply perfect.",
    "I am thrilled with {this}.",
  ],
  4: [
    "{This} is really good overall.",
    "Very happy with {this}, with one small reservation.",
    "{This} is a solid {one}.",
    "Pretty pleased with {this} so far.",
    "A good {kind} for the money.",
    "I like {this} a lot.",
    "{This} works well for what I need.",
    "Nearly perfect, but not quite.",
    "{This} is a great {one} with a minor flaw.",
  ],
  3: [
    "{This} is okay, nothing special.",
    "I have mixed feelings about {this}.",
    "{This} is just average.",
    "It's fine, I guess.",
    "{This} does the job, but it's far from perfect.",
    "Not bad, not great.",
    "There are things I like about {this} and things I don't.",
    "{This} is a middle of the road {one}.",
    "I'm on the fence about {this}.",
  ],
  2: [
    "I'm disappointed with {this}.",
    "{This} is not what I hoped for.",
    "Sadly, {this} didn't live up to the description.",
    "I expected more from {this}.",
    "{This} is below average.",
    "I wanted to like {this}, but it let me down.",
    "{This} is a pretty poor {one}.",
    "Not impressed with {this}.",
    "{This} is mediocre at best, and mostly worse.",
  ],
  1: [
    "{This} is a complete waste of money.",
    "Terrible {kind}, avoid it.",
    "Worst purchase I have ever made.",
    "Do not buy {this}.",
    "{This} is absolute junk.",
    "I regret buying {this}.",
    "What a horrible {kind}.",
    "{This} is the worst {one} I have ever used.",
    "Total garbage.",
  ],
};

const CLOSERS: Record<Rating, string[]> = {
  5: [
    "Highly recommend!",
    "I would buy it again in a heartbeat.",
    "Worth every penny.",
    "I have already recommended it to my friends.",
    "Couldn't be happier.",
    "Easily one of my favorite purchases.",
    "Ten out of ten, would buy again.",
  ],
  4: [
    "I would still recommend it.",
    "Still a good buy.",
    "Overall I'm happy with it.",
    "Apart from that, no real complaints.",
    "Good value overall.",
    "Almost perfect.",
    "I'd buy it again despite that.",
  ],
  3: [
    "It's okay for the price.",
    "I might look for something else next time.",
    "Not sure I'd buy it again.",
    "It gets the job done, nothing more.",
    "Average overall.",
    "It's fine if you don't expect too much.",
    "Some good, some bad.",
  ],
  2: [
    "I probably won't buy from this brand again.",
    "I wouldn't recommend it.",
    "Not worth the price.",
    "I'm thinking about returning it.",
    "I expected a lot better.",
    "There are better options out there.",
    "Quite a letdown overall.",
  ],
  1: [
    "Returning it immediately.",
    "Save your money.",
    "Stay away from this one.",
    "I want a refund.",
    "Zero stars if I could.",
    "Avoid at all costs.",
    "Never again.",
  ],
};

// Aspect sentences: {A}/{a} the aspect ("The zippers"/"the zippers"), {is} and {works} agree with it.
const STRONG_PRAISE = [
  "{A} {is} fantastic.",
  "{A} {is} excellent, better than anything I have used before.",
  "I'm really impressed with {a}.",
  "{A} {is} perfect, exactly what I was hoping for.",
  "{A} {is} outstanding.",
  "Honestly, {a} {is} superb.",
  "{A} {is} amazing.",
];
const MILD_PRAISE = ["{A} {is} pretty good.", "{A} {is} decent.", "I like {a}.", "{A} {is} solid.", "{A} {works} fine.", "{A} {is} nice."];
// The minor complaint of a 4-star review is explicitly small.
const SMALL_COMPLAINT = [
  "The only downside is {a}, which could be a bit better.",
  "{A} {is} slightly disappointing, but it's a minor issue.",
  "One small gripe: {a} {is} not quite as good as I expected.",
  "If I had to nitpick, {a} could be better.",
  "My only complaint is {a}, and it's a small one.",
  "{A} {is} a little weak, but I can live with it.",
];
const MILD_COMPLAINT = [
  "{A} could be better.",
  "{A} {is} a bit disappointing.",
  "{A} {is} not great.",
  "I'm not a fan of {a}.",
  "{A} {is} rather weak.",
  "{A} {is} underwhelming.",
];
const STRONG_COMPLAINT = [
  "{A} {is} terrible.",
  "{A} {is} awful.",
  "{A} {is} a complete joke.",
  "{A} {is} the worst I have ever seen.",
  "{A} {is} a disaster.",
  "{A} {is} shockingly bad.",
];
// The one nice thing in a 2-star review.
const SMALL_PRAISE = ["{A} {is} nice, though.", "To be fair, {a} {is} okay.", "The only good thing is {a}.", "{A} {is} fine, but that's about it."];
// Sentences about the whole product.
const PRODUCT_PRAISE = ["It works perfectly every single time.", "I use it every day and it has never let me down.", "It feels like it will last for years."];
const PRODUCT_FAILURE = ["It broke after two days.", "It stopped working within a week.", "It arrived damaged and half the parts were missing.", "It died the first time I used it."];
// Neutral background some reviewers start with; it says nothing about the rating.
const CONTEXT = [
  "I bought it as a gift for my sister.",
  "We have been using it for about three months now.",
  "I ordered it after my old one broke.",
  "I picked this one because of the reviews.",
  "I got it on sale last month.",
  "I have had it for a couple of weeks.",
  "I use it mostly on weekends.",
  "This is my second {kind} from this brand.",
  "I needed a new {kind} for my new apartment.",
  "My partner chose this one.",
];
// A 3-star review sometimes joins its two halves into one sentence.
const MIXED_PAIRS = ["{A} {is} nice, but {b} {isB} a letdown.", "I like {a}, but {b} could be a lot better.", "{A} {is} good, while {b} {isB} disappointing."];

interface AspectSlots {
  a: string;
  A: string;
  is: string;
  works: string;
}

function aspectSlots(aspect: string): AspectSlots {
  const plural = isPluralPhrase(aspect);
  return { a: aspect, A: capitalize(aspect), is: plural ? "are" : "is", works: plural ? "work" : "works" };
}

function pickAspects(random: Random, kind: ProductKind, count: number): string[] {
  const pool = random.chance(0.25) ? [...kind.aspects, ...GENERAL_ASPECTS] : [...kind.aspects];
  return random.sample(pool, count);
}

function aspectSentence(random: Random, patterns: readonly string[], aspect: string): string {
  return fillSlots(random.pick(patterns), { ...aspectSlots(aspect) });
}

/** Two sentences from the same bank about two aspects, with different wording. */
function twoAspectSentences(random: Random, patterns: readonly string[], aspects: string[]): string[] {
  const [first, second] = random.sample(patterns, 2);
  return [fillSlots(first, { ...aspectSlots(aspects[0]) }), fillSlots(second, { ...aspectSlots(aspects[1]) })];
}

function mixedPair(random: Random, liked: string, disliked: string): string {
  const second = aspectSlots(disliked);
  return fillSlots(random.pick(MIXED_PAIRS), { ...aspectSlots(liked), b: disliked, isB: second.is });
}

/** The middle (aspect) sentences of a review with this rating, in reading order. */
function middleSentences(random: Random, rating: Rating, kind: ProductKind, count: number): string[] {
  if (count === 0) return [];
  const aspects = pickAspects(random, kind, 2);
  switch (rating) {
    case 5: {
      if (count === 2 && random.chance(0.6)) return twoAspectSentences(random, STRONG_PRAISE, aspects);
      const first = random.chance(0.75) ? aspectSentence(random, STRONG_PRAISE, aspects[0]) : random.pick(PRODUCT_PRAISE);
      if (count === 1) return [first];
      return [first, aspectSentence(random, MILD_PRAISE, aspects[1])];
    }
    case 4: {
      const complaint = aspectSentence(random, SMALL_COMPLAINT, aspects[1]);
      if (count === 1) return [complaint];
      const praise = random.chance(0.5) ? aspectSentence(random, STRONG_PRAISE, aspects[0]) : aspectSentence(random, MILD_PRAISE, aspects[0]);
      return [praise, complaint];
    }
    case 3: {
      if (count === 1) return [mixedPair(random, aspects[0], aspects[1])];
      const liked = aspectSentence(random, MILD_PRAISE, aspects[0]);
      const disliked = aspectSentence(random, MILD_COMPLAINT, aspects[1]);
      return random.chance(0.5) ? [liked, disliked] : [disliked, liked];
    }
    case 2: {
      const complaint = aspectSentence(random, random.chance(0.7) ? MILD_COMPLAINT : STRONG_COMPLAINT, aspects[0]);
      if (count === 1) return [complaint];
      return [complaint, aspectSentence(random, SMALL_PRAISE, aspects[1])];
    }
    case 1: {
      if (count === 2 && random.chance(0.5)) return twoAspectSentences(random, STRONG_COMPLAINT, aspects);
      const failure = random.pick(PRODUCT_FAILURE);
      if (count === 1) return [random.chance(0.6) ? aspectSentence(random, STRONG_COMPLAINT, aspects[0]) : failure];
      return random.chance(0.5) ? [failure, aspectSentence(random, STRONG_COMPLAINT, aspects[1])] : [aspectSentence(random, STRONG_COMPLAINT, aspects[1]), failure];
    }
  }
}

/** How the review refers to the product: "this blender", "the Nova Pro", "this Nova Pro blender", "my new blender". */
function productReference(random: Random, kind: ProductKind, model: string): string {
  switch (random.weightedIndex([4, 3, 2, 1])) {
    case 0:
      return `this ${kind.name}`;
    case 1:
      return `the ${model}`;
    case 2:
      return `this ${model} ${kind.name}`;
    default:
      return `my new ${kind.name}`;
  }
}

export interface ReviewRecord {
  product: string;
  review: string;
  rating: Rating;
}

export function generateReview(random: Random, rating: Rating): ReviewRecord {
  const kind = random.pick(PRODUCT_KINDS);
  const model = productModel(random);
  const reference = productReference(random, kind, model);
  // {one} avoids "this tent is a solid tent": "this tent is a solid one", but "the Zephyr 5 is a solid tent".
  const one = reference.includes(kind.name) ? "one" : kind.name;
  const slots = { this: reference, This: capitalize(reference), kind: kind.name, one };
  // Sentence plan: context? + opener? + 0-2 middle + closer?, 2-4 sentences, at least one of opener/closer.
  // A neutral background sentence sometimes comes first, within the same 4-sentence budget.
  const middleCount = random.weightedIndex([1, 4, 3]);
  let withOpener = true;
  let withCloser = true;
  if (middleCount > 0 && random.chance(0.35)) {
    if (random.chance(0.5)) withOpener = false;
    else withCloser = false;
  }
  const used = middleCount + (withOpener ? 1 : 0) + (withCloser ? 1 : 0);
  const withContext = used < 4 && random.chance(0.3);
  const sentences = [
    ...(withContext ? [fillSlots(random.pick(CONTEXT), slots)] : []),
    ...(withOpener ? [fillSlots(random.pick(OPENERS[rating]), slots)] : []),
    ...middleSentences(random, rating, kind, middleCount),
    ...(withCloser ? [random.pick(CLOSERS[rating])] : []),
  ];
  return { product: `${model} ${kind.name}`, review: sentences.join(" "), rating };
}

/** `count` reviews with ratings drawn uniformly from 1-5. */
export function generateReviewRatingRecords(random: Random, count: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const review = generateReview(random, random.pick(RATINGS));
    records.push({ product: review.product, review: review.review, rating: review.rating });
  }
  return records;
}
