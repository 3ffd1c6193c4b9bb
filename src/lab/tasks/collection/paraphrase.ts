// paraphrase (trained): a sentence or two -> the same meaning in other words, scored by ROUGE against every
// wording the generator knows for it (the record's `alternatives`), so any valid rewording scores.
// Records: src/lab/corpus/collection/paraphrase.ts.
import { TaskDefinition, TaskRecord } from "../../../data/task";
import { asRecord, requireText } from "../../../data/validate";
import { requireTextList } from "./checks";
import { instructionTemplates } from "./templates";

/** paraphrase: text -> a rewording with the same meaning (generation, ROUGE-L over all known rewordings). */
export const paraphraseTask: TaskDefinition = {
  name: "paraphrase",
  description:
    "Rewrite one or two sentences about everyday events (a purchase, a new job, a late delivery, a meeting, a move) " +
    "so that they mean the same with different wording or structure.",
  folder: "paraphrase",
  templates: instructionTemplates("paraphrase", "{paraphrase}", [
    "Paraphrase the following text.\n\n{sentence}\n\nParaphrase:",
    "{sentence}\n\nSay the same thing in different words.",
    "Rewrite this text so that it means the same but uses other wording: {sentence}\nRewritten:",
    "Text: {sentence}\nWrite it another way, keeping the meaning.",
    "How else could you say this?\n\"{sentence}\"\nAnother way to say it:",
    "Reword the passage below without changing what it says.\n\n{sentence}\n\nReworded:",
  ], [
    "{sentence}\n\nExpress the same idea with different words.",
    "Give a paraphrase of: {sentence}\nAnswer:",
  ]),
  fields(record: TaskRecord): Record<string, string> {
    return { sentence: String(record.sentence), paraphrase: String(record.paraphrase) };
  },
  references(record: TaskRecord): string[] {
    return (record.alternatives as string[]).slice();
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    const sentence = requireText(r, "sentence", where);
    const paraphrase = requireText(r, "paraphrase", where);
    const alternatives = requireTextList(r, "alternatives", where);
    if (!alternatives.includes(paraphrase)) throw new Error(`${where}: field "paraphrase" is not one of field "alternatives".`);
    if (alternatives.includes(sentence)) throw new Error(`${where}: field "alternatives" contains field "sentence" itself; a paraphrase must reword it.`);
  },
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 32, max 66 tokens (71 with the shipped tokenizer);
  // targets mean 19, p95 33, max 43.
  maxInputTokens: 80,
  maxTargetTokens: 48,
};
