// Stage 1 of the lab's miniature FLAN-T5 (issue 14): pretrain a T5 from scratch with span corruption on the lab's
// pretraining corpus (src/lab/corpus/pretraining), as T5 was pretrained on C4.
//
//   node --import tsx scripts/base-pretrain.ts --shape w128-l4 --tokenizer models/flanlab-mini-tokenizer \
//     [--documents 100000] [--steps 4000] [--batch-size 32] [--inputs-length 128] [--lr 3e-3] [--warmup 300] \
//     [--seed 0] [--eval-every 250] [--infilling-share 0] [--init DIR] [--run build/base/<shape>/pretrain] [--out DIR]
//
// --infilling-share S makes a share S of the batches BART-style text infilling (src/data/text-infilling.ts: the
// whole chunk as target, so the model learns to copy), the rest span corruption. --init DIR starts from a checkpoint
// of the same shape instead of a random initialization (a continued pretraining).
//
// The run folder keeps checkpoints: interrupted, the same command resumes where it stopped. At the end the model is
// saved to --out (when given) with training.json: the recipe, the corpus, the time it took and the validation loss.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend } from "../src/backend";
import { Batch, collate } from "../src/data/collate";
import { corruptedLengths, spanCorrupt, spanCorruptionLengths } from "../src/data/span-corruption";
import { DEFAULT_INFILLING_NOISE_DENSITY, textInfilling } from "../src/data/text-infilling";
import { loadModel, saveModel } from "../src/io/checkpoint";
import { Tokenizer, loadTokenizer } from "../src/io/tokenizer";
import { countParameters, initParams } from "../src/model/params";
import { T5Model } from "../src/model/t5";
import { baseShapeConfig } from "../src/lab/base/shapes";
import { stageTrainerOptions } from "../src/lab/base/stage-options";
import { CorpusSlice, corpusChunks } from "../src/lab/base/pretraining-chunks";
import { PACKAGE_ROOT } from "../src/lab/paths";
import { Random } from "../src/random";
import { SpanCorruptionBatches } from "../src/train/span-corruption-batches";
import { batchLoss, toVariables } from "../src/train/step";
import { train } from "../src/train/trainer";

/** The validation corpus: another seed of the same generators, never trained on. */
const VALIDATION_SEED_OFFSET = 1_000;
const VALIDATION_CHUNKS = 256;

interface PretrainRecipe {
  shape: string;
  documents: number;
  steps: number;
  batchSize: number;
  inputsLength: number;
  learningRate: number;
  warmupSteps: number;
  seed: number;
  evalEvery: number;
  infillingShare: number;
  init?: string;
}

function parseRecipe(): { recipe: PretrainRecipe; tokenizer: string; run: string; out?: string } {
  const { values } = parseArgs({
    options: {
      shape: { type: "string" },
      tokenizer: { type: "string" },
      documents: { type: "string", default: "100000" },
      steps: { type: "string", default: "4000" },
      "batch-size": { type: "string", default: "32" },
      "inputs-length": { type: "string", default: "128" },
      lr: { type: "string", default: "3e-3" },
      warmup: { type: "string", default: "300" },
      seed: { type: "string", default: "0" },
      "eval-every": { type: "string", default: "250" },
      "infilling-share": { type: "string", default: "0" },
      init: { type: "string" },
      run: { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.shape) throw new Error("--shape is required (see src/lab/base/shapes.ts)");
  if (!values.tokenizer) throw new Error("--tokenizer DIR is required (a tokenizer with sentinels: scripts/base-tokenizer.ts)");
  const number = (flag: string, text: string | undefined): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a number >= 0, got ${text}`);
    return value;
  };
  const recipe: PretrainRecipe = {
    shape: values.shape,
    documents: number("documents", values.documents),
    steps: number("steps", values.steps),
    batchSize: number("batch-size", values["batch-size"]),
    inputsLength: number("inputs-length", values["inputs-length"]),
    learningRate: number("lr", values.lr),
    warmupSteps: number("warmup", values.warmup),
    seed: number("seed", values.seed),
    evalEvery: number("eval-every", values["eval-every"]),
    infillingShare: number("infilling-share", values["infilling-share"]),
    ...(values.init ? { init: values.init } : {}),
  };
  if (recipe.infillingShare > 1) throw new Error(`--infilling-share must be in [0, 1], got ${recipe.infillingShare}`);
  return { recipe, tokenizer: values.tokenizer, run: values.run ?? path.join(PACKAGE_ROOT, "build", "base", recipe.shape, "pretrain"), out: values.out };
}

/** The sentinels of a tokenizer: its last ids are <extra_id_0>, <extra_id_1>, ... counted from the end. */
function sentinelsOf(tokenizer: Tokenizer): { vocabSize: number; extraIds: number } {
  const config = JSON.parse(fs.readFileSync(path.join(tokenizer.folder!, "tokenizer_config.json"), "utf8")) as { extra_ids?: number };
  const extraIds = config.extra_ids ?? 0;
  if (extraIds < 1) throw new Error(`${tokenizer.folder}: the tokenizer has no sentinels (extra_ids); make one with scripts/base-tokenizer.ts`);
  return { vocabSize: tokenizer.vocabSize, extraIds };
}

/** Fixed validation batches of one objective over held-out chunks, with a fixed seed. */
function validationBatches(chunks: number[][], corrupt: typeof spanCorrupt, sentinels: { vocabSize: number; extraIds: number }, batchSize: number): Batch[] {
  const random = new Random(12345);
  const examples = chunks.map((chunk) => corrupt(chunk, random, sentinels));
  const batches: Batch[] = [];
  for (let i = 0; i < examples.length; i += batchSize) batches.push(collate(examples.slice(i, i + batchSize)));
  return batches;
}

/** The weights of a checkpoint to continue from; its architecture must be the shape's. */
function initialWeights(folder: string, config: T5Model["config"]): T5Model["params"] {
  const start = loadModel(folder);
  for (const field of ["d_model", "d_ff", "num_layers", "num_decoder_layers", "num_heads", "d_kv", "vocab_size"] as const) {
    if (start.config[field] !== config[field]) throw new Error(`--init ${folder}: ${field} is ${start.config[field]}, the shape's is ${config[field]}`);
  }
  return start.params;
}

function meanLoss(model: T5Model, batches: Batch[]): number {
  let sum = 0;
  for (const batch of batches) {
    const loss = batchLoss(model, batch);
    sum += loss.dataSync()[0];
    loss.dispose();
  }
  return sum / batches.length;
}

async function main(): Promise<void> {
  const { recipe, tokenizer: tokenizerDir, run, out } = parseRecipe();
  const backend = await initBackend();
  console.error(describeBackend());
  const tokenizer = await loadTokenizer(tokenizerDir);
  const sentinels = sentinelsOf(tokenizer);
  const config = baseShapeConfig(recipe.shape, tokenizer.vocabSize);
  const { tokensLength, inputsLength, targetsLength } = spanCorruptionLengths(recipe.inputsLength);
  const log = (line: string) => console.error(line);
  const slice: CorpusSlice = { seed: recipe.seed, documents: recipe.documents };
  const chunks = corpusChunks(slice, tokenizer, tokensLength, log);
  const validation = corpusChunks({ seed: recipe.seed + VALIDATION_SEED_OFFSET, documents: Math.ceil((VALIDATION_CHUNKS * tokensLength) / 100) }, tokenizer, tokensLength, log).slice(0, VALIDATION_CHUNKS);
  const infillingTokens = corruptedLengths(tokensLength, { noiseDensity: DEFAULT_INFILLING_NOISE_DENSITY }).inputsLength + tokensLength + 1;
  const tokensPerExample = (1 - recipe.infillingShare) * (inputsLength + targetsLength) + recipe.infillingShare * infillingTokens;
  const seen = Math.round(recipe.steps * recipe.batchSize * tokensPerExample);
  const parameters = countParameters(config);
  console.error(
    `${recipe.shape}: ${parameters.toLocaleString("en-US")} parameters; corpus ${chunks.length.toLocaleString("en-US")} chunks of ${tokensLength} ids ` +
      `(${(chunks.length * tokensLength).toLocaleString("en-US")} tokens, ${((chunks.length * tokensLength) / parameters).toFixed(1)} per parameter); ` +
      `training reads ${seen.toLocaleString("en-US")} tokens (${(seen / parameters).toFixed(1)} per parameter, ` +
      `${((recipe.steps * recipe.batchSize) / chunks.length).toFixed(2)} epochs); inputs ${inputsLength}, targets ${targetsLength}`,
  );

  const model: T5Model = { config, params: toVariables(recipe.init ? initialWeights(recipe.init, config) : initParams(config, recipe.seed)) };
  const batches = new SpanCorruptionBatches(chunks, recipe.seed, { ...sentinels, inputsLength: recipe.inputsLength, textInfillingShare: recipe.infillingShare });
  const validationSets = { span: validationBatches(validation, spanCorrupt, sentinels, 32), infilling: validationBatches(validation, textInfilling, sentinels, 32) };
  const result = await train(
    model,
    batches,
    stageTrainerOptions(recipe, {
      run,
      tokenizerFolder: tokenizerDir,
      evaluate: (m, step) => {
        const loss = meanLoss(m, validationSets.span);
        const infillingLoss = meanLoss(m, validationSets.infilling);
        console.error(`\nstep ${step}: validation loss: span corruption ${loss.toFixed(4)}, text infilling ${infillingLoss.toFixed(4)}`);
        return { validation_loss: loss, validation_infilling_loss: infillingLoss };
      },
      describe: { stage: "pretrain", recipe: { ...recipe }, corpus: slice, tokensLength, sentinels },
    }),
  );
  console.error(`trained ${result.steps} steps (${(result.seconds / 60).toFixed(1)} min in this process, ${Math.round(result.tokensPerSecond)} tokens/s on ${backend})`);
  if (out) {
    saveModel(model, out, { tokenizerFolder: tokenizerDir });
    const record = { stage: "pretrain", recipe, config, backend, corpus: { ...slice, chunks: chunks.length, tokensLength, tokens: chunks.length * tokensLength }, trainingTokens: seen, seconds: result.seconds, tokensPerSecond: result.tokensPerSecond, evaluations: result.evaluations };
    fs.writeFileSync(path.join(out, "training.json"), JSON.stringify(record, null, 2) + "\n");
    console.error(`saved ${out}`);
  }
  tf.disposeVariables();
}

main().catch((error) => {
  console.error(`base-pretrain: ${process.env.FLANLAB_DEBUG === "1" ? error.stack : error.message}`);
  process.exit(1);
});
