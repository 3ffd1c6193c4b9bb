// How many bytes one checkpoint takes on disk, known before the model is loaded: the run's disk check compares it
// with the free space, so that a full disk is found at the start and not at the first save.
import * as fs from "fs";
import * as path from "path";
import { OptimizerKind } from "./optimizers";

/** What a checkpoint holds, in float32 values. */
export interface CheckpointContents {
  /** Values of the saved weights: all of the model's (full fine-tuning) or the adapter's (LoRA). */
  savedFloats: number;
  /** Values that train (the optimizer keeps state for these). */
  trainableFloats: number;
  optimizer: OptimizerKind;
  /** Files copied alongside, e.g. the tokenizer's. */
  extraBytes?: number;
}

/** Floats of optimizer state per trainable value, at most: AdamW's two moments; Adafactor's factored second moment is less than one. */
const OPTIMIZER_FLOATS: Record<OptimizerKind, number> = { adamw: 2, adafactor: 1 };

/** Bytes of one checkpoint (weights, optimizer state, extra files), rounded up by 64 kB for the small JSON files and headers. */
export function checkpointBytes(contents: CheckpointContents): number {
  const floats = contents.savedFloats + OPTIMIZER_FLOATS[contents.optimizer] * contents.trainableFloats;
  return 4 * floats + (contents.extraBytes ?? 0) + 64_000;
}

/** Total size of the named files that exist in a folder (e.g. the tokenizer files a checkpoint copies). */
export function filesBytes(folder: string, names: readonly string[]): number {
  return names.map((name) => path.join(folder, name)).reduce((sum, file) => sum + (fs.existsSync(file) ? fs.statSync(file).size : 0), 0);
}
