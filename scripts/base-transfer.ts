// Does a base model transfer to the notebooks' new task (issue 14)? Fine-tune it on the first N chat_summary records
// and, with the same recipe, the same architecture from a random initialization; score both (ROUGE-L, fact
// accuracy, share of summaries that loop) on the first chats of a split. The recipe is fixed by the flags before a run.
//
//   node --import tsx scripts/base-transfer.ts --model DIR [--examples 100,250,1000] [--steps 400] [--batch-size 8]
//     [--lr 2e-3] [--warmup 40] [--seeds 0] [--test 100] [--split test|validation] [--method full|lora]
//     [--starts base,scratch] [--out FILE.json]
//
// --method lora trains DeepLearning.AI Lab 2's adapter (r 32, lora_alpha 32, dropout 0.05, on q and v) instead of every
// weight; --starts base alone skips the runs from random weights.
//
// Choose a recipe on --split validation; report it on the test split.
// Runs go through the lab's run cache (build/run-cache), so a repeated measurement reuses what was trained.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { describeBackend, initBackend } from "../src/backend";
import { Split } from "../src/data/task";
import { disposeModel } from "../src/model/lifecycle";
import { LoraConfig } from "../src/model/lora";
import { initParams } from "../src/model/params";
import { FineTuneMethod } from "../src/train/finetune";
import { Base, FineTuneSpec, fineTune, loadBase } from "../src/lab/experiments/finetune";
import { repeatsItself } from "../src/lab/experiments/lab-table";
import { scoreModelOnTask } from "../src/lab/experiments/scoring";

const TASK = "chat_summary";
const LAB2_LORA: Partial<LoraConfig> = { r: 32, lora_alpha: 32, lora_dropout: 0.05, target_modules: ["q", "v"] };
const STARTS = ["base", "scratch"] as const;

interface Recipe {
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  method: FineTuneMethod;
}

interface TransferRow {
  start: (typeof STARTS)[number];
  examples: number;
  seed: number;
  rougeL: number;
  factAccuracy: number;
  looping: number;
  finalLoss: number;
  trainSeconds: number;
}

function numberList(flag: string, text: string): number[] {
  const values = text.split(",").map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`--${flag} must be comma-separated integers >= 0, got "${text}"`);
  return values;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} must be a number > 0, got "${text}"`);
  return value;
}

/** Fine-tune one start on `examples` chats with the recipe, then score it on the first `test` test chats. */
async function fineTuneAndScore(start: Base, label: TransferRow["start"], examples: number, seed: number, recipe: Recipe, test: number, split: Split): Promise<TransferRow> {
  const spec: FineTuneSpec = {
    name: `${label} ${recipe.method} n=${examples}`,
    method: recipe.method,
    ...(recipe.method === "lora" ? { lora: LAB2_LORA } : {}),
    data: { task: TASK, examples },
    steps: recipe.steps,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    schedule: "cosine",
    warmupSteps: recipe.warmupSteps,
    seed,
  };
  const tuned = await fineTune(start, spec);
  const score = await scoreModelOnTask(tuned.model, start.tokenizer, TASK, { split, limit: test, generatedOnly: true, samples: test });
  disposeModel(tuned.model);
  const losses = tuned.result.losses;
  return {
    start: label,
    examples,
    seed,
    rougeL: score.generated.rougeL,
    factAccuracy: score.generated.factAccuracy,
    looping: score.samples.filter((p) => repeatsItself(p.prediction)).length / score.samples.length,
    finalLoss: losses[losses.length - 1]?.loss ?? NaN,
    trainSeconds: tuned.result.seconds,
  };
}

function markdownTable(rows: TransferRow[]): string {
  const lines = ["| examples | seed | start | ROUGE-L | facts | looping | final loss |", "|---:|---:|---|---:|---:|---:|---:|"];
  for (const r of rows) lines.push(`| ${r.examples} | ${r.seed} | ${r.start} | ${r.rougeL.toFixed(3)} | ${r.factAccuracy.toFixed(3)} | ${r.looping.toFixed(2)} | ${r.finalLoss.toFixed(3)} |`);
  return lines.join("\n");
}

function methodFlag(text: string): FineTuneMethod {
  if (text !== "full" && text !== "lora") throw new Error(`--method must be full or lora, got "${text}"`);
  return text;
}

function startsFlag(text: string): (typeof STARTS)[number][] {
  const starts = text.split(",");
  const unknown = starts.filter((s) => !(STARTS as readonly string[]).includes(s));
  if (unknown.length || !starts.length) throw new Error(`--starts must list base and/or scratch, got "${text}"`);
  return starts as (typeof STARTS)[number][];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      examples: { type: "string", default: "100,250,1000" },
      steps: { type: "string", default: "400" },
      "batch-size": { type: "string", default: "8" },
      lr: { type: "string", default: "2e-3" },
      warmup: { type: "string", default: "40" },
      seeds: { type: "string", default: "0" },
      test: { type: "string", default: "100" },
      split: { type: "string", default: "test" },
      method: { type: "string", default: "full" },
      starts: { type: "string", default: "base,scratch" },
      out: { type: "string" },
    },
  });
  if (!values.model) throw new Error("--model DIR is required (a base model folder with its tokenizer)");
  const recipe: Recipe = {
    steps: positive("steps", values.steps!),
    batchSize: positive("batch-size", values["batch-size"]!),
    learningRate: positive("lr", values.lr!),
    warmupSteps: Number(values.warmup),
    method: methodFlag(values.method!),
  };
  const starts = startsFlag(values.starts!);
  const test = positive("test", values.test!);
  const split = values.split as Split;
  if (split !== "test" && split !== "validation") throw new Error(`--split must be test or validation, got "${values.split}"`);
  await initBackend();
  console.error(describeBackend());
  const base = await loadBase(values.model);
  const rows: TransferRow[] = [];
  for (const seed of numberList("seeds", values.seeds!)) {
    for (const examples of numberList("examples", values.examples!)) {
      for (const label of starts) {
        const start: Base = label === "base" ? base : { ...base, model: { config: base.model.config, params: initParams(base.model.config, seed) } };
        const row = await fineTuneAndScore(start, label, examples, seed, recipe, test, split);
        rows.push(row);
        console.error(JSON.stringify(row));
        if (start !== base) disposeModel(start.model);
      }
    }
  }
  const table = markdownTable(rows);
  console.log(table);
  if (values.out) {
    fs.mkdirSync(path.dirname(values.out), { recursive: true });
    fs.writeFileSync(values.out, JSON.stringify({ model: values.model, task: TASK, recipe, test, split, backend: describeBackend(), rows }, null, 2) + "\n");
    fs.writeFileSync(values.out.replace(/\.json$/, "") + ".md", table + "\n");
  }
}

main().catch((error) => {
  console.error(`base-transfer: ${process.env.FLANLAB_DEBUG === "1" ? error.stack : error.message}`);
  process.exit(1);
});
