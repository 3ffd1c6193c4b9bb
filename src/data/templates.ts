// Rendering FLAN-style templates: fill {field} placeholders, zero-shot or with k solved exemplars in front.
import { Template, TaskDefinition, TaskRecord, TextExample } from "./task";

/** Fill every {name} in `text`; a placeholder with no field is an error naming the template. */
export function fillPlaceholders(text: string, fields: Record<string, string>, templateId: string): string {
  return text.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_, name: string) => {
    if (!(name in fields)) {
      throw new Error(`template "${templateId}": placeholder {${name}} has no field (fields: ${Object.keys(fields).join(", ")}).`);
    }
    return fields[name];
  });
}

/** One record through one template: the (input, target) text pair. */
export function renderExample(task: TaskDefinition, record: TaskRecord, template: Template): TextExample {
  const fields = task.fields(record);
  return {
    input: fillPlaceholders(template.input, fields, template.id),
    target: fillPlaceholders(template.target, fields, template.id),
    recordId: record.id,
    templateId: template.id,
  };
}

/** Separator between exemplars in a few-shot prompt. */
export const FEW_SHOT_SEPARATOR = "\n\n";

/**
 * A few-shot prompt: k solved exemplars (same template, answers shown) and then the question, FLAN's format.
 * The target is the question's own answer.
 */
export function renderFewShot(task: TaskDefinition, record: TaskRecord, exemplars: TaskRecord[], template: Template): TextExample {
  const question = renderExample(task, record, template);
  const solved = exemplars.map((e) => {
    const shown = renderExample(task, e, template);
    return `${shown.input}${shown.input.endsWith(" ") || shown.input.endsWith("\n") ? "" : " "}${shown.target}`;
  });
  return { ...question, input: [...solved, question.input].join(FEW_SHOT_SEPARATOR) };
}

/** The task's templates that training streams use (all but the held-out ones). */
export function trainingTemplates(task: TaskDefinition): Template[] {
  return task.templates.filter((t) => !t.heldOut);
}

/** The task's templates kept out of training, for measuring generalization to unseen phrasings. */
export function heldOutTemplates(task: TaskDefinition): Template[] {
  return task.templates.filter((t) => t.heldOut);
}
