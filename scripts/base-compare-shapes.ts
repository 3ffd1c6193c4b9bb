// Compare the candidate shapes of the miniature FLAN-T5 (src/lab/base/shapes.ts) at equal compute on short runs
// (issue 14): for each shape, pretrain and instruction-tune within the same FLOP budget, then fine-tune on
// chat_summary as the notebooks do, from that base and from scratch, and score the chats. The protocol (budgets,
// recipe, seed) is fixed here before any run.
//
//   node --import tsx scripts/base-compare-shapes.ts --tokenizer build/base/tokenizer [--shapes a,b,c] [--out DIR]
//
// Each stage is a resumable run folder under --out (default build/base/compare); results.json and results.md
// gather what finished. Run it on the fastest backend there is (FLANLAB_BACKEND=tensorflow where installed).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { describeBackend, initBackend } from "../src/backend";
import { spanCorruptionLengths } from "../src/data/span-corruption";
import { loadModel } from "../src/io/checkpoint";
import { loadTokenizer } from "../src/io/tokenizer";
import { initParams } from "../src/model/params";
import { disposeModel } from "../src/model/lifecycle";
import { trainStepFlops } from "../src/lab/bench/flops";
import { BASE_SHAPES, baseShapeConfig } from "../src/lab/base/shapes";
import { fineTune } from "../src/lab/experiments/finetune";
import { scoreModelOnTask } from "../src/lab/experiments/scoring";
import { PACKAGE_ROOT } from "../src/lab/paths";

/** The reference budget: what w128-l4 does in these many steps; every shape gets the same FLOPs. */
const REFERENCE_SHAPE = "w128-l4";
const PRETRAIN = { steps: 400, batchSize: 32, inputsLength: 128 };
const INSTRUCT = { steps: 200, batchSize: 16, sourceLength: 160, targetLength: 16 };
/** The chat fine-tuning: a notebook-sized run (250 chats) with warm-up and cosine decay. */
const CHAT = { examples: 250, steps: 300, batchSize: 8, learningRate: 2e-3, warmupSteps: 30, evalExamples: 100, seed: 0 };

function stepsForEqualFlops(shape: string, referenceSteps: number, stepShape: { batch: number; sourceLength: number; targetLength: number }, vocab: number): number {
  const flops = (name: string) => trainStepFlops(baseShapeConfig(name, vocab), stepShape);
  return Math.max(1, Math.round((referenceSteps * flops(REFERENCE_SHAPE)) / flops(shape)));
}

function runScript(script: string, args: string[]): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, script), ...args], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (exit ${result.status})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tokenizer: { type: "string" },
      shapes: { type: "string", default: Object.keys(BASE_SHAPES).join(",") },
      out: { type: "string", default: path.join(PACKAGE_ROOT, "build", "base", "compare") },
    },
  });
  if (!values.tokenizer) throw new Error("--tokenizer DIR is required (scripts/base-tokenizer.ts)");
  await initBackend();
  console.error(describeBackend());
  const tokenizer = await loadTokenizer(values.tokenizer);
  const { inputsLength, targetsLength } = spanCorruptionLengths(PRETRAIN.inputsLength);
  const resultsFile = path.join(values.out!, "results.json");
  const results: Record<string, unknown>[] = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, "utf8")) : [];
  for (const shape of values.shapes!.split(",")) {
    if (results.some((r) => r.shape === shape)) continue;
    const dir = path.join(values.out!, shape);
    const pretrainSteps = stepsForEqualFlops(shape, PRETRAIN.steps, { batch: PRETRAIN.batchSize, sourceLength: inputsLength, targetLength: targetsLength }, tokenizer.vocabSize);
    const instructSteps = stepsForEqualFlops(shape, INSTRUCT.steps, { batch: INSTRUCT.batchSize, sourceLength: INSTRUCT.sourceLength, targetLength: INSTRUCT.targetLength }, tokenizer.vocabSize);
    const started = Date.now();
    if (!fs.existsSync(path.join(dir, "pretrained", "config.json"))) {
      runScript("base-pretrain.ts", ["--shape", shape, "--tokenizer", values.tokenizer, "--documents", "40000", "--steps", String(pretrainSteps), "--batch-size", String(PRETRAIN.batchSize), "--warmup", String(Math.round(pretrainSteps / 10)), "--eval-every", String(pretrainSteps), "--run", path.join(dir, "pretrain-run"), "--out", path.join(dir, "pretrained")]);
    }
    if (!fs.existsSync(path.join(dir, "instructed", "config.json"))) {
      runScript("base-instruct.ts", ["--pretrained", path.join(dir, "pretrained"), "--steps", String(instructSteps), "--batch-size", String(INSTRUCT.batchSize), "--warmup", String(Math.round(instructSteps / 10)), "--eval-every", String(instructSteps), "--eval-examples", "20", "--test-examples", "50", "--run", path.join(dir, "instruct-run"), "--out", path.join(dir, "instructed")]);
    }
    const baseSeconds = (Date.now() - started) / 1000;
    const base = { model: loadModel(path.join(dir, "instructed")), tokenizer, folder: path.join(dir, "instructed") };
    const scratch = { ...base, model: { config: base.model.config, params: initParams(base.model.config, CHAT.seed) } };
    const row: Record<string, unknown> = { shape, parameters: Object.values(base.model.params).reduce((n, t) => n + t.size, 0), pretrainSteps, instructSteps, baseSeconds };
    for (const [name, start] of [["fine-tuned base", base], ["from scratch", scratch]] as const) {
      const spec = { name, method: "full" as const, data: { task: "chat_summary", examples: CHAT.examples }, steps: CHAT.steps, batchSize: CHAT.batchSize, learningRate: CHAT.learningRate, seed: CHAT.seed, schedule: "cosine" as const, warmupSteps: CHAT.warmupSteps };
      const tuned = await fineTune(start, spec);
      const score = await scoreModelOnTask(tuned.model, tokenizer, "chat_summary", { split: "test", limit: CHAT.evalExamples, generatedOnly: true });
      row[name] = { rougeL: score.generated.rougeL, factAccuracy: score.generated.factAccuracy, trainSeconds: tuned.result.seconds, finalLoss: tuned.result.losses[tuned.result.losses.length - 1]?.loss };
      console.error(`${shape} ${name}: ${JSON.stringify(row[name])}`);
      disposeModel(tuned.model);
    }
    results.push(row);
    fs.mkdirSync(values.out!, { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
  }
  const table = [
    "| shape | parameters | pretrain steps | instruct steps | base min | fine-tuned base ROUGE-L | facts | from scratch ROUGE-L | facts |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map((r) => {
      const b = r["fine-tuned base"] as Record<string, number>;
      const s = r["from scratch"] as Record<string, number>;
      return `| ${r.shape} | ${(r.parameters as number).toLocaleString("en-US")} | ${r.pretrainSteps} | ${r.instructSteps} | ${((r.baseSeconds as number) / 60).toFixed(0)} | ${b.rougeL.toFixed(3)} | ${b.factAccuracy.toFixed(3)} | ${s.rougeL.toFixed(3)} | ${s.factAccuracy.toFixed(3)} |`;
    }),
  ].join("\n");
  fs.writeFileSync(path.join(values.out!, "results.md"), table + "\n");
  console.log(table);
}

main().catch((error) => {
  console.error(`base-compare-shapes: ${process.env.FLANLAB_DEBUG === "1" ? error.stack : error.message}`);
  process.exit(1);
});
