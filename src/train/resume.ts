// Opening a run folder for train(): check it can hold the run (not a file, not /proc, room for a checkpoint), start
// over or refuse a run with another spec, clean what a crash left, restore the newest complete checkpoint (setting
// aside any that does not restore), and cut metrics.jsonl back to its step, saying what it did at each point.
import * as fs from "fs";
import * as path from "path";
import { TOKENIZER_FILES } from "../io/tokenizer";
import { activeAdapter } from "../model/lora";
import { T5Model } from "../model/t5";
import { BatchSource, JsonValue } from "./batches";
import { checkpointBytes, filesBytes } from "./checkpoint-size";
import { LoadedCheckpoint, TrainerState, bestDir, clearRun, findCheckpoints, readRunJson, removeLeftovers, restoreCheckpoint, setAsideCheckpoint } from "./checkpoints";
import { truncateMetrics } from "./metrics-log";
import { Optimizer, trainableVariableMap } from "./optimizers";
import { checkOutputFolder } from "./output-folder";
import { RunSpecMismatchError, formatSpecDifferences, specDifferences, specValue } from "./run-spec";
import type { TrainerOptions } from "./trainer";

/** What decides the run's weights and metrics (the defaults filled in): a resumed run must match it. */
export function runSpec(options: TrainerOptions, model: T5Model, dropoutRate: number): JsonValue {
  return specValue({
    steps: options.steps,
    batchSize: options.batchSize,
    gradientAccumulation: options.gradientAccumulation ?? 1,
    optimizer: options.optimizer,
    learningRate: options.learningRate,
    schedule: { kind: options.schedule?.kind ?? "constant", warmupSteps: options.schedule?.warmupSteps ?? 0 },
    maxGradNorm: options.maxGradNorm ?? 1.0,
    seed: options.seed,
    dropoutRate,
    logEvery: options.logEvery ?? 10,
    evaluation: options.evaluate ? { evalEvery: options.evalEvery ?? null, earlyStopping: options.earlyStopping ?? null } : null,
    adapter: activeAdapter(model)?.config ?? null,
    describe: options.describe ?? null,
  });
}

/** Bytes of one checkpoint of this model and optimizer (weights saved, optimizer state, tokenizer files). */
function checkpointBytesOf(model: T5Model, options: TrainerOptions): number {
  const size = (names: string[]) => names.reduce((sum, name) => sum + model.params[name].size, 0);
  const trainable = Object.keys(trainableVariableMap(model.params));
  const extraBytes = options.tokenizerFolder && !activeAdapter(model) ? filesBytes(options.tokenizerFolder, TOKENIZER_FILES) : 0;
  return checkpointBytes({ savedFloats: activeAdapter(model) ? size(trainable) : size(Object.keys(model.params)), trainableFloats: size(trainable), optimizer: options.optimizer.kind, extraBytes });
}

/** Everything opening the run folder works on: the live model, optimizer and source it restores into, and the state it fills. */
export interface RunContext {
  runDir: string;
  model: T5Model;
  optimizer: Optimizer;
  source: BatchSource;
  options: TrainerOptions;
  state: TrainerState;
  spec: ReturnType<typeof runSpec>;
  log: (message: string) => void;
}

/** Refuse to resume a run folder whose run.json records another spec (specs of older runs that recorded none are not checked). */
function checkRecordedSpec(context: RunContext): void {
  const recorded = readRunJson(context.runDir);
  if (recorded === undefined) return;
  if (recorded.spec === undefined) {
    context.log(`${context.runDir}: run.json records no spec (an older flanlab wrote it); resuming without comparing.`);
    return;
  }
  const differences = specDifferences(specValue(recorded.spec), context.spec);
  if (differences.length > 0) {
    throw new RunSpecMismatchError(
      context.runDir,
      differences,
      `${context.runDir} holds a run with another spec (${formatSpecDifferences(differences)}): resuming would mix two runs. ` +
        "Start over there (resume: false) or use another outDir.",
    );
  }
}

/** Restore the newest checkpoint that restores; those that do not are set aside, with a note. */
function restoreNewest(context: RunContext): LoadedCheckpoint | undefined {
  const { complete, incomplete } = findCheckpoints(context.runDir);
  for (const { folder, problem } of incomplete) context.log(`${folder} is incomplete (${problem}); set aside as ${setAsideCheckpoint(folder)}.`);
  for (const checkpoint of complete) {
    if (checkpoint.state.seed !== context.options.seed) {
      throw new Error(`${context.runDir}: its checkpoint was trained with seed ${checkpoint.state.seed}, not ${context.options.seed}; use another outDir or the same seed.`);
    }
    try {
      restoreCheckpoint(checkpoint.folder, context.model, context.optimizer);
      context.source.restore(checkpoint.state.data);
      return checkpoint;
    } catch (error) {
      context.log(`${checkpoint.folder} cannot be restored (${(error as Error).message}); set aside as ${setAsideCheckpoint(checkpoint.folder)}, trying an older one.`);
    }
  }
  return undefined;
}

/** A best/ newer than the resumed step came from the part of the run being redone: it goes. */
function dropBestPastStep(context: RunContext): void {
  const file = path.join(bestDir(context.runDir), "trainer_state.json");
  if (!fs.existsSync(file)) return;
  const bestStep = (JSON.parse(fs.readFileSync(file, "utf8")) as TrainerState).step;
  if (bestStep > context.state.step) {
    fs.rmSync(bestDir(context.runDir), { recursive: true, force: true });
    context.log(`checkpoints/best (step ${bestStep}) is past the resumed step ${context.state.step}: removed.`);
  }
}

/**
 * Open the run folder: check it, start over or check the recorded spec, clean what a crash left, resume from the
 * newest complete checkpoint, cut metrics.jsonl back to its step. Returns the step resumed from (null: none).
 */
export function openRunFolder(context: RunContext): number | null {
  const { runDir, options, state, log } = context;
  checkOutputFolder(runDir, { what: "outDir", bytesNeeded: checkpointBytesOf(context.model, options), bytesFor: "one checkpoint" });
  fs.mkdirSync(runDir, { recursive: true });
  if (options.resume === false) clearRun(runDir);
  else checkRecordedSpec(context);
  for (const leftover of removeLeftovers(runDir)) log(`removed ${leftover}, left unfinished by an interrupted write.`);
  const resumed = options.resume === false ? undefined : restoreNewest(context);
  if (resumed) Object.assign(state, resumed.state);
  dropBestPastStep(context);
  const cut = truncateMetrics(runDir, state.step);
  if (cut.torn) log("metrics.jsonl: dropped its torn last line (the run was stopped while writing it).");
  if (cut.dropped > 0) log(`metrics.jsonl: dropped ${cut.dropped} line${cut.dropped === 1 ? "" : "s"} past step ${state.step}, written after the checkpoint the run resumes from.`);
  if (resumed) log(`resuming from step ${state.step} of ${options.steps} (${resumed.folder}).`);
  else if (cut.dropped > 0 || cut.torn) log(`no complete checkpoint in ${runDir}: starting from step 0.`);
  return resumed ? state.step : null;
}
