// A task, seqio-style: where its records come from, how a record becomes (input, target) text through one of many
// FLAN-style instruction templates, and how answers are scored.

/** A data split's name. */
export type Split = "train" | "validation" | "test";
/** The three splits, in order. */
export const SPLITS: readonly Split[] = ["train", "validation", "test"];

/** One record of a task's JSONL file, with the task's own fields (e.g. dialogue, summary, topic, facts). */
export type TaskRecord = Record<string, unknown> & { id: string };

/**
 * An instruction template: `input` and `target` with {field} placeholders filled from TaskDefinition.fields().
 * Held-out templates never appear in training streams; they measure generalization to unseen phrasings.
 */
export interface Template {
  id: string;
  input: string;
  target: string;
  heldOut?: boolean;
}

/** The metric family that scores a task's answers (implemented in src/eval/). */
export type MetricName = "rouge" | "classification" | "rating" | "extractive_qa" | "entities" | "code";

/** A task, seqio-style: its records' folder and fields, instruction templates, validator, metric and token budgets. */
export interface TaskDefinition {
  name: string;
  description: string;
  /** Folder under datasets/ holding train.jsonl, validation.jsonl, test.jsonl (and meta.json). */
  folder: string;
  templates: Template[];
  /** The strings templates can use, from one record (e.g. { dialogue, summary } or { review, rating }). */
  fields(record: TaskRecord): Record<string, string>;
  /** Throws an Error naming `where` (file:line) and the field when a record is malformed. */
  validate(record: unknown, where: string): asserts record is TaskRecord;
  metric: MetricName;
  /** The one number that fills this task's cell of a score matrix, e.g. "rougeL" or "accuracy". */
  primaryMetric: string;
  /**
   * All acceptable answers of a record, when it has several (DialogSum's test split has three summaries).
   * Default: the rendered target alone.
   */
  references?(record: TaskRecord): string[];
  /** For classification-like tasks: every possible target text, for rank classification. */
  labels?: string[];
  /** Token budgets for the collator (truncation is counted and reported, not hidden). */
  maxInputTokens: number;
  maxTargetTokens: number;
}

/** An example ready for the tokenizer. */
export interface TextExample {
  input: string;
  target: string;
  /** Which record and template produced it, so predictions can be traced back. */
  recordId: string;
  templateId: string;
}
