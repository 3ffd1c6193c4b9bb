// Train flanlab's base model: a small T5 v1.1-style model instruction-tuned on the base mixture (review_rating,
// sentiment, entity_recognition, question_answering), so it plays the part FLAN-T5 plays in the tutorials.
//
//   npm run train:base [-- --steps 3000 --out models/flanlab-tiny --run build/train-base --seed 0]
//   npm run train:base -- --card-only      (rewrite README.md from training.json)
//
// The run folder keeps checkpoints: interrupted, the same command resumes. At the end the model is saved with a
// model card (README.md) and training.json giving the recipe, the time it took and the scores it reached.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { describeBackend, initBackend } from "../src/backend";
import { proportionalRate, makeMixture } from "../src/data/mixtures";
import { BASE_TASK_NAMES, HELD_OUT_TASK_NAMES, NEW_TASK_NAME, getTask, loadRecords } from "../src/lab/tasks/registry";
import { mean } from "../src/eval/bootstrap";
import { TaskEvaluation, TemplateChoice, evaluateTask } from "../src/eval/evaluate";
import { saveModel } from "../src/io/checkpoint";
import { Tokenizer, loadTokenizer } from "../src/io/tokenizer";
import { T5Config } from "../src/model/config";
import { flanlabTinyConfig } from "../src/lab/base-model";
import { StageRecipe, stageTrainerOptions } from "../src/lab/base/stage-options";
import { countParameters, initParams } from "../src/model/params";
import { T5Model } from "../src/model/t5";
import { MixtureBatches } from "../src/train/batches";
import { toVariables } from "../src/train/step";
import { TrainerOptions, train } from "../src/train/trainer";

const ROOT = path.join(__dirname, "..");
const TOKENIZER = path.join(ROOT, "datasets", "tokenizer");

interface Recipe extends StageRecipe {
  evalExamples: number;
}

function trainerOptions(recipe: Recipe, runDir: string, evaluate: TrainerOptions["evaluate"]): TrainerOptions {
  return stageTrainerOptions(recipe, { run: runDir, tokenizerFolder: TOKENIZER, evaluate, describe: { mixture: BASE_TASK_NAMES, rate: "proportional:3000" } });
}

/** The primary metric of each task on the first `limit` records of a split. */
async function scoreTasks(
  model: T5Model,
  tokenizer: Tokenizer,
  names: readonly string[],
  split: "validation" | "test",
  limit: number,
  templates: TemplateChoice = "training",
): Promise<Record<string, TaskEvaluation>> {
  const out: Record<string, TaskEvaluation> = {};
  for (const name of names) {
    const task = getTask(name);
    out[name] = await evaluateTask(model, tokenizer, task, loadRecords(task, split).records, { limit, templates, batchSize: 50 });
  }
  return out;
}

/** What training.json keeps of an evaluation: the primary metric, every mean, the number of examples. */
type ScoreSummary = Record<string, { primary: number; examples: number } & Record<string, number>>;

function summarize(evals: Record<string, TaskEvaluation>): ScoreSummary {
  return Object.fromEntries(Object.values(evals).map((e) => [e.task, { primary: e.primary, ...e.means, examples: e.examples }]));
}

interface TrainingRecord {
  recipe: Recipe;
  config: T5Config;
  backend: string;
  seconds: number;
  tokensPerSecond: number;
  evaluations: { step: number; scores: Record<string, number> }[];
  test: ScoreSummary;
  zeroShot: ScoreSummary;
}

/** The model card, written from training.json alone (so `--card-only` can rewrite it without training). */
function modelCard(record: TrainingRecord): string {
  const { config, recipe } = record;
  const row = ([task, s]: [string, ScoreSummary[string]]) =>
    `| ${task} | ${getTask(task).primaryMetric} | ${s.primary.toFixed(3)} | ${Object.entries(s).filter(([k]) => k !== "primary" && k !== "examples").map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ")} | ${s.examples} |`;
  const lastEval = record.evaluations[record.evaluations.length - 1];
  return [
    "# flanlab-tiny",
    "",
    "A small T5 v1.1-style encoder-decoder (gated-GELU, untied output layer) instruction-tuned by flanlab on its base",
    `mixture (${BASE_TASK_NAMES.join(", ")}), so that it plays the part FLAN-T5 plays in the tutorials. It has never`,
    `seen ${NEW_TASK_NAME} (the task the notebooks fine-tune) or ${HELD_OUT_TASK_NAMES.join(", ")} (held out from everything).`,
    "",
    "## Architecture",
    "",
    `${countParameters(config).toLocaleString("en-US")} parameters: d_model ${config.d_model}, ${config.num_heads} heads of ${config.d_kv}, d_ff ${config.d_ff},`,
    `${config.num_layers} encoder and ${config.num_decoder_layers} decoder layers, vocabulary ${config.vocab_size} (the project tokenizer in datasets/tokenizer).`,
    "",
    "## Training recipe",
    "",
    `- Data: the base mixture, examples-proportional rates with cap K = 3000 (equal here: every task has 3,000 training`,
    "  records), each example rendered with one of its task's training templates (held-out templates never seen).",
    `- ${recipe.steps} steps of batch ${recipe.batchSize}, AdamW (weight decay 0.01), peak learning rate ${recipe.learningRate},`,
    `  cosine schedule with ${recipe.warmupSteps} warm-up steps, gradient clipping at 1.0, no dropout, seed ${recipe.seed}.`,
    `- Took ${(record.seconds / 60).toFixed(1)} minutes on the ${record.backend} backend at ${Math.round(record.tokensPerSecond)} tokens/s (the machine was`,
    "  shared with other jobs; alone, this model trains at about 6,700 tokens/s here). Reproduce with `npm run train:base`.",
    "",
    "## Validation during training",
    "",
    `Primary metric on the first ${recipe.evalExamples} validation records of each task:`,
    "",
    `| step | ${Object.keys(lastEval?.scores ?? {}).join(" | ")} |`,
    `|---|${Object.keys(lastEval?.scores ?? {}).map(() => "---").join("|")}|`,
    ...record.evaluations.map((e) => `| ${e.step} | ${Object.values(e.scores).map((v) => v.toFixed(3)).join(" | ")} |`),
    "",
    "## Scores (test split, greedy decoding, training templates)",
    "",
    "| task | primary metric | score | all metrics | examples |",
    "|---|---|---|---|---|",
    ...Object.entries(record.test).map(row),
    "",
    "Zero-shot on tasks it was never trained on (test split):",
    "",
    "| task | primary metric | score | all metrics | examples |",
    "|---|---|---|---|---|",
    ...Object.entries(record.zeroShot).map(row),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: "string", default: "3000" },
      "batch-size": { type: "string", default: "32" },
      lr: { type: "string", default: "2e-3" },
      warmup: { type: "string", default: "200" },
      seed: { type: "string", default: "0" },
      "eval-every": { type: "string", default: "500" },
      "eval-examples": { type: "string", default: "100" },
      "test-examples": { type: "string", default: "300" },
      out: { type: "string", default: path.join(ROOT, "models", "flanlab-tiny") },
      run: { type: "string", default: path.join(ROOT, "build", "train-base") },
      "card-only": { type: "boolean" },
    },
  });
  if (values["card-only"]) {
    const record = JSON.parse(fs.readFileSync(path.join(values.out!, "training.json"), "utf8")) as TrainingRecord;
    fs.writeFileSync(path.join(values.out!, "README.md"), modelCard(record));
    console.error(`rewrote ${path.join(values.out!, "README.md")} from training.json`);
    return;
  }
  const recipe: Recipe = {
    steps: Number(values.steps),
    batchSize: Number(values["batch-size"]),
    learningRate: Number(values.lr),
    warmupSteps: Number(values.warmup),
    seed: Number(values.seed),
    evalEvery: Number(values["eval-every"]),
    evalExamples: Number(values["eval-examples"]),
  };
  const backend = await initBackend();
  console.error(describeBackend());
  const tokenizer = await loadTokenizer(TOKENIZER);
  const config = flanlabTinyConfig(tokenizer.vocabSize);
  console.error(`model: ${countParameters(config).toLocaleString("en-US")} parameters; recipe ${JSON.stringify(recipe)}`);
  const model: T5Model = { config, params: toVariables(initParams(config, recipe.seed)) };
  const sources = BASE_TASK_NAMES.map((name) => ({ task: getTask(name), records: loadRecords(name, "train").records }));
  const batches = new MixtureBatches(makeMixture("base", sources, proportionalRate(3000)), recipe.seed, tokenizer);

  const evaluate = async (m: T5Model, step: number) => {
    const scores = await scoreTasks(m, tokenizer, BASE_TASK_NAMES, "validation", recipe.evalExamples);
    const flat = Object.fromEntries(Object.values(scores).map((e) => [`${e.task}/${getTask(e.task).primaryMetric}`, e.primary]));
    const average = mean(Object.values(flat));
    console.error(`\nstep ${step} validation: ${Object.entries(flat).map(([k, v]) => `${k} ${v.toFixed(3)}`).join("  ")}  mean ${average.toFixed(3)}`);
    return { ...flat, mean: average };
  };
  const result = await train(model, batches, { ...trainerOptions(recipe, values.run!, evaluate), earlyStopping: undefined });
  console.error(`trained ${result.steps} steps in ${(result.seconds / 60).toFixed(1)} min this session (${Math.round(result.tokensPerSecond)} tokens/s)`);

  const limit = Number(values["test-examples"]);
  const test = await scoreTasks(model, tokenizer, BASE_TASK_NAMES, "test", limit);
  const heldOut = await scoreTasks(model, tokenizer, [NEW_TASK_NAME, ...HELD_OUT_TASK_NAMES], "test", limit);
  const out = values.out!;
  saveModel(model, out, { tokenizerFolder: TOKENIZER, generationConfig: { decoder_start_token_id: 0, eos_token_id: 1, pad_token_id: 0, max_new_tokens: 64 } });
  const run = JSON.parse(fs.readFileSync(path.join(values.run!, "run.json"), "utf8")) as { started: string; ended: string };
  const totalSeconds = (Date.parse(run.ended) - Date.parse(run.started)) / 1000;
  const record: TrainingRecord = {
    recipe,
    config,
    backend,
    seconds: totalSeconds,
    tokensPerSecond: result.tokensPerSecond,
    evaluations: result.evaluations,
    test: summarize(test),
    zeroShot: summarize(heldOut),
  };
  fs.writeFileSync(path.join(out, "training.json"), JSON.stringify({ ...record, truncation: batches.truncation }, null, 2) + "\n");
  fs.writeFileSync(path.join(out, "README.md"), modelCard(record));
  console.error(`saved ${out}`);
}

main().catch((error) => {
  console.error(`train-base: ${process.env.FLANLAB_DEBUG === "1" ? error.stack : error.message}`);
  process.exit(1);
});
