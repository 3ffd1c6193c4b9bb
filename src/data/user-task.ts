// A task made from a user's own file (CSV, JSONL, DialogSum, SAMSum): one template around the input column,
// the target column as the answer, scored with the metric the user names.
import { ReadResult } from "./formats";
import { MetricName, TaskDefinition, TaskRecord } from "./task";

export const METRIC_NAMES: readonly MetricName[] = ["rouge", "classification", "rating", "extractive_qa", "entities", "code"];

const PRIMARY: Record<MetricName, string> = {
  rouge: "rougeL",
  classification: "accuracy",
  rating: "accuracy",
  extractive_qa: "exactMatch",
  entities: "f1",
  code: "whitespaceInsensitiveMatch",
};

export interface UserTaskOptions {
  name: string;
  metric: MetricName;
  /** The prompt around the input, with {input} where it goes, e.g. "Summarize the following conversation.\n\n{input}\n\nSummary: ". Default "{input}". */
  template?: string;
  maxInputTokens?: number;
  maxTargetTokens?: number;
}

/** A task for a user's own (input, target) data: one template and a metric, as the CLI's --template and --metric give them. */
export function userTask(options: UserTaskOptions): TaskDefinition {
  if (!METRIC_NAMES.includes(options.metric)) throw new Error(`--metric "${options.metric}" is not one of ${METRIC_NAMES.join(", ")}.`);
  const template = options.template ?? "{input}";
  if (!template.includes("{input}")) throw new Error(`--template "${template}" has no {input} placeholder for the input text.`);
  return {
    name: options.name,
    description: `user data: ${options.name}`,
    folder: options.name,
    templates: [{ id: "user", input: template, target: "{target}" }],
    fields: (record) => ({ input: String(record.input), target: (record.references as string[])[0] }),
    references: (record) => record.references as string[],
    validate(record: unknown, where: string): asserts record is TaskRecord {
      const r = record as Record<string, unknown>;
      if (typeof r?.input !== "string" || r.input === "") throw new Error(`${where}: field "input" is missing or empty.`);
      if (!Array.isArray(r.references) || r.references.length === 0) throw new Error(`${where}: field "references" is missing or empty.`);
      const notText = r.references.findIndex((reference) => typeof reference !== "string" || reference === "");
      if (notText !== -1) throw new Error(`${where}: field "references" item ${notText + 1} must be non-empty text, got ${JSON.stringify(r.references[notText])}.`);
    },
    metric: options.metric,
    primaryMetric: PRIMARY[options.metric],
    maxInputTokens: options.maxInputTokens ?? 512,
    maxTargetTokens: options.maxTargetTokens ?? 128,
  };
}

/** Records of a user task from what a reader returned. */
export function userRecords(read: ReadResult): TaskRecord[] {
  return read.examples.map((e) => ({ id: e.id, input: e.input, references: e.references, ...(e.topic ? { topic: e.topic } : {}) }));
}
