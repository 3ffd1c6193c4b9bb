// A copy-heavy denoising objective beside T5's span corruption: BART's text infilling (Lewis et al. 2019). The
// inputs are the same as span corruption's (each noise span replaced by one sentinel), but the target is the whole
// original sequence, so the model learns to copy what it reads (names, numbers, amounts) and fill in what is missing.
// Span corruption's targets hold only the missing spans: it never asks to copy. Differences from BART, chosen here:
// the noise mask is T5's random_spans_noise_mask (uniform segmentation with a mean span length) rather than Poisson
// span lengths, and each span gets its own sentinel (T5's vocabulary) rather than one shared <mask>.
import type { TokenizedExample } from "./collate";
import { EOS_ID } from "../labels";
import { Random } from "../random";
import { SpanCorruptionOptions, checkSentinels, checkTokens, corruptedInputs, randomSpansNoiseMask } from "./span-corruption";

/** BART's share of masked tokens for text infilling. */
export const DEFAULT_INFILLING_NOISE_DENSITY = 0.3;

/** One text-infilling example: inputs with noise spans as sentinels, the full token sequence as target (EOS on both). */
export function textInfilling(tokens: readonly number[], random: Random, options: SpanCorruptionOptions): TokenizedExample {
  checkSentinels(options);
  if (tokens.length < 1) throw new Error("text infilling: no tokens.");
  checkTokens(tokens, options, "text infilling");
  const eos = options.eosId ?? EOS_ID;
  const noise = randomSpansNoiseMask(tokens.length, random, { ...options, noiseDensity: options.noiseDensity ?? DEFAULT_INFILLING_NOISE_DENSITY });
  return { inputIds: [...corruptedInputs(tokens, noise, options), eos], labels: [...tokens, eos] };
}
