// question_answering: a short passage and a question -> the answer, a span copied from the passage (SQuAD-style).
import { TaskDefinition, TaskRecord } from "../../data/task";
import { QUESTION_KINDS } from "../corpus/question-answering";
import { asRecord, requireText } from "../../data/validate";

export const questionAnsweringTask: TaskDefinition = {
  name: "question_answering",
  description:
    "Answer a question about a short passage (2-4 sentences about a fictional person, product, shop or event) with a span " +
    "copied from the passage: a name, date, number, place, color or thing (who, when, where, how many, how much, what, which).",
  folder: "question_answering",
  templates: [
    { id: "question_answering_1", input: "Read the passage and answer the question.\n\n{context}\n\nQuestion: {question}", target: "{answer}" },
    { id: "question_answering_2", input: "{context}\n\nAnswer this question using the text above: {question}", target: "{answer}" },
    { id: "question_answering_3", input: "Passage: {context}\nQuestion: {question}\nAnswer:", target: "{answer}" },
    { id: "question_answering_4", input: "{question}\n\nFind the answer in this passage: {context}", target: "{answer}" },
    { id: "question_answering_5", input: "Answer the question with a phrase from the context.\n\nContext: {context}\nQuestion: {question}", target: "{answer}" },
    { id: "question_answering_6", input: "Here is a short text: {context}\n\n{question}", target: "{answer}" },
    { id: "question_answering_7", input: "{context}\n\nQ: {question}\nA:", target: "{answer}", heldOut: true },
    { id: "question_answering_8", input: "Use the paragraph to answer: {question}\n\nParagraph: {context}", target: "{answer}", heldOut: true },
  ],
  fields(record: TaskRecord): Record<string, string> {
    return { context: String(record.context), question: String(record.question), answer: String(record.answer) };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    const context = requireText(r, "context", where);
    requireText(r, "question", where);
    const answer = requireText(r, "answer", where);
    if (!context.includes(answer)) throw new Error(`${where}: field "answer" ${JSON.stringify(answer)} does not occur in field "context".`);
    if (r.kind !== undefined && !(QUESTION_KINDS as readonly unknown[]).includes(r.kind)) {
      throw new Error(`${where}: field "kind" must be one of ${QUESTION_KINDS.join(", ")} when present, got ${JSON.stringify(r.kind)}.`);
    }
  },
  metric: "extractive_qa",
  primaryMetric: "exactMatch",
  // Measured on 4,000 records x 8 templates with a 2,500-piece Unigram trained on these tasks (an overestimate for
  // a 4-8k vocabulary): inputs mean 78, max 134 tokens; answers (1-4 words, digits split) mean 4, max 14.
  maxInputTokens: 160,
  maxTargetTokens: 24,
};
