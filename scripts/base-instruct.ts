// Stage 2 of the lab's miniature FLAN-T5 (issue 14): instruction-tune the span-corruption-pretrained model on the
// instruction collection (src/lab/tasks/collection.ts), as FLAN-T5 was made from T5. chat_summary, the notebooks'
// new task, is not in the collection; its held-out tasks measure zero-shot generalization.
//
//   node --import tsx scripts/base-instruct.ts --pretrained DIR [--steps 6000] [--batch-size 32] [--lr 1e-3]
//     [--warmup 300] [--cap 3000] [--seed 0] [--eval-every 500] [--eval-examples 50] [--test-examples 200]
//     [--run DIR] [--out DIR]
//
// The run folder keeps checkpoints: interrupted, the same command resumes. At the end the model is saved to --out
// (when given) with training.json: the recipe, validation scores during training, test and zero-shot scores.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { describeBackend, initBackend } from "../src/backend";
import { makeMixture, proportionalRate } from "../src/data/mixtures";
import { mean } from "../src/eval/bootstrap";
import { loadModel, saveModel } from "../src/io/checkpoint";
import { loadTokenizer } from "../src/io/tokenizer";
import { PACKAGE_ROOT } from "../src/lab/paths";
import { stageTrainerOptions } from "../src/lab/base/stage-options";
import { collectionTasks } from "../src/lab/tasks/collection";
import { collectionRecords, collectionScores } from "../src/lab/base/collection-scores";
import { getTask } from "../src/lab/tasks/registry";
import { MixtureBatches } from "../src/train/batches";
import { toVariables } from "../src/train/step";
import { train } from "../src/train/trainer";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pretrained: { type: "string" },
      steps: { type: "string", default: "6000" },
      "batch-size": { type: "string", default: "32" },
      lr: { type: "string", default: "1e-3" },
      warmup: { type: "string", default: "300" },
      cap: { type: "string", default: "3000" },
      seed: { type: "string", default: "0" },
      "eval-every": { type: "string", default: "500" },
      "eval-examples": { type: "string", default: "50" },
      "test-examples": { type: "string", default: "200" },
      run: { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.pretrained) throw new Error("--pretrained DIR is required (the output of scripts/base-pretrain.ts)");
  const recipe = {
    steps: Number(values.steps),
    batchSize: Number(values["batch-size"]),
    learningRate: Number(values.lr),
    warmupSteps: Number(values.warmup),
    cap: Number(values.cap),
    seed: Number(values.seed),
    evalEvery: Number(values["eval-every"]),
    evalExamples: Number(values["eval-examples"]),
    testExamples: Number(values["test-examples"]),
  };
  const run = values.run ?? path.join(PACKAGE_ROOT, "build", "base", path.basename(values.pretrained), "instruct");
  const backend = await initBackend();
  console.error(describeBackend());
    const tokenizer = await loadTokenizer(values.pretrained);
  const model = loadModel(values.pretrained);
  model.params = toVariables(model.params);

  const trained = collectionTasks("train").map((c) => c.task);
  const heldOut = collectionTasks("held_out").map((c) => c.task);
  const mixture = makeMixture("collection", await Promise.all(trained.map(async (task) => ({ task, records: await collectionRecords(task, "train") }))), proportionalRate(recipe.cap));
  const batches = new MixtureBatches(mixture, recipe.seed, tokenizer);
  console.error(`instruction tuning on ${trained.length} tasks (${trained.map((t) => t.name).join(", ")}); held out: ${heldOut.map((t) => t.name).join(", ")}`);

  const result = await train(
    model,
    batches,
    stageTrainerOptions(recipe, {
      run,
      tokenizerFolder: values.pretrained,
      evaluate: async (m, step) => {
        const validation = await collectionScores(m, tokenizer, trained, "validation", recipe.evalExamples);
        const average = mean(Object.values(validation));
        console.error(`\nstep ${step}: mean validation score ${average.toFixed(3)}  ${Object.entries(validation).map(([k, v]) => `${k} ${v.toFixed(2)}`).join("  ")}`);
        return { ...validation, mean: average };
      },
      describe: { stage: "instruct", recipe, pretrained: values.pretrained, tasks: trained.map((t) => t.name) },
    }),
  );
  console.error(`trained ${result.steps} steps (${(result.seconds / 60).toFixed(1)} min in this process, ${Math.round(result.tokensPerSecond)} tokens/s on ${backend})`);

  const test = await collectionScores(model, tokenizer, trained, "test", recipe.testExamples);
  const heldOutTemplates = await collectionScores(model, tokenizer, trained, "test", recipe.testExamples, "held-out");
  const zeroShot = await collectionScores(model, tokenizer, [...heldOut, getTask("chat_summary")], "test", recipe.testExamples);
  console.error(`test (training templates): ${JSON.stringify(test)}\nheld-out templates: ${JSON.stringify(heldOutTemplates)}\nunseen tasks: ${JSON.stringify(zeroShot)}`);
  if (values.out) {
    saveModel(model, values.out, { tokenizerFolder: values.pretrained, generationConfig: { decoder_start_token_id: 0, eos_token_id: 1, pad_token_id: 0, max_new_tokens: 64 } });
    const record = { stage: "instruct", recipe, pretrained: values.pretrained, backend, seconds: result.seconds, tokensPerSecond: result.tokensPerSecond, evaluations: result.evaluations, test, heldOutTemplates, zeroShot, truncation: batches.truncation };
    fs.writeFileSync(path.join(values.out, "training.json"), JSON.stringify(record, null, 2) + "\n");
    console.error(`saved ${values.out}`);
  }
}

main().catch((error) => {
  console.error(`base-instruct: ${process.env.FLANLAB_DEBUG === "1" ? error.stack : error.message}`);
  process.exit(1);
});
