// sentiment: a short post, comment or feedback line -> "positive", "negative" or "neutral".
import { TaskDefinition, TaskRecord } from "../../data/task";
import { SENTIMENT_LABELS } from "../corpus/sentiment";
import { asRecord, requireText } from "../../data/validate";

const OPTIONS = `OPTIONS:\n${SENTIMENT_LABELS.map((l) => `- ${l}`).join("\n")}`;

export const sentimentTask: TaskDefinition = {
  name: "sentiment",
  description:
    "Classify a short statement about a product, place, trip or service as positive, negative or neutral. Negations " +
    "flip the obvious reading (\"not bad at all\" is positive); neutral statements are factual (orders, bookings, questions) with no opinion.",
  folder: "sentiment",
  templates: [
    { id: "sentiment_1", input: `{text}\n\nWhat is the sentiment of this statement?\n${OPTIONS}`, target: "{label}" },
    { id: "sentiment_2", input: "Is the following comment positive, negative, or neutral?\n\n{text}", target: "{label}" },
    { id: "sentiment_3", input: "Statement: {text}\nSentiment (positive, negative or neutral):", target: "{label}" },
    { id: "sentiment_4", input: "Classify the sentiment of this post as positive, negative, or neutral.\n\nPost: {text}", target: "{label}" },
    { id: "sentiment_5", input: '"{text}"\nHow does the writer feel about what they describe? Answer positive, negative, or neutral.', target: "{label}" },
    { id: "sentiment_6", input: `Here is a piece of customer feedback: {text}\nIs the feedback positive, negative, or neutral?\n${OPTIONS}`, target: "{label}" },
    { id: "sentiment_7", input: "Decide whether the opinion below is positive, negative, or neutral (no opinion at all).\n\n{text}", target: "{label}", heldOut: true },
    { id: "sentiment_8", input: `{text}\nDid the author of this sentence sound positive, negative, or neutral?\n${OPTIONS}`, target: "{label}", heldOut: true },
  ],
  fields(record: TaskRecord): Record<string, string> {
    return { text: String(record.text), label: String(record.label) };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    requireText(r, "text", where);
    if (!(SENTIMENT_LABELS as readonly unknown[]).includes(r.label)) {
      throw new Error(`${where}: field "label" must be one of ${SENTIMENT_LABELS.join(", ")}, got ${JSON.stringify(r.label)}.`);
    }
  },
  metric: "classification",
  primaryMetric: "accuracy",
  labels: [...SENTIMENT_LABELS],
  // Measured on 4,000 records x 8 templates with a 2,500-piece Unigram trained on these tasks (an overestimate for
  // a 4-8k vocabulary): inputs mean 49, max 80 tokens; a label is at most 4 tokens with </s>.
  maxInputTokens: 96,
  maxTargetTokens: 8,
};
