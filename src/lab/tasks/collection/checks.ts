// Field checks for the collection's validators, in the style of src/data/validate.ts: every error names where
// (file:line) and the field.

/** A field whose value must be one of `allowed`. */
export function requireOneOf<T>(record: Record<string, unknown>, field: string, allowed: readonly T[], where: string): T {
  const value = record[field];
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new Error(`${where}: field "${field}" must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  }
  return value as T;
}

/** A field that must be a non-empty list of non-blank strings. */
export function requireTextList(record: Record<string, unknown>, field: string, where: string): string[] {
  const value = record[field];
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${where}: field "${field}" must be a non-empty list of strings, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  value.forEach((item, i) => {
    if (typeof item !== "string" || item.trim() === "") throw new Error(`${where}: field "${field}" item ${i} must be a non-empty string, got ${JSON.stringify(item)?.slice(0, 60)}.`);
  });
  return value as string[];
}

/** The value must occur in the text of another field (an answer copied from the chat, an attribute in a blurb). */
export function requireOccurs(value: string, field: string, text: string, inField: string, where: string): void {
  if (!text.includes(value)) throw new Error(`${where}: field "${field}" ${JSON.stringify(value)} does not occur in field "${inField}".`);
}

/** A one-line text of at most `maxWords` words (a title, a headline). */
export function requireLine(record: Record<string, unknown>, field: string, maxWords: number, where: string): string {
  const value = record[field];
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${where}: field "${field}" must be a non-empty string, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  if (value.includes("\n")) throw new Error(`${where}: field "${field}" must be one line.`);
  const words = value.split(/\s+/).length;
  if (words > maxWords) throw new Error(`${where}: field "${field}" has ${words} words; at most ${maxWords}.`);
  return value;
}
