// Field checks shared by the task validators: each error names the location (file:line) and the field.

/** The value as a JSON object, or an error naming where (file:line) it is not one. */
export function asRecord(record: unknown, where: string): Record<string, unknown> {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new Error(`${where}: expected a JSON object, got ${JSON.stringify(record)?.slice(0, 60)}.`);
  }
  return record as Record<string, unknown>;
}

/** A string field that must be present and not blank. */
export function requireText(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (value === undefined) throw new Error(`${where}: field "${field}" is missing.`);
  if (typeof value !== "string") throw new Error(`${where}: field "${field}" must be a string, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  if (value.trim() === "") throw new Error(`${where}: field "${field}" is empty.`);
  return value;
}
