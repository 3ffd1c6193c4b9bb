// question_generation (trained): a passage and an answer -> the question, question_answering turned around and
// scored by ROUGE. Its records are question_answering's own kind, on their own seeds; the collection build skips
// passages that are in question_answering's validation or test split.
import { TaskDefinition } from "../../../data/task";
import { questionAnsweringTask } from "../question-answering";
import { instructionTemplates } from "./templates";

/** question_generation: a passage and an answer span -> a question it answers (generation, ROUGE-L). */
export const questionGenerationTask: TaskDefinition = {
  name: "question_generation",
  description:
    "Write the question that a span of a short passage answers (who, when, where, how many, how much, what, which), " +
    "given the passage and the span: question_answering's records read backwards.",
  folder: "question_generation",
  templates: instructionTemplates("question_generation", "{question}", [
    "{context}\n\nWrite a question about the passage whose answer is \"{answer}\".",
    "Passage: {context}\nAnswer: {answer}\nQuestion:",
    "Read the text and ask a question that \"{answer}\" answers.\n\n{context}\n\nQuestion:",
    "Generate a question from the passage below. The answer should be: {answer}\n\n{context}\n\nQuestion:",
    "{context}\n\nWhat question would have the answer \"{answer}\" here?",
    "Context: {context}\n\nCome up with a reading comprehension question for the answer \"{answer}\".",
  ], [
    "Here is a short text: {context}\nAsk something that can be answered with \"{answer}\".",
    "{context}\n\nAnswer: {answer}\nWhat was the question?",
  ]),
  fields: questionAnsweringTask.fields,
  validate: questionAnsweringTask.validate,
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 67, max 115 tokens; questions mean 11, max 17.
  maxInputTokens: 128,
  maxTargetTokens: 24,
};
