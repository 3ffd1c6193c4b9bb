// Product reviews as a shop's page shows them: the review_rating generator's review text, with a title, the stars,
// the reviewer, a date, sometimes a sentence about price or delivery, and how many found it helpful; now and then a
// reviewer's page of two or three reviews. A review text that review_rating ships is never used (the caller
// passes those texts to avoid), so no evaluation review is seen in pretraining.
import { Random } from "../../../random";
import { generateReview, Rating, RATINGS } from "../review-rating";
import { say } from "../chat/phrase";
import { priceText } from "../chat/lexicon";
import { sceneVars } from "./world";

/** Version of the review documents; bump when their text changes. */
export const REVIEW_DOCUMENT_VERSION = "1";

const MAX_ATTEMPTS = 50;

const TITLES: Record<Rating, readonly string[]> = {
  5: ["Love it!", "Exactly what I needed", "Five stars", "Best purchase this year", "Fantastic", "Worth every penny", "Highly recommend"],
  4: ["Very good", "Great, with one small flaw", "Solid choice", "Happy with it", "Good value", "Almost perfect"],
  3: ["It's okay", "Mixed feelings", "Average", "Does the job", "Not bad, not great", "Fine for the price"],
  2: ["Disappointed", "Not what I hoped", "Expected more", "Meh", "Below average", "Let down"],
  1: ["Avoid", "Waste of money", "Terrible", "Returned it", "Do not buy", "Broke right away"],
};

const STAR_LINES = [
  "Rated {rating} out of 5[ stars|]",
  "{rating}/5 stars",
  "Rating: {rating} of 5",
  "{stars} ({rating} out of 5)",
];
const BYLINES = [
  "By {customer} {initial} from {city} on {date}, {year}",
  "Reviewed in {city} on {date}, {year} by {customer}",
  "{customer} {initial}, {date}, {year}",
  "Posted by {customer} on {date}",
];
const BADGES = ["Verified purchase", "Verified buyer", "Verified shopper", "Verified purchase, color: [black|white|gray|blue|red]", "Bought at {shop}"];
// A sentence some reviewers add; it says nothing about the rating.
const DETAILS = [
  "I paid {paid} for it at {shop}.",
  "It arrived {days} days after I ordered it.",
  "[Delivery|Shipping] took {days} days[ and the box was fine|].",
  "I have used it [almost every day|a few times a week|on weekends] for {count} weeks now.",
  "I bought it on {date} during the {shop} sale for {paid}.",
  "I ordered it on a {weekday} and it came on {due}.",
  "It was {paid} with free shipping.",
  "[My|Our] old one lasted {count} years, so the bar is high.",
];
const HELPFUL = ["{count} people found this helpful.", "{count} people found this helpful", "Helpful? Yes ({count}) No ({few})", "One person found this helpful."];

function stars(rating: Rating): string {
  return "\u2605".repeat(rating) + "\u2606".repeat(5 - rating);
}

/** A generated review text that is not among those to avoid. */
function freshReview(random: Random, rating: Rating, avoid: ReadonlySet<string>): { product: string; review: string } {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const review = generateReview(random, rating);
    if (!avoid.has(review.review)) return review;
  }
  throw new Error(`pretraining reviews: ${MAX_ATTEMPTS} reviews in a row were among those to avoid.`);
}

/** One review block: title, stars, byline, badge, text (one line, as review_rating has it), helpful votes. */
function reviewBlock(random: Random, rating: Rating, text: string, reviewer: Readonly<Record<string, string>>): string {
  const vars = { ...sceneVars(random), ...reviewer, rating: String(rating), stars: stars(rating), paid: priceText(random, [12, 320]), few: String(random.int(0, 4)) };
  const lines = [say(TITLES[rating], random, vars), say(STAR_LINES, random, vars), say(BYLINES, random, vars)];
  if (random.chance(0.6)) lines.push(say(BADGES, random, vars));
  lines.push(random.chance(0.35) ? `${text} ${say(DETAILS, random, vars)}` : text);
  if (random.chance(0.5)) lines.push(say(HELPFUL, random, vars));
  return lines.join("\n");
}

/** One review, or a reviewer's page of two or three reviews (each under its product); `avoid` holds texts not to use. */
export function reviewDocument(random: Random, avoid: ReadonlySet<string> = new Set()): string {
  const count = random.weightedIndex([7, 2, 1]) + 1;
  const ratings = Array.from({ length: count }, () => random.pick(RATINGS));
  const reviews = ratings.map((rating) => freshReview(random, rating, avoid));
  const { customer, initial, city } = sceneVars(random);
  const reviewer = { customer, initial, city };
  const blocks = reviews.map((r, i) => `${r.product}\n${reviewBlock(random, ratings[i], r.review, reviewer)}`);
  if (count === 1) return blocks[0];
  const header = say(["Reviews by {customer} {initial} ({city})", "{customer} {initial} has written {n} reviews", "Recent reviews from {customer}"], random, { ...reviewer, n: String(count) });
  return [header, ...blocks].join("\n");
}
