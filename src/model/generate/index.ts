// Text-to-token generation for T5: greedy, seeded sampling (temperature, top-k, top-p) and beam search, with a
// KV cache, batched over inputs of different lengths. Semantics follow Hugging Face's `generate`
// (transformers/generation: logits_process.py, beam_search.py); the code is our own.
//
// Shape of the loop: the encoder runs once; a DecoderSession (session.ts) then owns every tensor of the generation
// and hands back only the last position's logits. Choosing tokens happens in JavaScript on those rows with the
// small pure functions of logits.ts, in greedy.ts or beam.ts, which tell the session which rows continue.
//
// Output convention: one array per input row, the generated tokens without the decoder start token, ending with
// the EOS token when the row stopped on it (as in Hugging Face's sequences), not padded (rows are ragged).
import type { T5Model } from "../t5";
import { beamSearch } from "./beam";
import { greedyOrSample } from "./greedy";
import { GenerationInput, GenerationResult, prepareInput } from "./input";
import { GenerationOptions, resolveGenerationOptions } from "./options";
import { DecoderSession } from "./session";

export type { GenerationInput, GenerationResult } from "./input";
export { GENERATION_DEFAULTS, generationOptionsFromConfig, resolveGenerationOptions } from "./options";
export type { GenerationOptions, ResolvedGenerationOptions } from "./options";
export {
  applyRepetitionPenalty,
  applyTemperature,
  argmax,
  banRepeatedNgrams,
  bannedNgramTokens,
  logSoftmax,
  logSumExp,
  processScores,
  sampleToken,
  softmax,
  suppressEosBeforeMin,
  topKFilter,
  topPFilter,
  warpForSampling,
} from "./logits";

/** Generated tokens and their scores per input row (see GenerationResult). */
export function generateWithScores(model: T5Model, input: GenerationInput, options: GenerationOptions = {}): GenerationResult {
  const o = resolveGenerationOptions(model.config, options);
  const padded = prepareInput(input, model.config.vocab_size, o.padTokenId);
  const session = new DecoderSession(model, padded, o.numBeams, o.decoderStartTokenId, o.useCache);
  try {
    const batch = padded.ids.length;
    return o.numBeams > 1 ? beamSearch(session, batch, o) : greedyOrSample(session, batch, o);
  } finally {
    session.dispose();
  }
}

/**
 * Generate token ids for each input row: greedy by default, seeded sampling with doSample, beam search with
 * numBeams > 1. Returns per row the generated tokens without the decoder start token, ending with EOS when the row
 * stopped on it (rows are not padded). Synchronous: it reads one small logits row per decoder row and step.
 */
export function generate(model: T5Model, input: GenerationInput, options: GenerationOptions = {}): number[][] {
  return generateWithScores(model, input, options).sequences;
}
