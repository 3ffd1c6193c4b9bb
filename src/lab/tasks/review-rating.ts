// review_rating: a product review -> its star rating, "1" to "5".
import { TaskDefinition, TaskRecord } from "../../data/task";
import { RATINGS } from "../corpus/review-rating";
import { asRecord, requireText } from "../../data/validate";

const RATING_OPTIONS = "OPTIONS:\n- 1\n- 2\n- 3\n- 4\n- 5";

export const reviewRatingTask: TaskDefinition = {
  name: "review_rating",
  description:
    "Predict the star rating (1-5) of a product review. Reviews are 2-4 sentences whose tone grades the rating: " +
    "strong praise (5), praise with a minor complaint (4), mixed (3), disappointment with a small positive (2), strong complaints (1).",
  folder: "review_rating",
  templates: [
    { id: "review_rating_1", input: "{review}\n\nHow many stars out of 5 would this customer give the product?", target: "{rating}" },
    { id: "review_rating_2", input: "Review: {review}\nOn a scale of 1 to 5, how would the reviewer rate this product?", target: "{rating}" },
    { id: "review_rating_3", input: `Read the product review and predict its star rating.\n\nReview: {review}\n\n${RATING_OPTIONS}`, target: "{rating}" },
    { id: "review_rating_4", input: "What is the star rating of this review, from 1 (worst) to 5 (best)?\n\n{review}", target: "{rating}" },
    { id: "review_rating_5", input: "Here is a customer review of the {product}:\n{review}\n\nWhat rating did the customer give it?", target: "{rating}" },
    { id: "review_rating_6", input: `Write the number of stars (1, 2, 3, 4 or 5) that fits the following review.\n\n{review}\n\n${RATING_OPTIONS}`, target: "{rating}" },
    {
      id: "review_rating_7",
      input: `A customer wrote this about the {product}: "{review}" If 1 means terrible and 5 means excellent, what score fits?\n${RATING_OPTIONS}`,
      target: "{rating}",
      heldOut: true,
    },
    { id: "review_rating_8", input: "{review}\nGuess how many stars the writer gave.", target: "{rating}", heldOut: true },
  ],
  fields(record: TaskRecord): Record<string, string> {
    return { review: String(record.review), rating: String(record.rating), product: String(record.product) };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    requireText(r, "review", where);
    requireText(r, "product", where);
    if (!(RATINGS as readonly unknown[]).includes(r.rating)) throw new Error(`${where}: field "rating" must be an integer from 1 to 5, got ${JSON.stringify(r.rating)}.`);
  },
  metric: "rating",
  primaryMetric: "accuracy",
  labels: RATINGS.map(String),
  // Measured on 4,000 records x 8 templates with a 2,500-piece Unigram trained on these tasks (a smaller vocabulary
  // than the 4-8k one planned, so an overestimate): inputs mean 69, max 129 tokens; the target is one digit + </s>.
  maxInputTokens: 160,
  maxTargetTokens: 8,
};
