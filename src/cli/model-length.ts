// Inputs held to the model's length: tokenizer_config.json's model_max_length (T5's 512 when it sets none).
// Attention over a 5,000-token prompt needs more memory than wasm has (`generate` died with "Aborted()"), so a longer
// prompt is cut to the limit, keeping its final </s>, and the cut is reported; a token budget above it is warned of.
import { truncateIds } from "../data/collate";
import { capText } from "../data/text-limits";
import { Tokenizer } from "../io/tokenizer";

/** The input length T5 and FLAN-T5 were trained with, used when tokenizer_config.json gives no model_max_length. */
export const T5_MAX_LENGTH = 512;

/** Prompts as ids within `maxLength`, and one note per prompt that was cut. */
export function fitPrompts(prompts: readonly number[][], maxLength: number, eosTokenId: number, limitSource: string): { ids: number[][]; notes: string[] } {
  const notes: string[] = [];
  const ids = prompts.map((prompt, i) => {
    if (prompt.length <= maxLength) return prompt;
    const cut = prompt.length - maxLength;
    notes.push(
      `--prompt ${i + 1}: ${prompt.length.toLocaleString("en-US")} tokens, cut to ${maxLength} (${limitSource}); ` +
        `the last ${cut.toLocaleString("en-US")} tokens before </s> were dropped.`,
    );
    return truncateIds(prompt, maxLength, eosTokenId);
  });
  return { ids, notes };
}

/** Prompts as ids for generation: each cut to `maxChars` characters, tokenized, and cut to the tokenizer's length; one note per cut. */
export function promptIds(prompts: readonly string[], tokenizer: Tokenizer, maxChars: number): { ids: number[][]; notes: string[] } {
  const notes: string[] = [];
  const tokenized = prompts.map((prompt, i) => {
    const capped = capText(prompt, maxChars);
    if (capped.length < prompt.length) notes.push(`--prompt ${i + 1}: ${prompt.length.toLocaleString("en-US")} characters, cut to --max-chars ${maxChars} before tokenizing.`);
    return tokenizer.encode(capped);
  });
  const limit = tokenizer.modelMaxLength ?? T5_MAX_LENGTH;
  const source = tokenizer.modelMaxLength !== null ? "model_max_length in tokenizer_config.json" : `T5's ${T5_MAX_LENGTH}: tokenizer_config.json sets no model_max_length`;
  const fitted = fitPrompts(tokenized, limit, tokenizer.eosTokenId, source);
  return { ids: fitted.ids, notes: [...notes, ...fitted.notes] };
}

/** A warning when a --max-input-tokens budget exceeds the tokenizer's model_max_length; null when it fits or there is no limit. */
export function tokenBudgetWarning(maxInputTokens: number, modelMaxLength: number | null): string | null {
  if (modelMaxLength === null || maxInputTokens <= modelMaxLength) return null;
  return (
    `--max-input-tokens ${maxInputTokens} is above the tokenizer's model_max_length ${modelMaxLength} (tokenizer_config.json): ` +
    "inputs that long are beyond what the model was trained on, and attention memory grows with their square."
  );
}
