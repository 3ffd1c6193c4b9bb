// Beam search: numBeams decoder rows per input; the best finished hypothesis of each input is its result.
import type { GenerationResult } from "./input";
import { processScores, shift, topEntries } from "./logits";
import type { ResolvedGenerationOptions } from "./options";
import type { DecoderSession } from "./session";

/** A finished sequence and its score. */
interface Hypothesis {
  score: number;
  tokens: number[];
}

/** The finished hypotheses of one input (Hugging Face's BeamHypotheses): the numBeams best by score. */
class Hypotheses {
  readonly list: Hypothesis[] = [];
  worst = 1e9;
  constructor(private readonly numBeams: number) {}

  /** Keep the hypothesis if it is among the numBeams best so far. */
  add(tokens: number[], score: number): void {
    if (this.list.length < this.numBeams || score > this.worst) {
      this.list.push({ score, tokens });
      if (this.list.length > this.numBeams) {
        let worstIndex = 0;
        this.list.forEach((h, i) => {
          if (h.score < this.list[worstIndex].score) worstIndex = i;
        });
        this.list.splice(worstIndex, 1);
      }
      this.worst = Math.min(...this.list.map((h) => h.score));
    }
  }

  /** Whether no open beam can beat the worst finished one (HF's is_done with its three early_stopping modes). */
  isDone(bestSumLogprobs: number, generated: number, o: ResolvedGenerationOptions): boolean {
    if (this.list.length < this.numBeams) return false;
    if (o.earlyStopping === true) return true;
    const length = o.earlyStopping === "never" && o.lengthPenalty > 0 ? o.maxNewTokens : generated;
    return this.worst >= bestSumLogprobs / length ** o.lengthPenalty;
  }

  /** The best (the last added among equals, as HF's sort-then-pop). */
  best(): Hypothesis {
    let best = this.list[0];
    for (const h of this.list) if (h.score >= best.score) best = h;
    return best;
  }
}

/**
 * Beam search as Hugging Face's BeamSearchScorer: per input, numBeams open beams (log-probs after the logit
 * processors, summed); each step looks at the best max(2, 1 + #EOS) * numBeams continuations; an EOS among the
 * top numBeams closes a hypothesis scored sum / generated^lengthPenalty; an input is done per earlyStopping; at
 * maxNewTokens the open beams join the hypotheses. Inputs that are done leave the batch.
 */
export function beamSearch(session: DecoderSession, batch: number, o: ResolvedGenerationOptions): GenerationResult {
  const vocab = session.vocab;
  const beams = o.numBeams;
  const eos = new Set(o.stopAtEos ? o.eosTokenIds : []);
  const keep = Math.min(Math.max(2, 1 + eos.size) * beams, beams * vocab);
  const hypotheses = Array.from({ length: batch }, () => new Hypotheses(beams));
  let active = hypotheses.map((_, b) => b); // input of each group of `beams` decoder rows
  let beamTokens: number[][] = Array.from({ length: batch * beams }, () => []);
  // Only the first beam is live at the start: the others would repeat it.
  let beamScores: number[] = beamTokens.map((_, r) => (r % beams === 0 ? 0 : -1e9));
  for (let step = 0; step < o.maxNewTokens; step++) {
    const generated = step + 1;
    const last = step === o.maxNewTokens - 1;
    const { logits, logZ } = session.nextLogits();
    const next = { tokens: [] as number[], parents: [] as number[], scores: [] as number[], beamTokens: [] as number[][] };
    const stillActive: number[] = [];
    active.forEach((b, g) => {
      const rowIds = Array.from({ length: beams }, (_, j) => g * beams + j);
      const rows = rowIds.map((r) =>
        processScores(shift(logits.subarray(r * vocab, (r + 1) * vocab), -logZ[r]), [o.decoderStartTokenId, ...beamTokens[r]], step, o),
      );
      const candidates = topEntries(rows, rowIds.map((r) => beamScores[r]), keep);
      const picks: { parent: number; token: number; score: number }[] = [];
      for (let rank = 0; rank < candidates.length && picks.length < beams; rank++) {
        const { score, index } = candidates[rank];
        const parent = g * beams + Math.floor(index / vocab);
        const token = index % vocab;
        if (eos.has(token)) {
          if (rank < beams && score > -Infinity) hypotheses[b].add([...beamTokens[parent], token], score / generated ** o.lengthPenalty);
        } else {
          picks.push({ parent, token, score });
        }
      }
      if (picks.length < beams) throw new Error(`beam search: fewer than numBeams=${beams} continuations that are not EOS.`);
      if (hypotheses[b].isDone(candidates[0].score, generated, o)) return;
      if (last) {
        for (const p of picks) hypotheses[b].add([...beamTokens[p.parent], p.token], p.score / generated ** o.lengthPenalty);
        return;
      }
      stillActive.push(b);
      for (const p of picks) {
        next.tokens.push(p.token);
        next.parents.push(p.parent);
        next.scores.push(p.score);
        next.beamTokens.push([...beamTokens[p.parent], p.token]);
      }
    });
    if (stillActive.length === 0) break;
    session.advance(next.tokens, next.parents);
    active = stillActive;
    beamScores = next.scores;
    beamTokens = next.beamTokens;
  }
  const best = hypotheses.map((h) => h.best());
  return { sequences: best.map((h) => h.tokens), scores: best.map((h) => h.score) };
}
