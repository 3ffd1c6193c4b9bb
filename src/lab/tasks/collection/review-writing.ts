// review_writing (trained): a product and a star rating -> a review in that tone, review_rating turned around and
// scored by ROUGE. Its records are review_rating's own kind (generateReviewRatingRecords), on their own seeds; the
// collection build skips reviews that are in review_rating's validation or test split.
import { TaskDefinition, TaskRecord } from "../../../data/task";
import { reviewRatingTask } from "../review-rating";
import { instructionTemplates } from "./templates";

/** "1 star", "4 stars". */
export function starsText(rating: number): string {
  return `${rating} ${rating === 1 ? "star" : "stars"}`;
}

/** review_writing: a product and a rating -> a 2-4 sentence review (generation, ROUGE-L). */
export const reviewWritingTask: TaskDefinition = {
  name: "review_writing",
  description:
    "Write a 2-4 sentence customer review of a product that fits a star rating from 1 to 5: strong praise (5), " +
    "praise with a minor complaint (4), mixed (3), disappointed (2), strong complaints (1).",
  folder: "review_writing",
  templates: instructionTemplates("review_writing", "{review}", [
    "Write a review of the {product} that gives it {stars}.",
    "Product: {product}\nRating: {rating} out of 5\n\nWrite the customer's review.",
    "Imagine you bought the {product} and would give it {stars} out of 5. Write a short review.",
    "Write a product review for the {product} that fits a rating of {rating} (1 = worst, 5 = best).",
    "Generate a {rating}-star customer review for the {product}.",
    "What might a customer who rated the {product} {stars} write?\nReview:",
  ], [
    "Compose a short customer review of the {product} with a rating of {rating} out of 5.",
    "{stars} for the {product}. Write the review that goes with this rating.",
  ]),
  fields(record: TaskRecord): Record<string, string> {
    return { ...reviewRatingTask.fields(record), stars: starsText(Number(record.rating)) };
  },
  validate: reviewRatingTask.validate,
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 23, max 31 tokens; reviews mean 32, p95 47, max 60.
  maxInputTokens: 48,
  maxTargetTokens: 80,
};
