// The model card of a lab base model (issue 14), written from what its training left behind: the run folder of each
// stage (run.json, metrics.jsonl), the stage records (training.json) and, when given, a transfer measurement
// (scripts/base-transfer.ts). Writes README.md and training-curves.svg into the model folder.
//
//   node --import tsx scripts/base-card.ts --model DIR --title NAME --stage LABEL:RUN_DIR[=RECORD.json] [--stage ...]
//     [--transfer FILE.json] [--note TEXT]
//
// Each stage's metrics.jsonl is copied to <model>/training/<n>-<label>.metrics.jsonl (src/lab/base/stage-curves.ts).
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { countParameters } from "../src/model/params";
import { T5Config } from "../src/model/config";
import { staticFigureSvg } from "../src/lab/notebook/static-figure";
import { StageCurve, parseStageMetrics, stageCurvesDir, stageLossSeries } from "../src/lab/base/stage-curves";

interface Stage {
  label: string;
  run: string;
  describe: { stage: string; recipe: Record<string, unknown> };
  curve: StageCurve;
  record?: Record<string, unknown>;
}

function readStage(argument: string): Stage {
  const match = /^([a-z0-9-]+):([^=]+)(?:=(.+))?$/.exec(argument);
  if (!match) throw new Error(`--stage ${argument}: expected LABEL:RUN_DIR[=RECORD.json] (a label of a-z, 0-9 and -)`);
  const [, label, run, recordFile] = match;
  const runJson = JSON.parse(fs.readFileSync(path.join(run, "run.json"), "utf8"));
  const metrics = path.join(run, "metrics.jsonl");
  const curve = parseStageMetrics(label, fs.readFileSync(metrics, "utf8"), metrics);
  const record = recordFile ? JSON.parse(fs.readFileSync(recordFile, "utf8")) : undefined;
  return { label, run, describe: runJson.options.describe, curve, record };
}

/** The step of the run's last checkpoint (where it finished or was stopped). */
function lastCheckpointStep(run: string): number | undefined {
  const file = path.join(run, "checkpoints", "last", "trainer_state.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { step: number }).step : undefined;
}

/** A run folder as the checkout it ran in names it (from build/ on), not as an absolute path of one machine. */
function shownPath(run: string): string {
  const at = run.replace(/\\/g, "/").lastIndexOf("build/");
  return at >= 0 ? run.slice(at) : path.basename(run);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fixed = (value: unknown, digits = 3) => (typeof value === "number" ? value.toFixed(digits) : "-");

function stageSection(stage: Stage, index: number): string[] {
  const recipe = stage.describe.recipe;
  const { steps, losses, evaluations: evals } = stage.curve;
  const lastLogged = steps[steps.length - 1] ?? 0;
  const lastStep = lastCheckpointStep(stage.run) ?? lastLogged;
  const speed = median(stage.curve.tokensPerSecond.filter(Number.isFinite));
  const seconds = stage.record?.seconds as number | undefined;
  const evalKeys = [...new Set(evals.flatMap((e) => Object.keys(e.values)))];
  const marks = [0.1, 0.25, 0.5, 0.75, 1].map((f) => steps.findIndex((step) => step >= f * lastLogged)).filter((i) => i >= 0);
  const out = [
    `### Stage ${index + 1}: ${stage.label} (${stage.describe.stage}, run folder ${shownPath(stage.run)})`,
    "",
    `Recipe: ${Object.entries(recipe).map(([k, v]) => `${k} ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ")}.`,
    "",
    `Trained ${lastStep.toLocaleString("en-US")} steps; median ${Math.round(speed).toLocaleString("en-US")} tokens/s` +
      (seconds ? `, ${(seconds / 60).toFixed(1)} min of training in its last process.` : "."),
    "",
    `Training loss (mean of the last 10 steps): ${marks.map((i) => `step ${steps[i]} ${fixed(losses[i])}`).join(", ")}.`,
    "",
  ];
  if (evals.length > 0) {
    out.push(`| step | ${evalKeys.join(" | ")} |`, `|---:|${evalKeys.map(() => "---:").join("|")}|`);
    for (const e of evals) out.push(`| ${e.step} | ${evalKeys.map((k) => fixed(e.values[k])).join(" | ")} |`);
    out.push("");
  }
  for (const [key, title] of [["test", "Test split, training templates"], ["heldOutTemplates", "Test split, held-out templates"], ["zeroShot", "Unseen tasks (zero-shot, test split)"]] as const) {
    const scores = stage.record?.[key] as Record<string, number> | undefined;
    if (!scores) continue;
    out.push(`${title}:`, "", "| task/metric | score |", "|---|---:|", ...Object.entries(scores).map(([k, v]) => `| ${k} | ${fixed(v)} |`), "");
  }
  return out;
}

function curvesSvg(stages: Stage[]): string {
  const traces = stageLossSeries(stages.map((stage) => stage.curve)).map((series) => ({ type: "scatter", mode: "lines", ...series }));
  return staticFigureSvg(traces, { title: { text: "Training loss by stage" }, xaxis: { title: { text: "step (stages one after another)" } }, yaxis: { title: { text: "loss (nats per target token)" }, type: "log" } }, 380);
}

function transferSection(file: string): string[] {
  const { recipe, test, rows } = JSON.parse(fs.readFileSync(file, "utf8")) as { recipe: Record<string, number>; test: number; rows: Record<string, number | string>[] };
  return [
    "## Does it transfer? Fine-tuned on chat_summary, against the same architecture from scratch",
    "",
    `Recipe: ${recipe.steps} steps of batch ${recipe.batchSize}, peak learning rate ${recipe.learningRate}, ${recipe.warmupSteps} warm-up steps then cosine decay; ${test} test chats, greedy decoding (scripts/base-transfer.ts).`,
    "",
    "| examples | seed | start | ROUGE-L | facts | looping | final loss |",
    "|---:|---:|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.examples} | ${r.seed} | ${r.start} | ${fixed(r.rougeL)} | ${fixed(r.factAccuracy)} | ${fixed(r.looping, 2)} | ${fixed(r.finalLoss)} |`),
    "",
  ];
}

function main(): void {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      title: { type: "string" },
      stage: { type: "string", multiple: true },
      transfer: { type: "string" },
      note: { type: "string" },
    },
  });
  if (!values.model || !values.title || !values.stage?.length) throw new Error("--model DIR, --title NAME and at least one --stage RUN_DIR[=RECORD.json] are required");
  const config = JSON.parse(fs.readFileSync(path.join(values.model, "config.json"), "utf8")) as T5Config;
  const stages = values.stage.map(readStage);
  const history = stageCurvesDir(values.model);
  fs.rmSync(history, { recursive: true, force: true });
  fs.mkdirSync(history, { recursive: true });
  stages.forEach((stage, i) => fs.copyFileSync(path.join(stage.run, "metrics.jsonl"), path.join(history, `${i + 1}-${stage.label}.metrics.jsonl`)));
  fs.writeFileSync(path.join(values.model, "training-curves.svg"), curvesSvg(stages) + "\n");
  const card = [
    `# ${values.title}`,
    "",
    ...(values.note ? [values.note, ""] : []),
    "## Architecture",
    "",
    `${countParameters(config).toLocaleString("en-US")} parameters: d_model ${config.d_model}, ${config.num_heads} heads of ${config.d_kv}, d_ff ${config.d_ff} (${config.feed_forward_proj}), ` +
      `${config.num_layers} encoder and ${config.num_decoder_layers} decoder layers, vocabulary ${config.vocab_size} (${config.vocab_size === 3300 ? "3,200 pieces and 100 sentinels" : "see tokenizer_config.json"}), untied output layer, no dropout.`,
    "",
    "## How it was trained",
    "",
    "![training loss by stage](training-curves.svg)",
    "",
    ...stages.flatMap(stageSection),
    ...(values.transfer ? transferSection(values.transfer) : []),
  ];
  fs.writeFileSync(path.join(values.model, "README.md"), card.join("\n"));
  console.log(`wrote ${path.join(values.model, "README.md")} and training-curves.svg`);
}

main();
