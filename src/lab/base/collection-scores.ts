// Scores of a model on the instruction collection's tasks (src/lab/tasks/collection.ts): what instruction tuning
// measures during training (base-instruct), and what notebook 06 compares before and after it.
import * as fs from "fs";
import * as path from "path";
import { readTaskRecords } from "../../data/jsonl";
import { Split, TaskDefinition, TaskRecord } from "../../data/task";
import { TemplateChoice, evaluateTask } from "../../eval/evaluate";
import { Tokenizer } from "../../io/tokenizer";
import { T5Model } from "../../model/t5";
import { DEFAULT_COLLECTION_DIR, buildInstructionCollection } from "../tasks/collection";
import { loadRecords } from "../tasks/registry";

/** A split of a task: the built collection's (built under build/collection first if missing), else the shipped datasets' (chat_summary). */
export async function collectionRecords(task: TaskDefinition, split: Split, dir = DEFAULT_COLLECTION_DIR): Promise<TaskRecord[]> {
  if (!fs.existsSync(path.join(dir, "collection.json"))) await buildInstructionCollection({ out: dir });
  const file = path.join(dir, task.folder, `${split}.jsonl`);
  return fs.existsSync(file) ? readTaskRecords(task, file, false).records : loadRecords(task, split).records;
}

/** The primary metric of each task on the first `limit` records of a split (greedy decoding), keyed "task/metric". */
export async function collectionScores(
  model: T5Model,
  tokenizer: Tokenizer,
  tasks: readonly TaskDefinition[],
  split: Split,
  limit: number,
  templates: TemplateChoice = "training",
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const task of tasks) {
    const evaluation = await evaluateTask(model, tokenizer, task, await collectionRecords(task, split), { limit, templates, batchSize: 50 });
    out[`${task.name}/${task.primaryMetric}`] = evaluation.primary;
  }
  return out;
}
