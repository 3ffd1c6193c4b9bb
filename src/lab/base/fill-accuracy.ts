// How well a model does a pretraining objective on held-out chunks: the share of target tokens it predicts right
// under teacher forcing (span corruption: the masked tokens; text infilling: the whole text, mostly copied).
import { collate, TokenizedExample } from "../../data/collate";
import { Sentinels } from "../../data/span-corruption";
import { teacherForcedAccuracy } from "../../eval/likelihood";
import { T5Model } from "../../model/t5";
import { Random } from "../../random";

/** A pretraining objective: spanCorrupt or textInfilling. */
export type PretrainingObjective = (tokens: readonly number[], random: Random, sentinels: Sentinels) => TokenizedExample;

/** Token accuracy of `model` on `objective` over the chunks (fixed noise from `seed`), in batches of `batchSize`. */
export function objectiveAccuracy(model: T5Model, chunks: readonly (readonly number[])[], objective: PretrainingObjective, sentinels: Sentinels, seed = 12345, batchSize = 32): number {
  const random = new Random(seed);
  const examples = chunks.map((chunk) => objective(chunk, random, sentinels));
  let correct = 0;
  let tokens = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const scores = teacherForcedAccuracy(model, collate(examples.slice(start, start + batchSize)));
    correct += scores.correct;
    tokens += scores.tokens;
  }
  return tokens > 0 ? correct / tokens : NaN;
}
