// Evaluate a model on a task: render prompts with the task's templates, generate (batched, greedy or beam), score
// with the task's metric, and keep every prediction beside its input so a reader can look at them.
import * as fs from "fs";
import * as path from "path";
import { TaskDefinition, TaskRecord, Template } from "../data/task";
import { heldOutTemplates, renderExample, trainingTemplates } from "../data/templates";
import { truncateIds } from "../data/collate";
import { Tokenizer } from "../io/tokenizer";
import { GenerationOptions, generate } from "../model/generate";
import { T5Model } from "../model/t5";
import { Facts, ScoredExample, TaskScores, scoreTask } from "./metrics";

/** One prompt to answer, with everything needed to score and show the answer. */
export interface EvalExample {
  input: string;
  references: string[];
  facts?: Facts;
  recordId: string;
  templateId: string;
}

/** One evaluated example: its input and reference, the model's prediction and its scores. */
export interface Prediction extends EvalExample {
  prediction: string;
  scores: Record<string, number>;
}

/**
 * Which prompts to use: a template id; "training" cycles record by record through the training templates;
 * "held-out" through the held-out ones (phrasings never trained on).
 */
export type TemplateChoice = "training" | "held-out" | { id: string };

function templatesFor(task: TaskDefinition, choice: TemplateChoice): Template[] {
  if (choice === "training") return trainingTemplates(task);
  if (choice === "held-out") return heldOutTemplates(task);
  const template = task.templates.find((t) => t.id === choice.id);
  if (!template) throw new Error(`task ${task.name} has no template "${choice.id}" (templates: ${task.templates.map((t) => t.id).join(", ")}).`);
  return [template];
}

function factsOf(record: TaskRecord): Facts | undefined {
  const facts = record.facts;
  return facts && typeof facts === "object" && !Array.isArray(facts) ? (facts as Facts) : undefined;
}

/** Prompts for records: record i uses template i mod (number of chosen templates). */
export function evalExamples(task: TaskDefinition, records: TaskRecord[], choice: TemplateChoice = "training"): EvalExample[] {
  const templates = templatesFor(task, choice);
  if (templates.length === 0) throw new Error(`task ${task.name} has no ${JSON.stringify(choice)} templates.`);
  return records.map((record, i) => {
    const rendered = renderExample(task, record, templates[i % templates.length]);
    const references = task.references?.(record) ?? [rendered.target];
    return { input: rendered.input, references, facts: factsOf(record), recordId: record.id, templateId: rendered.templateId };
  });
}

export interface EvaluateOptions {
  batchSize?: number;
  /** Default: greedy, up to the task's maxTargetTokens new tokens. */
  generation?: GenerationOptions;
  /** Write predictions (input, references, prediction, scores) to this JSONL file. */
  predictionsFile?: string;
  /** Progress callback: examples done so far. */
  onProgress?: (done: number, total: number) => void;
}

/** A task's evaluation: mean scores and every prediction. */
export interface TaskEvaluation {
  task: string;
  examples: number;
  means: Record<string, number>;
  /** The task's primary metric (its cell in a score matrix). */
  primary: number;
  /** Inputs longer than the task's maxInputTokens, cut to fit (the model saw only their beginning). */
  truncatedInputs: number;
  predictions: Prediction[];
}

/** Token ids of a prompt, cut to `maxTokens` keeping the final </s>. */
function encodeTruncated(tokenizer: Tokenizer, text: string, maxTokens: number): { ids: number[]; truncated: boolean } {
  const full = tokenizer.encode(text);
  const ids = truncateIds(full, maxTokens, tokenizer.eosTokenId);
  return { ids, truncated: ids.length < full.length };
}

/** Answer every example with the model and score the answers with the task's metric. */
export async function evaluateExamples(
  model: T5Model,
  tokenizer: Tokenizer,
  task: TaskDefinition,
  examples: EvalExample[],
  options: EvaluateOptions = {},
): Promise<TaskEvaluation> {
  if (examples.length === 0) throw new Error(`evaluate ${task.name}: no examples.`);
  const batchSize = options.batchSize ?? 32;
  const generation: GenerationOptions = { maxNewTokens: task.maxTargetTokens, ...options.generation };
  const encoded = examples.map((e) => encodeTruncated(tokenizer, e.input, task.maxInputTokens));
  const texts: string[] = [];
  for (let start = 0; start < examples.length; start += batchSize) {
    const rows = encoded.slice(start, start + batchSize).map((e) => e.ids);
    const outputs = generate(model, { inputIds: rows }, generation);
    texts.push(...outputs.map((ids) => tokenizer.decode(ids).trim()));
    options.onProgress?.(texts.length, examples.length);
    await new Promise((resolve) => setImmediate(resolve)); // let a notebook's display through
  }
  const scored: ScoredExample[] = examples.map((e, i) => ({ prediction: texts[i], references: e.references, facts: e.facts }));
  const scores: TaskScores = scoreTask(task.metric, scored, { labels: task.labels });
  const predictions = examples.map((e, i) => ({ ...e, prediction: texts[i], scores: scores.perExample[i] }));
  if (options.predictionsFile) writePredictions(options.predictionsFile, predictions);
  const primary = scores.means[task.primaryMetric];
  if (typeof primary !== "number") {
    throw new Error(`task ${task.name}: primary metric "${task.primaryMetric}" is not among the scores (${Object.keys(scores.means).join(", ")}).`);
  }
  return {
    task: task.name,
    examples: examples.length,
    means: scores.means,
    primary,
    truncatedInputs: encoded.filter((e) => e.truncated).length,
    predictions,
  };
}

/** Evaluate on the first `limit` records of a split (all when no limit). */
export async function evaluateTask(
  model: T5Model,
  tokenizer: Tokenizer,
  task: TaskDefinition,
  records: TaskRecord[],
  options: EvaluateOptions & { templates?: TemplateChoice; limit?: number } = {},
): Promise<TaskEvaluation> {
  const chosen = options.limit ? records.slice(0, options.limit) : records;
  return evaluateExamples(model, tokenizer, task, evalExamples(task, chosen, options.templates ?? "training"), options);
}

/** Write predictions as JSONL (one input, reference, prediction and scores per line). */
export function writePredictions(file: string, predictions: Prediction[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, predictions.map((p) => JSON.stringify(p)).join("\n") + "\n");
}
