// Floating-point operations of a T5 training step, counted from the shapes: the matrix products (2 m k n each),
// which are all but a few percent of the work. A training step is counted as 3 forward passes (the backward pass
// makes two products for each forward one), the usual convention; padding positions are computed, so counted.
import { T5Config, feedForwardKind, innerDim } from "../../model/config";

export interface StepShape {
  batch: number;
  sourceLength: number;
  targetLength: number;
}

/** Forward-pass FLOPs of the encoder-decoder plus the LM head for one padded batch. */
export function forwardFlops(config: T5Config, shape: StepShape): number {
  const { batch: b, sourceLength: s, targetLength: t } = shape;
  const d = config.d_model;
  const inner = innerDim(config);
  const h = config.num_heads;
  const dkv = config.d_kv;
  const ffIn = feedForwardKind(config).gated ? 2 : 1;
  const linear = (rows: number, k: number, n: number) => 2 * rows * k * n;
  const feedForward = (rows: number) => linear(rows, d, config.d_ff) * ffIn + linear(rows, config.d_ff, d);
  const attention = (queries: number, keys: number) => 2 * 2 * b * h * queries * keys * dkv; // scores and weighted sum

  const encoderLayer = 3 * linear(b * s, d, inner) + linear(b * s, inner, d) + attention(s, s) + feedForward(b * s);
  const decoderLayer =
    4 * linear(b * t, d, inner) + attention(t, t) + // self-attention q, k, v, o
    2 * linear(b * t, d, inner) + 2 * linear(b * s, d, inner) + attention(t, s) + // cross: q, o; k, v on the source
    feedForward(b * t);
  return config.num_layers * encoderLayer + config.num_decoder_layers * decoderLayer + linear(b * t, d, config.vocab_size);
}

export function trainStepFlops(config: T5Config, shape: StepShape): number {
  return 3 * forwardFlops(config, shape);
}

/** The 2-D products [m, k] x [k, n] a model of this config is mostly made of, for the peak-speed measurement. */
export function modelMatmulShapes(config: T5Config, batch: number, sourceLength: number, targetLength: number): [number, number, number][] {
  const rows = batch * sourceLength;
  const inner = innerDim(config);
  return [
    [rows, config.d_model, inner],
    [rows, config.d_model, config.d_ff],
    [rows, config.d_ff, config.d_model],
    [batch * targetLength, config.d_model, config.vocab_size],
  ];
}
