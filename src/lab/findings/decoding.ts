// Notebook 05's decoding comparison: one fine-tuned model's summaries decoded several ways (greedy, beam search,
// Hugging Face's no_repeat_ngram_size), against the first way, greedy. The model and test chats are the same in
// every row, so the differences are the decoding's alone (no seed noise).
import { percent, signedDifference } from "./common";

/** One way of decoding and what its summaries scored. */
export interface DecodingRow {
  decoding: string;
  rougeL: number;
  /** Shipped chats only (DialogSum records carry no facts). */
  factAccuracy?: number;
  /** Share of summaries that loop (lab.repeatsItself). */
  looping: number;
}

const signed = (x: number) => signedDifference(x, 3);

/** One sentence per decoding against the first row, then which scored highest. */
export function decodingFindings(rows: readonly DecodingRow[]): string[] {
  if (rows.length < 2) throw new Error("decodingFindings: needs the reference decoding and at least one other");
  const [first, ...others] = rows;
  const facts = (r: DecodingRow) => (r.factAccuracy === undefined ? "" : `, facts ${r.factAccuracy.toFixed(2)}`);
  const sentences = others.map((r) =>
    `${r.decoding}: ROUGE-L ${r.rougeL.toFixed(3)} (${signed(r.rougeL - first.rougeL)} against ${first.decoding})${facts(r)}; ` +
    `${percent(r.looping)} of summaries loop (${first.decoding}: ${percent(first.looping)}).`);
  const best = rows.reduce((a, b) => (b.rougeL > a.rougeL ? b : a));
  const fewestLoops = rows.reduce((a, b) => (b.looping < a.looping ? b : a));
  sentences.push(best === first
    ? `No other decoding beats ${first.decoding} on ROUGE-L here (${first.rougeL.toFixed(3)}).`
    : `${best.decoding} scores highest on ROUGE-L (${best.rougeL.toFixed(3)}, ${signed(best.rougeL - first.rougeL)}); ${fewestLoops.decoding} loops least (${percent(fewestLoops.looping)}).`);
  return sentences;
}
