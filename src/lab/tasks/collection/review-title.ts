// review_title (trained): a product review -> its title, scored by ROUGE. The reviews are review_rating's, so a
// title carries the review's tone ("Complete waste of money", "Almost perfect"), and now and then the kind of
// product or an aspect the review names. Records: src/lab/corpus/collection/review-title.ts.
import { TaskDefinition, TaskRecord } from "../../../data/task";
import { reviewRatingTask } from "../review-rating";
import { requireLine } from "./checks";
import { instructionTemplates } from "./templates";

/** The longest title the generator writes, in words, with room to spare. */
const MAX_TITLE_WORDS = 12;

/** review_title: a review and its product -> a title for it (generation, ROUGE-L). */
export const reviewTitleTask: TaskDefinition = {
  name: "review_title",
  description:
    "Write a short title for a product review (2-4 sentences from review_rating's generator), in the review's tone: " +
    "praise, a minor complaint, mixed, disappointed or angry, sometimes naming the product kind or an aspect.",
  folder: "review_title",
  templates: instructionTemplates("review_title", "{title}", [
    "{review}\n\nWrite a title for this review of the {product}.",
    "Product: {product}\nReview: {review}\n\nSuggest a short headline for the review.",
    "Here is a customer review of the {product}:\n{review}\n\nTitle:",
    "Give this {product} review a title.\n\n{review}\n\nTitle:",
    "{review}\n\nWhat would be a good title for the review above? It is about the {product}.",
    "Write a one-line title for this product review.\n\nProduct: {product}\nReview: {review}\nTitle:",
  ], [
    "A customer wrote this about the {product}: \"{review}\" Come up with a title for it.",
    "Review of the {product}: {review}\nHeadline:",
  ]),
  fields(record: TaskRecord): Record<string, string> {
    return { ...reviewRatingTask.fields(record), title: String(record.title) };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    reviewRatingTask.validate(record, where);
    requireLine(record, "title", MAX_TITLE_WORDS, where);
  },
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 49, max 82 tokens; titles mean 6, max 15.
  maxInputTokens: 96,
  maxTargetTokens: 24,
};
