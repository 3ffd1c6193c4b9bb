// Long texts in pieces for the tokenizer. transformers.js runs its Unigram model over the whole text as one
// section and gathers the pieces with push(...pieces), which overflows the stack past about 120,000 pieces
// ("Maximum call stack size exceeded"). T5's vocabularies are trained with split_by_whitespace, so no piece spans a
// space: cutting the text at whitespace and encoding each part gives exactly the ids of one pass.

/** Parts of at most `maxChars` characters whose concatenation is `text`, each cut just after ASCII whitespace when there is any. */
export function splitAtWhitespace(text: string, maxChars: number): string[] {
  if (!(Number.isInteger(maxChars) && maxChars >= 2)) throw new Error(`a chunk size must be an integer >= 2, got ${maxChars}.`);
  const parts: string[] = [];
  let start = 0;
  while (text.length - start > maxChars) {
    let cut = start + maxChars;
    while (cut > start && !isAsciiWhitespace(text.charCodeAt(cut - 1))) cut--;
    if (cut === start) {
      // no whitespace in the whole window: cut inside it, though not between the halves of a surrogate pair
      cut = start + maxChars;
      const last = text.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--;
    }
    parts.push(text.slice(start, cut));
    start = cut;
  }
  parts.push(text.slice(start));
  return parts;
}

function isAsciiWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c;
}
