// The run folder of `flanlab train --out DIR` (docs/ARCHITECTURE.md, "Files"):
//   run.json, metrics.jsonl, checkpoints/step-N/ (model or adapter folder + trainer_state.json + optimizer.safetensors),
//   checkpoints/best and checkpoints/last (hard-linked copies of step folders: no extra disk, no copy to tear).
// A checkpoint is written to step-N.partial, flushed (fsync) and renamed, so a step-N folder is complete by
// construction; resuming takes the newest complete one, whatever became of `last`.
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { isAdapterFolder, restoreAdapter, saveAdapter } from "../io/adapter";
import { paramsFromWeights, readJson, readWeights, saveModel } from "../io/checkpoint";
import { activeAdapter } from "../model/lora";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors";
import { T5Model } from "../model/t5";
import { JsonValue } from "./batches";
import { isLeftover, replaceFolder, writeFileAtomic, writeFolderAtomic } from "./durable-files";
import { Optimizer } from "./optimizers";
import { formatBytes, freeBytes } from "./output-folder";

/** Where the trainer stands, saved with each checkpoint as trainer_state.json. */
export interface TrainerState {
  /** Optimizer updates done. */
  step: number;
  seed: number;
  /** The batch source's position after `step` updates. */
  data: JsonValue;
  bestStep: number | null;
  bestScore: number | null;
  /** Evaluations since the best one (early stopping's patience counter). */
  evalsWithoutImprovement: number;
}

/** checkpoints/ of a run folder. */
export const checkpointsDir = (runDir: string) => path.join(runDir, "checkpoints");
/** checkpoints/step-N/ of a run folder. */
export const stepDir = (runDir: string, step: number) => path.join(checkpointsDir(runDir), `step-${step}`);
/** checkpoints/last/: the newest checkpoint. */
export const lastDir = (runDir: string) => path.join(checkpointsDir(runDir), "last");
/** checkpoints/best/: the best evaluated checkpoint (early stopping's metric). */
export const bestDir = (runDir: string) => path.join(checkpointsDir(runDir), "best");
/** run.json of a run folder. */
export const runJsonFile = (runDir: string) => path.join(runDir, "run.json");

const TRAINER_STATE = "trainer_state.json";
const OPTIMIZER_STATE = "optimizer.safetensors";

const isDiskFull = (error: unknown) => ["ENOSPC", "EDQUOT"].includes((error as NodeJS.ErrnoException).code ?? "");

/** The error of a checkpoint that could not be written, saying what is left and what to do. */
function checkpointWriteError(error: unknown, folder: string): Error {
  const existing = path.dirname(folder);
  const free = fs.existsSync(existing) ? ` (${formatBytes(freeBytes(existing))} free)` : "";
  if (isDiskFull(error)) {
    return new Error(`disk full while writing checkpoint ${folder}${free}. The checkpoints before it are intact: free some space and run the same command again to resume from the newest.`);
  }
  return new Error(`cannot write checkpoint ${folder}: ${(error as Error).message}`);
}

/** The model's files (the adapter alone for a LoRA run: the base is frozen and stays where it was loaded from), optimizer state, trainer state last. */
function writeCheckpointFiles(folder: string, model: T5Model, optimizer: Optimizer, state: TrainerState, tokenizerFolder?: string): void {
  if (activeAdapter(model)) saveAdapter(model, folder);
  else saveModel(model, folder, { tokenizerFolder });
  const optimizerState = optimizer.state();
  try {
    const host = Object.fromEntries(Object.entries(optimizerState).map(([name, t]) => [name, { shape: t.shape.slice(), data: t.dataSync() as Float32Array }]));
    fs.writeFileSync(path.join(folder, OPTIMIZER_STATE), serializeSafetensors(host, { format: "pt", optimizer: optimizer.kind }));
  } finally {
    Object.values(optimizerState).forEach((t) => t.dispose());
  }
  fs.writeFileSync(path.join(folder, TRAINER_STATE), JSON.stringify(state, null, 2) + "\n");
}

/** A folder's files as hard links into `to` (a copy where the file system has no links), put in place atomically. */
function linkedCopy(from: string, to: string): void {
  writeFolderAtomic(to, (temporary) => {
    for (const name of fs.readdirSync(from)) {
      try {
        fs.linkSync(path.join(from, name), path.join(temporary, name));
      } catch (error) {
        if (isDiskFull(error)) throw error;
        fs.copyFileSync(path.join(from, name), path.join(temporary, name));
      }
    }
  });
}

/**
 * Write checkpoints/step-N atomically (temporary folder, fsync, rename), point `last` (and `best` when asked) at it,
 * and keep the newest `keep` step folders. A full disk is an error saying that the earlier checkpoints are intact.
 */
export function saveCheckpoint(
  runDir: string,
  model: T5Model,
  optimizer: Optimizer,
  state: TrainerState,
  options: { isBest: boolean; tokenizerFolder?: string; keep: number },
): string {
  const target = stepDir(runDir, state.step);
  try {
    writeFolderAtomic(target, (temporary) => writeCheckpointFiles(temporary, model, optimizer, state, options.tokenizerFolder));
  } catch (error) {
    throw checkpointWriteError(error, target);
  }
  try {
    linkedCopy(target, lastDir(runDir));
    if (options.isBest) linkedCopy(target, bestDir(runDir));
  } catch (error) {
    const reason = isDiskFull(error) ? "the disk is full" : (error as Error).message;
    throw new Error(`checkpoint ${target} is complete (resuming uses it), but checkpoints/last or best could not be updated: ${reason}.`);
  }
  pruneStepFolders(runDir, options.keep);
  return target;
}

/** The step numbers of a run's step-N folders, newest first. */
function stepFolders(runDir: string): number[] {
  if (!fs.existsSync(checkpointsDir(runDir))) return [];
  return fs
    .readdirSync(checkpointsDir(runDir))
    .map((name) => /^step-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
}

/** Keep the newest `keep` step-N folders (best and last are linked copies and stay). */
function pruneStepFolders(runDir: string, keep: number): void {
  for (const step of stepFolders(runDir).slice(keep)) fs.rmSync(stepDir(runDir, step), { recursive: true, force: true });
}

/** The run's own files at the top of its folder; other files there are the user's and are never removed. */
const RUN_FILES = /^(run\.json|metrics\.jsonl|final)\./;

/** Remove what interrupted writes left (*.partial, *.old: in checkpoints/, and of the run's own files); returns their paths. */
export function removeLeftovers(runDir: string): string[] {
  const leftovers = (folder: string, ours: (name: string) => boolean) =>
    fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => ours(name) && isLeftover(name)).map((name) => path.join(folder, name)) : [];
  const removed = [...leftovers(runDir, (name) => RUN_FILES.test(name)), ...leftovers(checkpointsDir(runDir), () => true)];
  for (const file of removed) fs.rmSync(file, { recursive: true, force: true });
  return removed;
}

/** A checkpoint folder with its trainer state. */
export interface LoadedCheckpoint {
  state: TrainerState;
  folder: string;
}

/** Why a checkpoint folder cannot be resumed from, or null when it holds everything (state, weights, optimizer). */
export function checkpointProblem(folder: string, expectedStep?: number): string | null {
  const stateFile = path.join(folder, TRAINER_STATE);
  if (!fs.existsSync(stateFile)) return `no ${TRAINER_STATE}`;
  let state: TrainerState;
  try {
    state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as TrainerState;
  } catch (error) {
    return `${TRAINER_STATE} is not valid JSON (${(error as Error).message})`;
  }
  if (!Number.isInteger(state?.step) || state.step < 0) return `${TRAINER_STATE} has no step count`;
  if (expectedStep !== undefined && state.step !== expectedStep) return `${TRAINER_STATE} says step ${state.step}`;
  const weights = ["model.safetensors", "model.safetensors.index.json", "adapter_model.safetensors"].some((f) => fs.existsSync(path.join(folder, f)));
  if (!weights) return "no weights (model.safetensors or adapter_model.safetensors)";
  if (!fs.existsSync(path.join(folder, OPTIMIZER_STATE))) return `no ${OPTIMIZER_STATE}`;
  return null;
}

/**
 * The run's checkpoints that hold everything, newest first (step-N folders, and `last` when it is newer than all of
 * them), and the folders that were incomplete, each with its problem.
 */
export function findCheckpoints(runDir: string): { complete: LoadedCheckpoint[]; incomplete: { folder: string; problem: string }[] } {
  const complete: LoadedCheckpoint[] = [];
  const incomplete: { folder: string; problem: string }[] = [];
  for (const step of stepFolders(runDir)) {
    const folder = stepDir(runDir, step);
    const problem = checkpointProblem(folder, step);
    if (problem) incomplete.push({ folder, problem });
    else complete.push({ folder, state: readJson<TrainerState>(path.join(folder, TRAINER_STATE)) });
  }
  const last = lastDir(runDir);
  if (fs.existsSync(last) && checkpointProblem(last) === null) {
    const state = readJson<TrainerState>(path.join(last, TRAINER_STATE));
    if (complete.every((c) => c.state.step < state.step)) complete.unshift({ folder: last, state });
  }
  return { complete, incomplete };
}

/** Move a checkpoint that cannot be used out of the way (corrupt-step-N), so that pruning and resuming skip it. */
export function setAsideCheckpoint(folder: string): string {
  const aside = path.join(path.dirname(folder), `corrupt-${path.basename(folder)}`);
  replaceFolder(folder, aside);
  return aside;
}

/** Put a checkpoint's weights and optimizer state into a live model and optimizer (for resuming). */
export function restoreCheckpoint(folder: string, model: T5Model, optimizer: Optimizer): void {
  if (isAdapterFolder(folder)) restoreAdapter(model, folder);
  else restoreWeights(folder, model);
  restoreOptimizer(folder, optimizer);
}

function restoreWeights(folder: string, model: T5Model): void {
  const saved = paramsFromWeights(readWeights(folder), model.config, folder);
  try {
    for (const [name, tensor] of Object.entries(saved)) {
      const live = model.params[name];
      if (!(live instanceof tf.Variable)) throw new Error(`${folder}: parameter "${name}" of the live model is not a variable.`);
      live.assign(tensor);
    }
  } finally {
    Object.values(saved).forEach((t) => t.dispose());
  }
}

function restoreOptimizer(folder: string, optimizer: Optimizer): void {
  const file = path.join(folder, OPTIMIZER_STATE);
  const host = parseSafetensors(fs.readFileSync(file), file).tensors;
  const state = Object.fromEntries(Object.entries(host).map(([name, t]) => [name, tf.tensor(t.data, t.shape)]));
  try {
    optimizer.loadState(state);
  } finally {
    Object.values(state).forEach((t) => t.dispose());
  }
}

/** run.json of a run folder, or undefined when it has none; a damaged one is an error naming it. */
export function readRunJson(runDir: string): Record<string, unknown> | undefined {
  const file = runJsonFile(runDir);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}); start the run over (--overwrite) or use another folder.`);
  }
}

/** Write run.json atomically (it is read back to compare specs when the run resumes). */
export function writeRunJson(runDir: string, run: Record<string, unknown>): void {
  writeFileAtomic(runJsonFile(runDir), JSON.stringify(run, null, 2) + "\n");
}

/** Remove what a run wrote in its folder (run.json, metrics.jsonl, checkpoints/), for starting over; other files stay. */
export function clearRun(runDir: string): void {
  for (const name of ["run.json", "metrics.jsonl", "checkpoints"]) fs.rmSync(path.join(runDir, name), { recursive: true, force: true });
}
