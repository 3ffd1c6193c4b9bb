// flanlab eval: score a model (optionally with a LoRA adapter) on registered tasks or the user's own file.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { getTask, loadRecords, TASK_NAMES } from "../lab/tasks/registry";
import { SPLITS, Split, TaskDefinition, TaskRecord } from "../data/task";
import { TemplateChoice, TaskEvaluation, evaluateTask } from "../eval/evaluate";
import { loadTokenizer } from "../io/tokenizer";
import { checkOutputFolder } from "../train/output-folder";
import { Command, DATA_FILE_FLAGS, READING_USAGE, USER_DATA_FLAGS, fail, integerFlag, listFlag, loadModelAndAdapter, refuseIgnoredFlags, startBackend, userRecordsFromFlags, userTaskFromFlags } from "./common";
import { GENERATION_FLAGS, GENERATION_USAGE, generationOptions } from "./generation-flags";
import { tokenBudgetWarning } from "./model-length";

function templateChoice(text: string | undefined): TemplateChoice {
  if (text === undefined || text === "training") return "training";
  if (text === "held-out") return "held-out";
  return { id: text };
}

export const evalCommand: Command = {
  summary: "score a model (and adapter) on tasks or your own file with each task's metric",
  usage: [
    "flanlab eval --model DIR [--adapter DIR] (--tasks a,b,c | --data FILE [--format F] [--input-column C --target-column C]",
    "             [--template \"...{input}...\"] [--metric rouge|...] [--max-input-tokens N]",
    `             ${READING_USAGE}) [--split test] [--limit N]`,
    "             [--templates training|held-out|ID] [--out results.json] [--predictions DIR] [--batch-size 32]",
    GENERATION_USAGE,
    `  tasks: ${TASK_NAMES.join(", ")}`,
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        adapter: { type: "string" },
        tasks: { type: "string" },
        ...USER_DATA_FLAGS,
        split: { type: "string" },
        limit: { type: "string" },
        templates: { type: "string" },
        out: { type: "string" },
        predictions: { type: "string" },
        "batch-size": { type: "string" },
        ...GENERATION_FLAGS,
      },
    });
    if (!values.model) fail("--model DIR is required.");
    if ((values.tasks === undefined) === (values.data === undefined)) fail("give one of --tasks or --data.");
    refuseIgnoredFlags(values, DATA_FILE_FLAGS, values.data !== undefined, "with --data FILE");
    refuseIgnoredFlags(values, ["templates", "split"], values.tasks !== undefined, "with --tasks (a --data file is scored with its --template, all of it)");
    const split = (values.split ?? "test") as Split;
    if (!SPLITS.includes(split)) fail(`--split "${values.split}" must be one of ${SPLITS.join(", ")}.`);
    const limit = integerFlag("limit", values.limit, { min: 1 });
    const batchSize = integerFlag("batch-size", values["batch-size"], { min: 1 });
    const generation = generationOptions(values.model, values);
    if (values.out && fs.existsSync(values.out) && fs.statSync(values.out).isDirectory()) fail(`--out ${values.out} is a folder; give a file name (results.json).`);
    if (values.out) checkOutputFolder(path.dirname(path.resolve(values.out)), { what: `--out ${values.out}: its folder` });
    if (values.predictions) checkOutputFolder(values.predictions, { what: "--predictions" });

    const jobs: { task: TaskDefinition; records: TaskRecord[] }[] = values.data
      ? [{ task: userTaskFromFlags(values), records: userRecordsFromFlags(values.data, values) }]
      : listFlag(values.tasks)!.map((name) => ({ task: getTask(name), records: loadRecords(name, split).records }));

    const tokenizer = await loadTokenizer(values.model);
    const budget = values.data ? tokenBudgetWarning(jobs[0].task.maxInputTokens, tokenizer.modelMaxLength) : null;
    if (budget) console.error(`warning: ${budget}`);
    await startBackend();
    const model = loadModelAndAdapter(values.model, values.adapter);
    const results: TaskEvaluation[] = [];
    for (const { task, records } of jobs) {
      const result = await evaluateTask(model, tokenizer, task, records, {
        limit,
        templates: values.data ? "training" : templateChoice(values.templates),
        batchSize,
        generation,
        predictionsFile: values.predictions ? path.join(values.predictions, `${task.name}.jsonl`) : undefined,
        onProgress: (done, total) => process.stderr.write(`\r${task.name}: ${done}/${total}`),
      });
      process.stderr.write("\n");
      results.push(result);
      const metrics = Object.entries(result.means).map(([k, v]) => `${k} ${v.toFixed(4)}`).join("  ");
      console.log(`${task.name} (${result.examples} examples${result.truncatedInputs ? `, ${result.truncatedInputs} inputs truncated` : ""}): ${metrics}`);
    }
    if (values.out) {
      const summary = {
        model: values.model,
        adapter: values.adapter ?? null,
        split,
        templates: values.templates ?? "training",
        generation,
        scores: Object.fromEntries(results.map((r) => [r.task, { primary: r.primary, ...r.means, examples: r.examples, truncatedInputs: r.truncatedInputs }])),
      };
      fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      fs.writeFileSync(values.out, JSON.stringify(summary, null, 2) + "\n");
    }
  },
};
