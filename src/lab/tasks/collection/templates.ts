// Template lists for the collection's tasks: numbered ids, the held-out ones last, one target unless a template
// says otherwise, and FLAN's "OPTIONS:" block for classification prompts.
import { Template } from "../../../data/task";

/** A template's input, or its input and its own target when it differs from the task's usual one. */
export type TemplateSpec = string | { input: string; target: string };

/**
 * Templates "<task>_1".."<task>_N": the trained ones first, then the held-out ones (heldOut: true), each with
 * `target` unless its spec gives its own.
 */
export function instructionTemplates(task: string, target: string, trained: readonly TemplateSpec[], heldOut: readonly TemplateSpec[]): Template[] {
  const make = (spec: TemplateSpec, index: number, held: boolean): Template => {
    const { input, target: own } = typeof spec === "string" ? { input: spec, target } : spec;
    return { id: `${task}_${index + 1}`, input, target: own, ...(held ? { heldOut: true } : {}) };
  };
  return [...trained.map((spec, i) => make(spec, i, false)), ...heldOut.map((spec, i) => make(spec, trained.length + i, true))];
}

/** FLAN's answer-options block: "OPTIONS:\n- a\n- b". */
export function optionsBlock(labels: readonly string[]): string {
  return `OPTIONS:\n${labels.map((label) => `- ${label}`).join("\n")}`;
}

/**
 * Whether a template suits few-shot prompts (renderFewShot writes each exemplar as input + " " + target): its
 * input does not end with a field, so an exemplar's answer follows a question, a cue ("Answer:") or at least a
 * full stop, and cannot run into the exemplar's passage or dialogue.
 */
export function isFewShotReady(template: Template): boolean {
  return !/\}\s*$/.test(template.input);
}
