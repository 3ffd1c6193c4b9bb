// Titles for product reviews, as shops print them above a review: short, in the review's tone, sometimes naming
// the kind of product or an aspect the review talks about. The reviews are review_rating's (generateReview), so
// the title's tone follows the same star rating. An aspect is named only in 5- and 1-star titles, where every
// aspect sentence agrees with the verdict (a 4-star review praises one aspect and faults another).
import { Random } from "../../../random";
import { GENERAL_ASPECTS, PRODUCT_KINDS, ProductKind, capitalize, fillSlots } from "../vocabulary";
import { RATINGS, Rating, ReviewRecord, generateReview } from "../review-rating";

/** Version of the review-title generator, written to meta.json. */
export const REVIEW_TITLE_GENERATOR_VERSION = "1";

// {kind}: "coffee maker"; {aspect}: an aspect the review mentions, without its article ("carafe").
const TITLES: Readonly<Record<Rating, readonly string[]>> = {
  5: ["Love it!", "Best {kind} I have owned", "Absolutely fantastic", "Worth every penny", "Five stars, no regrets", "A fantastic {kind}", "Could not be happier"],
  4: ["Very good, with one small flaw", "A solid {kind}", "Almost perfect", "Good value overall", "Happy with it, minor gripe", "Really good {kind}"],
  3: ["Okay, nothing special", "An average {kind}", "Mixed feelings", "Does the job, barely", "Some good, some bad", "Just fine"],
  2: ["Disappointing", "Not what I hoped for", "Expected a lot more", "A below average {kind}", "Let down", "Would not recommend"],
  1: ["Complete waste of money", "Do not buy this {kind}", "Terrible {kind}", "Avoid at all costs", "Total junk", "Never again"],
};
const ASPECT_TITLES: Readonly<Partial<Record<Rating, readonly string[]>>> = {
  5: ["Great {kind}, and the {aspect} is superb", "The {aspect} alone is worth it", "Fantastic {kind}, love the {aspect}"],
  1: ["Awful {kind}, the {aspect} is a joke", "Terrible {aspect}, avoid", "The {aspect} ruined it"],
};

/** The kind of product a review's `product` names ("Kestrel X3 coffee maker" -> coffee maker). */
export function productKindOf(product: string): ProductKind {
  const kind = PRODUCT_KINDS.find((k) => product.endsWith(` ${k.name}`) || product === k.name);
  if (!kind) throw new Error(`review title: no product kind in "${product}".`);
  return kind;
}

/** The aspects ("the carafe") a review mentions, in the order of the kind's list. */
export function mentionedAspects(review: string, kind: ProductKind): string[] {
  const text = review.toLowerCase();
  return [...kind.aspects, ...GENERAL_ASPECTS].filter((aspect) => text.includes(aspect));
}

/** A title in the review's tone; with an aspect now and then, when the rating lets one be named safely. */
export function reviewTitle(random: Random, review: ReviewRecord): string {
  const kind = productKindOf(review.product);
  const aspects = mentionedAspects(review.review, kind);
  const aspectTitles = ASPECT_TITLES[review.rating];
  const slots = { kind: kind.name, aspect: "" };
  if (aspectTitles && aspects.length > 0 && random.chance(0.4)) {
    slots.aspect = random.pick(aspects).replace(/^the /, "");
    return capitalize(fillSlots(random.pick(aspectTitles), slots));
  }
  return fillSlots(random.pick(TITLES[review.rating]), slots);
}

/** Reviews with their rating, product and title; ratings uniform over 1-5. */
export function generateReviewTitleRecords(random: Random, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => {
    const review = generateReview(random, random.pick(RATINGS));
    return { product: review.product, review: review.review, rating: review.rating, title: reviewTitle(random, review) };
  });
}
