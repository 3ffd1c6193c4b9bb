// code_translation: a small Python program -> its JavaScript equivalent, or the other way round. Held out from
// training in the experiments (a generalization probe).
import { TaskDefinition, TaskRecord } from "../../data/task";
import { CODE_DIRECTIONS, CodeDirection } from "../corpus/code-translation";
import { asRecord, requireText } from "../../data/validate";

const LANGUAGE_NAMES = { python: "Python", javascript: "JavaScript" } as const;

/** Source and target languages of a direction, as the record's field names ("python", "javascript"). */
export function directionLanguages(direction: CodeDirection): { source: "python" | "javascript"; target: "python" | "javascript" } {
  return direction === "python->javascript" ? { source: "python", target: "javascript" } : { source: "javascript", target: "python" };
}

export const codeTranslationTask: TaskDefinition = {
  name: "code_translation",
  description:
    "Translate a small program (1-6 lines of Python: arithmetic, conditionals, loops, comprehensions, f-strings, dicts, " +
    "string and list methods) to equivalent JavaScript, or back. Python uses 4-space indentation, JavaScript 2 spaces.",
  folder: "code_translation",
  templates: [
    { id: "code_translation_1", input: "Translate this {source_language} code to {target_language}.\n\n{source_code}", target: "{target_code}" },
    { id: "code_translation_2", input: "{source_code}\n\nRewrite the {source_language} code above in {target_language}.", target: "{target_code}" },
    { id: "code_translation_3", input: "Convert the following {source_language} snippet into equivalent {target_language} code:\n{source_code}", target: "{target_code}" },
    { id: "code_translation_4", input: "{source_language}:\n{source_code}\n\n{target_language}:", target: "{target_code}" },
    { id: "code_translation_5", input: "How would you write this {source_language} code in {target_language}?\n\n{source_code}", target: "{target_code}" },
    { id: "code_translation_6", input: "Port this code from {source_language} to {target_language}, keeping the same behavior.\n\n{source_code}", target: "{target_code}" },
    {
      id: "code_translation_7",
      input: "Here is a piece of {source_language} code:\n{source_code}\nWrite a {target_language} version that does exactly the same thing.",
      target: "{target_code}",
      heldOut: true,
    },
    { id: "code_translation_8", input: "Translate from {source_language} to {target_language}:\n{source_code}\nAnswer:", target: "{target_code}", heldOut: true },
  ],
  fields(record: TaskRecord): Record<string, string> {
    const { source, target } = directionLanguages(record.direction as CodeDirection);
    return {
      direction: String(record.direction),
      source_language: LANGUAGE_NAMES[source],
      target_language: LANGUAGE_NAMES[target],
      source_code: String(record[source]),
      target_code: String(record[target]),
    };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    if (!(CODE_DIRECTIONS as readonly unknown[]).includes(r.direction)) {
      throw new Error(`${where}: field "direction" must be one of ${CODE_DIRECTIONS.join(", ")}, got ${JSON.stringify(r.direction)}.`);
    }
    for (const field of ["python", "javascript"] as const) {
      const code = requireText(r, field, where);
      if (/\t|\r/.test(code)) throw new Error(`${where}: field "${field}" must use spaces and "\\n" only (found a tab or carriage return).`);
      const unit = field === "python" ? 4 : 2;
      const badLine = code.split("\n").findIndex((line) => (line.length - line.trimStart().length) % unit !== 0);
      if (badLine >= 0) throw new Error(`${where}: field "${field}" line ${badLine + 1} is not indented by a multiple of ${unit} spaces.`);
    }
    if (r.kind !== undefined && typeof r.kind !== "string") throw new Error(`${where}: field "kind" must be a string when present, got ${JSON.stringify(r.kind)}.`);
  },
  metric: "code",
  // T5-style tokenizers (FLAN-T5's own included) collapse whitespace, so a model never sees or writes newlines and
  // indentation: exact match would be 0 for every model. The primary metric ignores whitespace; exactMatch is
  // still reported.
  primaryMetric: "whitespaceInsensitiveMatch",
  // Measured on 4,000 records x 8 templates with a 2,500-piece Unigram trained on these tasks' text, code included:
  // inputs mean 50, max 97 tokens; targets mean 34, max 72. A tokenizer that saw no code splits it finer, hence the
  // margin.
  maxInputTokens: 160,
  maxTargetTokens: 128,
};
