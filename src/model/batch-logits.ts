// The teacher-forced forward pass on a collated batch, written once for training, scoring and the lab's probes.
import * as tf from "@tensorflow/tfjs";
import { RunOptions, T5Model, forward } from "./t5";

/** The id arrays of a padded teacher-forcing batch (src/data/collate.ts's Batch has them; model does not import data). */
export interface TeacherForcingIds {
  inputIds: number[][];
  attentionMask: number[][];
  decoderInputIds: number[][];
}

const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, "int32");

/** Logits [batch, target length, vocab] of a model on a collated batch under teacher forcing; the caller disposes them. */
export function batchLogits(model: T5Model, batch: TeacherForcingIds, options: RunOptions = {}): tf.Tensor3D {
  return tf.tidy(() => forward(model, ids(batch.inputIds), ids(batch.attentionMask), ids(batch.decoderInputIds), options));
}
