// Greedy decoding and seeded sampling: one decoder row per input; rows that finished leave the batch.
import { mulberry32 } from "../../random";
import type { GenerationResult } from "./input";
import { argmax, processScores, sampleToken, warpForSampling } from "./logits";
import type { ResolvedGenerationOptions } from "./options";
import type { DecoderSession } from "./session";

/** Greedy or (with doSample) sampled tokens for `batch` inputs, scored by the model's log-probabilities. */
export function greedyOrSample(session: DecoderSession, batch: number, o: ResolvedGenerationOptions): GenerationResult {
  const vocab = session.vocab;
  const eos = new Set(o.eosTokenIds);
  const sequences: number[][] = Array.from({ length: batch }, () => []);
  const scores = new Array<number>(batch).fill(0);
  const random = o.doSample ? mulberry32(o.seed) : undefined;
  let active = sequences.map((_, b) => b); // input row of each decoder row
  for (let step = 0; step < o.maxNewTokens; step++) {
    const { logits, logZ } = session.nextLogits();
    const continuing: number[] = [];
    active.forEach((b, r) => {
      const raw = logits.subarray(r * vocab, (r + 1) * vocab);
      const processed = processScores(raw, [o.decoderStartTokenId, ...sequences[b]], sequences[b].length, o);
      const token = random ? sampleToken(warpForSampling(processed, o), random()) : argmax(processed);
      scores[b] += raw[token] - logZ[r];
      sequences[b].push(token);
      if (!(o.stopAtEos && eos.has(token))) continuing.push(r);
    });
    if (continuing.length === 0 || step === o.maxNewTokens - 1) break;
    session.advance(
      continuing.map((r) => sequences[active[r]][sequences[active[r]].length - 1]),
      continuing.length === active.length ? undefined : continuing,
    );
    active = continuing.map((r) => active[r]);
  }
  return { sequences, scores };
}
