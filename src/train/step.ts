// One optimisation step: the loss of a batch, its gradients for the trainable parameters, an optimizer update.
import * as tf from "@tensorflow/tfjs";
import { Batch } from "../data/collate";
import { IGNORE_INDEX } from "../labels";
import { seq2seqLoss } from "../model/loss";
import { ParamMap } from "../model/params";
import { batchLogits } from "../model/batch-logits";
import { DropoutStream, RunOptions, T5Model } from "../model/t5";
import { ProgressSink } from "./progress";

let variableSetCounter = 0;

/**
 * Make the parameters trainable: each becomes a tf.Variable, trainable when `isTrainable(name)` says so
 * (the filter behind "freeze the encoder" and LoRA). The given tensors are disposed.
 */
export function toVariables(params: ParamMap, isTrainable: (name: string) => boolean = () => true): ParamMap {
  const out: ParamMap = {};
  // tfjs variable names are global: a per-call suffix lets several models (base, fine-tuned) live side by side.
  const suffix = `#${++variableSetCounter}`;
  for (const [name, tensor] of Object.entries(params)) {
    out[name] = tensor instanceof tf.Variable ? tensor : tf.variable(tensor, isTrainable(name), name + suffix);
    if (out[name] !== tensor) tensor.dispose();
  }
  return out;
}

export function trainableVariables(params: ParamMap): tf.Variable[] {
  return Object.values(params).filter((t): t is tf.Variable => t instanceof tf.Variable && t.trainable);
}

/** Mean cross-entropy of a batch under teacher forcing. */
export function batchLoss(model: T5Model, batch: Batch, options: RunOptions = {}): tf.Scalar {
  return tf.tidy(() => seq2seqLoss(batchLogits(model, batch, options), tf.tensor2d(batch.labels, undefined, "int32")));
}

/** One update of the trainable variables; returns the batch's loss before the update. */
export function trainStep(model: T5Model, optimizer: tf.Optimizer, batch: Batch, options: RunOptions = {}): number {
  const variables = trainableVariables(model.params);
  if (variables.length === 0) throw new Error("trainStep: no trainable parameters (check the trainable filter).");
  const cost = optimizer.minimize(() => batchLoss(model, batch, options), true, variables);
  if (!cost) throw new Error("trainStep: the optimizer returned no loss.");
  const loss = cost.dataSync()[0];
  cost.dispose();
  return loss;
}

/** Tokens a step learns from: real source tokens plus counted target tokens (padding excluded). */
export function batchTokens(batch: Batch): number {
  const source = batch.attentionMask.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const target = batch.labels.reduce((sum, row) => sum + row.filter((id) => id !== IGNORE_INDEX).length, 0);
  return source + target;
}

export interface TrainStepsOptions {
  steps: number;
  progress?: ProgressSink;
  /** Shown in the progress line (the optimizer owns the real one). */
  learningRate?: number;
  dropout?: DropoutStream;
}

/**
 * The simplest training loop: `steps` updates cycling through `batches`, reporting progress.
 * Async so that a notebook's live display gets drawn between steps. Returns the loss of every step.
 */
export async function trainSteps(model: T5Model, optimizer: tf.Optimizer, batches: Batch[], options: TrainStepsOptions): Promise<number[]> {
  if (batches.length === 0) throw new Error("trainSteps: no batches.");
  const losses: number[] = [];
  const started = performance.now();
  let tokens = 0;
  for (let step = 1; step <= options.steps; step++) {
    const batch = batches[(step - 1) % batches.length];
    const loss = trainStep(model, optimizer, batch, { dropout: options.dropout });
    if (!Number.isFinite(loss)) throw new Error(`trainSteps: the loss became ${loss} at step ${step}.`);
    losses.push(loss);
    tokens += batchTokens(batch);
    const elapsedSeconds = (performance.now() - started) / 1000;
    const state = { step, totalSteps: options.steps, loss, learningRate: options.learningRate, tokensPerSecond: tokens / elapsedSeconds, elapsedSeconds };
    options.progress?.update(state);
    if (step === options.steps) options.progress?.done(state);
    await new Promise((resolve) => setImmediate(resolve)); // let the display (and Ctrl-C) through
  }
  return losses;
}
