// The run folder of `flanlab train --out DIR` (docs/ARCHITECTURE.md, "Files"):
//   run.json, metrics.jsonl, checkpoints/step-N/ (model or adapter folder + trainer_state.json + optimizer.safetensors),
//   checkpoints/best and checkpoints/last (copies of step folders).
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { isAdapterFolder, restoreAdapter, saveAdapter } from "../io/adapter";
import { paramsFromWeights, readJson, readWeights, saveModel } from "../io/checkpoint";
import { activeAdapter } from "../model/lora";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors";
import { T5Model } from "../model/t5";
import { JsonValue } from "./batches";
import { Optimizer } from "./optimizers";

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

export const checkpointsDir = (runDir: string) => path.join(runDir, "checkpoints");
export const stepDir = (runDir: string, step: number) => path.join(checkpointsDir(runDir), `step-${step}`);
export const lastDir = (runDir: string) => path.join(checkpointsDir(runDir), "last");
export const bestDir = (runDir: string) => path.join(checkpointsDir(runDir), "best");

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

/** Write a step folder, then make `last` (and `best` when asked) copies of it. Writes to a temp name first. */
export function saveCheckpoint(
  runDir: string,
  model: T5Model,
  optimizer: Optimizer,
  state: TrainerState,
  options: { isBest: boolean; tokenizerFolder?: string; keep: number },
): string {
  const target = stepDir(runDir, state.step);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  // A LoRA run saves its adapter alone (PEFT layout): the base is frozen and stays where it was loaded from.
  if (activeAdapter(model)) saveAdapter(model, partial);
  else saveModel(model, partial, { tokenizerFolder: options.tokenizerFolder });
  const optimizerState = optimizer.state();
  try {
    const host = Object.fromEntries(
      Object.entries(optimizerState).map(([name, t]) => [name, { shape: t.shape.slice(), data: t.dataSync() as Float32Array }]),
    );
    fs.writeFileSync(path.join(partial, "optimizer.safetensors"), serializeSafetensors(host, { format: "pt", optimizer: optimizer.kind }));
  } finally {
    Object.values(optimizerState).forEach((t) => t.dispose());
  }
  writeJson(path.join(partial, "trainer_state.json"), state);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(partial, target); // a crash mid-save leaves the previous checkpoints intact
  replaceWithCopy(target, lastDir(runDir));
  if (options.isBest) replaceWithCopy(target, bestDir(runDir));
  pruneStepFolders(runDir, options.keep);
  return target;
}

function replaceWithCopy(from: string, to: string): void {
  const partial = `${to}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(from, partial, { recursive: true });
  fs.rmSync(to, { recursive: true, force: true });
  fs.renameSync(partial, to);
}

/** Keep the newest `keep` step-N folders (best and last are copies and stay). */
function pruneStepFolders(runDir: string, keep: number): void {
  const steps = fs
    .readdirSync(checkpointsDir(runDir))
    .map((name) => /^step-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  for (const step of steps.slice(keep)) fs.rmSync(stepDir(runDir, step), { recursive: true, force: true });
}

export interface LoadedCheckpoint {
  state: TrainerState;
  folder: string;
}

/** The `last` checkpoint of a run folder, if there is one. */
export function findLastCheckpoint(runDir: string): LoadedCheckpoint | undefined {
  const folder = lastDir(runDir);
  const file = path.join(folder, "trainer_state.json");
  if (!fs.existsSync(file)) return undefined;
  return { state: readJson<TrainerState>(file), folder };
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
  const file = path.join(folder, "optimizer.safetensors");
  const host = parseSafetensors(fs.readFileSync(file), file).tensors;
  const state = Object.fromEntries(Object.entries(host).map(([name, t]) => [name, tf.tensor(t.data, t.shape)]));
  try {
    optimizer.loadState(state);
  } finally {
    Object.values(state).forEach((t) => t.dispose());
  }
}

/** Append one JSON line to metrics.jsonl. */
export function appendMetrics(runDir: string, line: Record<string, unknown>): void {
  fs.appendFileSync(path.join(runDir, "metrics.jsonl"), JSON.stringify(line) + "\n");
}

export function writeRunJson(runDir: string, run: Record<string, unknown>): void {
  writeJson(path.join(runDir, "run.json"), run);
}
