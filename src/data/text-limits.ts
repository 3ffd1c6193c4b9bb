// A cap on the characters of one text field, applied before tokenizing: a 2 MB field costs the tokenizer seconds
// per draw and can never fit a T5's few hundred tokens anyway. Cut fields are counted and reported, not hidden.

/**
 * Characters a text field keeps by default: far above any real example (a 512-token T5 input is about 2,500
 * characters; DialogSum's longest dialogue about 5,000), low enough that tokenizing a field stays under a second.
 */
export const DEFAULT_MAX_CHARS = 100_000;

/** `text` cut to at most `maxChars` UTF-16 code units, never between the two halves of a surrogate pair. */
export function capText(text: string, maxChars: number): string {
  if (!(Number.isInteger(maxChars) && maxChars >= 1)) throw new Error(`a character limit must be an integer >= 1, got ${maxChars}.`);
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? maxChars - 1 : maxChars);
}
